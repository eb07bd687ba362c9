/**
 * R factor of a tall matrix by a streaming ("tall-skinny") Householder QR: rows are taken in blocks of
 * BLOCK_ROWS that fit in cache; each step factorises [R_so_far; next block] (Demmel, Grigori, Hoemmen & Langou
 * 2012, "Communication-optimal parallel and sequential QR", the sequential TSQR). The result has the backward
 * stability of Householder QR (RᵀR = AᵀA + O(ε‖A‖²)) at the memory traffic of one pass over the data.
 *
 * Because column-pivoted QR decisions depend on A only through AᵀA, Eigen's pivoted QR of A is reproduced by the
 * pivoted QR of this R (qr.ts), with A·P = (Q_A Q_R)·R′ — see linear-fit.ts.
 */
const BLOCK_ROWS = 1024;

/** Upper-triangular m×m R (row-major) with RᵀR = AᵀA, for A given as m columns of length n. */
export function tsqrR(columns: readonly Float64Array[], n: number): Float64Array {
  const m = columns.length;
  const ld = m + BLOCK_ROWS;
  const buffer = new Float64Array(ld * m); // column-major, leading dimension ld
  const r = new Float64Array(m * m);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const len = Math.min(BLOCK_ROWS, n - start);
    const rows = m + len;
    for (let c = 0; c < m; c++) {
      const co = c * ld;
      for (let i = 0; i < m; i++) buffer[co + i] = i <= c ? r[i * m + c]! : 0;
      const column = columns[c]!;
      for (let i = 0; i < len; i++) buffer[co + m + i] = column[start + i]!;
    }
    householderInPlace(buffer, ld, rows, m);
    for (let i = 0; i < m; i++) for (let c = i; c < m; c++) r[i * m + c] = buffer[c * ld + i]!;
  }
  return r;
}

/**
 * Unpivoted Householder QR of the leading rows×m block (column-major, leading dimension ld), R left on and above
 * the diagonal. Rows p+1…m−1 of column p are zero on entry to step p when the top block is triangular, but are
 * included: the cost is negligible next to the block.
 */
function householderInPlace(a: Float64Array, ld: number, rows: number, m: number): void {
  for (let p = 0; p < m; p++) {
    const po = p * ld;
    const c0 = a[po + p]!;
    let tailSq = 0;
    for (let i = p + 1; i < rows; i++) tailSq += a[po + i]! * a[po + i]!;
    if (tailSq === 0) continue; // already triangular in this column
    let beta = Math.sqrt(c0 * c0 + tailSq);
    if (c0 >= 0) beta = -beta;
    const scale = 1 / (c0 - beta);
    for (let i = p + 1; i < rows; i++) a[po + i] = a[po + i]! * scale;
    const tau = (beta - c0) / beta;
    a[po + p] = beta;
    for (let j = p + 1; j < m; j++) {
      const jo = j * ld;
      let w = a[jo + p]!;
      for (let i = p + 1; i < rows; i++) w += a[po + i]! * a[jo + i]!;
      w *= tau;
      a[jo + p] = a[jo + p]! - w;
      for (let i = p + 1; i < rows; i++) a[jo + i] = a[jo + i]! - w * a[po + i]!;
    }
    for (let i = p + 1; i < rows; i++) a[po + i] = 0;
  }
}
