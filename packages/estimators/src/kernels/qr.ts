/**
 * Column-pivoted Householder QR reproducing Eigen 3.3's `ColPivHouseholderQR`, which estimatr 1.0.0 uses in
 * `lm_solver` (ESTIMATORS-MATH.md §2.1): greedy pivoting on the largest updated column norm (first index on ties),
 * LAPACK xGEQPF-style norm downdating with direct recomputation when the downdated norm has lost accuracy, and
 * rank r = #{i : |R_ii| > ε·min(N,k)·max_i |R_ii|}. Columns pivoted into positions r+1…k are the ones estimatr
 * drops — not "the later column" as lm does.
 *
 * Input: the design as k columns of length N (column-major, one Float64Array of N·k). The factorisation is done in
 * a copy; the thin Q of the kept columns is formed explicitly (row-major N×r), because leverages, HC meats and the
 * CR2 blocks computed from rows of Q keep full accuracy when X is ill-conditioned (a covariate 1e9 + noise), where
 * x_i′(X′X)⁻¹x_i would lose about log10 cond(X) digits.
 */

const EPSILON = 2.220446049250313e-16;
const SMALLEST_NORMAL = 2.2250738585072014e-308; // std::numeric_limits<double>::min(), Eigen's tolerance

export interface PivotedQr {
  readonly n: number;
  readonly k: number;
  /** Numerical rank by Eigen's rule. */
  readonly rank: number;
  /** pivot[p] = original column index at pivot position p (all k positions). */
  readonly pivot: Int32Array;
  /** Householder vectors below the diagonal and R on and above it, column-major N×k (Eigen's m_qr). */
  readonly factor: Float64Array;
  /** Householder coefficients τ_p. */
  readonly tau: Float64Array;
  /** Leading rank×rank block of R, row-major, upper triangular. */
  readonly r: Float64Array;
}

/** Factorise X (column-major, N rows, k columns). X is not modified. */
export function pivotedQr(x: Float64Array, n: number, k: number): PivotedQr {
  const a = Float64Array.from(x);
  const tau = new Float64Array(k);
  const pivot = new Int32Array(k);
  for (let j = 0; j < k; j++) pivot[j] = j;
  const normsDirect = new Float64Array(k);
  const normsUpdated = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    const off = j * n;
    for (let i = 0; i < n; i++) s += a[off + i]! * a[off + i]!;
    normsDirect[j] = Math.sqrt(s);
    normsUpdated[j] = normsDirect[j]!;
  }
  const downdateThreshold = Math.sqrt(EPSILON);
  const size = Math.min(n, k);
  let maxPivot = 0;
  const diagonal = new Float64Array(size);
  for (let p = 0; p < size; p++) {
    // Largest updated norm among the remaining columns; first index on ties (Eigen's maxCoeff). Norms equal to
    // 1e-10 relative count as tied: such ties are mathematical (x3 = x1 + x2 leaves x1 and x2 with residuals
    // r and −r once x3 is in), and which one rounding favours differs between Eigen's vectorised sums and ours;
    // the first index is what Eigen and LAPACK's dgeqp3 pick there in the checked cases.
    let best = p;
    for (let j = p + 1; j < k; j++) if (normsUpdated[j]! > normsUpdated[best]! * (1 + 1e-10)) best = j;
    if (best !== p) {
      const po = p * n;
      const bo = best * n;
      for (let i = 0; i < n; i++) {
        const t = a[po + i]!;
        a[po + i] = a[bo + i]!;
        a[bo + i] = t;
      }
      swap(normsUpdated, p, best);
      swap(normsDirect, p, best);
      const t = pivot[p]!;
      pivot[p] = pivot[best]!;
      pivot[best] = t;
    }
    // Householder vector (Eigen makeHouseholderInPlace): v = [1, tail/(c0 − β)], τ = (β − c0)/β, β = −sign(c0)‖x‖.
    const po = p * n;
    const c0 = a[po + p]!;
    let tailSq = 0;
    for (let i = p + 1; i < n; i++) tailSq += a[po + i]! * a[po + i]!;
    let beta: number;
    if (tailSq <= SMALLEST_NORMAL) {
      // Eigen: nothing below the diagonal, no reflection (τ = 0).
      tau[p] = 0;
      beta = c0;
      for (let i = p + 1; i < n; i++) a[po + i] = 0;
    } else {
      beta = Math.sqrt(c0 * c0 + tailSq);
      if (c0 >= 0) beta = -beta;
      const scale = 1 / (c0 - beta);
      for (let i = p + 1; i < n; i++) a[po + i] = a[po + i]! * scale;
      tau[p] = (beta - c0) / beta;
    }
    a[po + p] = beta;
    diagonal[p] = beta;
    if (Math.abs(beta) > maxPivot) maxPivot = Math.abs(beta);
    // Apply H_p = I − τ v vᵀ to the remaining columns.
    const tp = tau[p]!;
    if (tp !== 0) {
      for (let j = p + 1; j < k; j++) {
        const jo = j * n;
        let w = a[jo + p]!;
        for (let i = p + 1; i < n; i++) w += a[po + i]! * a[jo + i]!;
        w *= tp;
        a[jo + p] = a[jo + p]! - w;
        for (let i = p + 1; i < n; i++) a[jo + i] = a[jo + i]! - w * a[po + i]!;
      }
    }
    // Norm downdating (LAPACK xGEQPF, as in Eigen).
    for (let j = p + 1; j < k; j++) {
      const updated = normsUpdated[j]!;
      if (updated === 0) continue;
      let temp = Math.abs(a[j * n + p]!) / updated;
      temp = (1 + temp) * (1 - temp);
      if (temp < 0) temp = 0;
      const ratio = updated / normsDirect[j]!;
      const temp2 = temp * ratio * ratio;
      if (temp2 <= downdateThreshold) {
        let s = 0;
        const jo = j * n;
        for (let i = p + 1; i < n; i++) s += a[jo + i]! * a[jo + i]!;
        normsDirect[j] = Math.sqrt(s);
        normsUpdated[j] = normsDirect[j]!;
      } else {
        normsUpdated[j] = updated * Math.sqrt(temp);
      }
    }
  }
  // Eigen's rank(): |R_ii| > ε · min(N, k) · max|R_ii|.
  const threshold = maxPivot * EPSILON * size;
  let rank = 0;
  for (let p = 0; p < size; p++) if (Math.abs(diagonal[p]!) > threshold) rank++;
  const r = new Float64Array(rank * rank);
  for (let i = 0; i < rank; i++) for (let j = i; j < rank; j++) r[i * rank + j] = a[j * n + i]!;
  return { n, k, rank, pivot, factor: a, tau, r };
}

