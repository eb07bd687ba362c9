/**
 * Small dense linear algebra for k×k matrices (k = number of coefficients, typically ≤ 50): symmetric eigen-
 * decomposition, inverse of an upper-triangular matrix, congruence products. Matrices are row-major Float64Array.
 */

/**
 * Symmetric eigendecomposition by the cyclic Jacobi method (Golub & Van Loan, Matrix Computations 4th ed., §8.5):
 * returns eigenvalues and the eigenvectors as the columns of a row-major k×k matrix. Accurate to working precision
 * in every eigenvalue relative to the matrix norm; small k only (cost O(k³) per sweep, a handful of sweeps).
 */
export function symmetricEigen(matrix: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < k; i++) {
      diag += a[i * k + i]! * a[i * k + i]!;
      for (let j = i + 1; j < k; j++) off += a[i * k + j]! * a[i * k + j]!;
    }
    if (off <= 1e-36 * diag || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (apq === 0) continue;
        const app = a[p * k + p]!;
        const aqq = a[q * k + q]!;
        // Rotation angle (GVL Algorithm 8.5.1, symSchur2).
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        a[p * k + q] = 0;
        a[q * k + p] = 0;
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = a[i * k + i]!;
  return { values, vectors: v };
}

/** Inverse of an upper-triangular k×k matrix (row-major), by back substitution column by column. */
export function invertUpperTriangular(r: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let col = 0; col < k; col++) {
    for (let i = col; i >= 0; i--) {
      let sum = i === col ? 1 : 0;
      for (let j = i + 1; j <= col; j++) sum -= r[i * k + j]! * inv[j * k + col]!;
      inv[i * k + col] = sum / r[i * k + i]!;
    }
  }
  return inv;
}

/** B·S·Bᵀ for k×k row-major B and symmetric S. */
export function congruence(b: Float64Array, s: Float64Array, k: number): Float64Array {
  const bs = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += b[i * k + l]! * s[l * k + j]!;
      bs[i * k + j] = sum;
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += bs[i * k + l]! * b[j * k + l]!;
      out[i * k + j] = sum;
      out[j * k + i] = sum;
    }
  }
  return out;
}

/** Fill the lower triangle of a row-major k×k matrix from its upper triangle. */
export function symmetrizeFromUpper(m: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) m[j * k + i] = m[i * k + j]!;
}

/** Solve A·x = b for a small dense q×q matrix A (row-major) by Gaussian elimination with partial pivoting. */
export function solveDense(a: Float64Array, b: Float64Array, q: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < q; col++) {
    let best = col;
    for (let r = col + 1; r < q; r++) if (Math.abs(m[r * q + col]!) > Math.abs(m[best * q + col]!)) best = r;
    if (best !== col) {
      for (let c = 0; c < q; c++) {
        const t = m[col * q + c]!;
        m[col * q + c] = m[best * q + c]!;
        m[best * q + c] = t;
      }
      const t = x[col]!;
      x[col] = x[best]!;
      x[best] = t;
    }
    for (let r = col + 1; r < q; r++) {
      const f = m[r * q + col]! / m[col * q + col]!;
      for (let c = col; c < q; c++) m[r * q + c] = m[r * q + c]! - f * m[col * q + c]!;
      x[r] = x[r]! - f * x[col]!;
    }
  }
  for (let r = q - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let c = r + 1; c < q; c++) s -= m[r * q + c]! * x[c]!;
    x[r] = s / m[r * q + r]!;
  }
  return x;
}