function swap(v: Float64Array, i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

/** Thin Q of the kept columns, Q₁ = H₀⋯H_{r−1}[I_r; 0], returned row-major (N×r) for row-wise kernels. */
export function thinQ(qr: PivotedQr): Float64Array {
  const { n, rank, factor, tau } = qr;
  const e = new Float64Array(n * rank); // column-major while accumulating
  for (let c = 0; c < rank; c++) e[c * n + c] = 1;
  for (let p = rank - 1; p >= 0; p--) {
    const tp = tau[p]!;
    if (tp === 0) continue;
    const po = p * n;
    for (let c = p; c < rank; c++) {
      const co = c * n;
      let w = e[co + p]!;
      for (let i = p + 1; i < n; i++) w += factor[po + i]! * e[co + i]!;
      w *= tp;
      e[co + p] = e[co + p]! - w;
      for (let i = p + 1; i < n; i++) e[co + i] = e[co + i]! - w * factor[po + i]!;
    }
  }
  const rows = new Float64Array(n * rank);
  for (let c = 0; c < rank; c++) {
    const co = c * n;
    for (let i = 0; i < n; i++) rows[i * rank + c] = e[co + i]!;
  }
  return rows;
}

/** Q₁ᵀy for row-major Q₁ (N×r). */
export function qTransposeTimes(qRows: Float64Array, y: Float64Array, n: number, rank: number): Float64Array {
  const out = new Float64Array(rank);
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    const o = i * rank;
    for (let c = 0; c < rank; c++) out[c] = out[c]! + qRows[o + c]! * yi;
  }
  return out;
}

/** Solve R·b = c for upper-triangular row-major R (rank×rank). */
export function solveUpper(r: Float64Array, c: Float64Array, rank: number): Float64Array {
  const b = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = c[i]!;
    for (let j = i + 1; j < rank; j++) s -= r[i * rank + j]! * b[j]!;
    b[i] = s / r[i * rank + i]!;
  }
  return b;
}

/** Qᵀv for the full orthogonal factor of a (small) pivoted QR: the reflectors H₀, H₁, … applied in order. */
export function applyQTranspose(qr: PivotedQr, v: Float64Array): Float64Array {
  const { n, factor, tau } = qr;
  const out = Float64Array.from(v);
  const steps = Math.min(qr.n, qr.k);
  for (let p = 0; p < steps; p++) {
    const tp = tau[p]!;
    if (tp === 0) continue;
    const po = p * n;
    let w = out[p]!;
    for (let i = p + 1; i < n; i++) w += factor[po + i]! * out[i]!;
    w *= tp;
    out[p] = out[p]! - w;
    for (let i = p + 1; i < n; i++) out[i] = out[i]! - w * factor[po + i]!;
  }
  return out;
}
