/**
 * Least-squares and two-stage least-squares fits reproducing estimatr's `lm_solver` (Eigen's column-pivoted QR,
 * its rank rule and dropped columns) with the shared variance module (variance.ts). Dropped columns get NA.
 *
 * One streaming pass computes R of the unique columns and the outcome(s), A = [columns, y] = Q_A·R_A (tsqr.ts).
 * Everything else is k×k work plus one more pass over the rows:
 *
 *   OLS:  pivoted QR of R_A's X block, R_X·P = Q_s·R   (same pivots, rank and R as Eigen on X)
 *         β = R⁻¹·(Q_sᵀ R_A[:, y])₁:r,   e = y − X_P β (as estimatr),   q_i = R⁻ᵀ x_{i,P}  (rows of thin Q)
 *   2SLS: pivoted QR of R_A's Z block ─► Q_Z; C = Q_Zᵀ X (k columns, from R_A) ─► X̂ = Q_Z C, X̂′X̂ = C′C
 *         pivoted QR of C, C·P = Q_c·R ─► rows of X̂'s thin Q: q̂_i = Q_cᵀ q_{Z,i}; β = R⁻¹Q_cᵀ(Q_Zᵀy)
 *         e = y − X_P β (structural residuals, §5)
 *   ─► V(q rows, R⁻¹, e) for classical, HC0–HC3, CR0, CR2 (+ Bell–McCaffrey df), stata
 */
import { invertUpperTriangular } from './linalg.js';
import { applyQTranspose, pivotedQr, solveUpper, thinQ, type PivotedQr } from './qr.js';
import { tsqrR } from './tsqr.js';
import { STREAM_BLOCK, streamingVariance, type Clusters, type RowSource, type VarianceType } from './variance.js';

export interface LinearFit {
  readonly n: number;
  readonly k: number;
  readonly rank: number;
  /** Original indices of columns dropped by the rank rule, in pivot order. */
  readonly dropped: readonly number[];
  /** Coefficients in original column order; NaN for dropped columns. */
  readonly coefficients: Float64Array;
  /** k×k row-major in original order; NaN rows/columns for dropped columns. */
  readonly vcov: Float64Array;
  /** Degrees of freedom per coefficient (NaN for dropped). */
  readonly df: Float64Array;
  readonly nClusters: number | undefined;
}

/** Row-major m×m R → the leading rows×cols block, column-major (the layout qr.ts takes). */
function block(r: Float64Array, m: number, rows: number, cols: readonly number[]): Float64Array {
  const out = new Float64Array(rows * cols.length);
  cols.forEach((c, j) => {
    for (let i = 0; i < rows; i++) out[j * rows + i] = r[i * m + c]!;
  });
  return out;
}

function column(r: Float64Array, m: number, rows: number, c: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = r[i * m + c]!;
  return out;
}

const BLOCK = STREAM_BLOCK;

/**
 * Forward substitution for a block of rows: local (column-major, leading dimension BLOCK) receives
 * q_i = R⁻ᵀx_{i,P} for rows start … start+len−1 (the rows of X_P's thin Q), column by column.
 */
function substituteBlock(kept: readonly Float64Array[], r: Float64Array, rank: number, start: number, len: number, local: Float64Array): void {
  for (let j = 0; j < rank; j++) {
    const jo = j * BLOCK;
    const x = kept[j]!;
    for (let i = 0; i < len; i++) local[jo + i] = x[start + i]!;
    for (let l = 0; l < j; l++) {
      const coef = r[l * rank + j]!;
      if (coef === 0) continue;
      const lo = l * BLOCK;
      for (let i = 0; i < len; i++) local[jo + i] = local[jo + i]! - coef * local[lo + i]!;
    }
    const inverse = 1 / r[j * rank + j]!;
    for (let i = 0; i < len; i++) local[jo + i] = local[jo + i]! * inverse;
  }
}

/** e_i = y_i − Σ_p β_p x_{i,P_p} for a block. */
function residualBlock(kept: readonly Float64Array[], beta: Float64Array, y: Float64Array, start: number, len: number, e: Float64Array): void {
  for (let i = 0; i < len; i++) e[i] = y[start + i]!;
  for (let p = 0; p < beta.length; p++) {
    const x = kept[p]!;
    const b = beta[p]!;
    for (let i = 0; i < len; i++) e[i] = e[i]! - b * x[start + i]!;
  }
}

/** Rows of X_P's thin Q and the residuals of y for coefficients β (pivot order). */
function olsRows(columns: readonly Float64Array[], qr: PivotedQr, beta: Float64Array, y: Float64Array, n: number): RowSource {
  const rank = qr.rank;
  const kept = Array.from(qr.pivot.subarray(0, rank), (j) => columns[j]!);
  return {
    n,
    rank,
    fill(start, len, q, e) {
      substituteBlock(kept, qr.r, rank, start, len, q);
      residualBlock(kept, beta, y, start, len, e);
    },
  };
}

/** A factorised design, reusable for several outcomes (the Anderson–Rubin set needs two). */
export interface PreparedDesign {
  readonly n: number;
  readonly k: number;
  readonly rank: number;
  readonly pivot: Int32Array;
  readonly rInverse: Float64Array;
  /** Coefficients of each outcome on the kept columns, in pivot order. */
  readonly coefficients: readonly Float64Array[];
  /** Rows of the thin Q with the residuals of outcome y for coefficients β (pivot order). */
  rows(y: Float64Array, beta: Float64Array): RowSource;
}

/** Factorise X (k columns of length n) together with the outcomes `rhs`. */
export function prepareDesign(columns: readonly Float64Array[], n: number, rhs: readonly Float64Array[]): PreparedDesign {
  const k = columns.length;
  const m = k + rhs.length;
  const rAll = tsqrR([...columns, ...rhs], n);
  const qr = pivotedQr(block(rAll, m, k, Array.from({ length: k }, (_, j) => j)), k, k);
  const rank = qr.rank;
  const coefficients = rhs.map((_, t) => solveUpper(qr.r, applyQTranspose(qr, column(rAll, m, k, k + t)).subarray(0, rank), rank));
  return {
    n,
    k,
    rank,
    pivot: qr.pivot,
    rInverse: invertUpperTriangular(qr.r, rank),
    coefficients,
    rows: (y, beta) => olsRows(columns, qr, beta, y, n),
  };
}

/** OLS of y on the columns with the given variance. */
export function fitOls(columns: readonly Float64Array[], n: number, y: Float64Array, type: VarianceType, clusters?: Clusters): LinearFit {
  const design = prepareDesign(columns, n, [y]);
  const betaPivot = design.coefficients[0]!;
  return finish(design.pivot, design.rInverse, design.rows(y, betaPivot), betaPivot, n, design.k, design.rank, type, clusters);
}

/**
 * 2SLS of y on X with instruments Z. `unique` holds every distinct column once; `xColumns` and `zColumns` index
 * into it (the intercept and exogenous covariates are shared). Returns the fit and the rank of Z.
 */
export function fitIv(
  unique: readonly Float64Array[],
  xColumns: readonly number[],
  zColumns: readonly number[],
  n: number,
  y: Float64Array,
  type: VarianceType,
  clusters?: Clusters,
  withFirstStages = true,
): LinearFit & { readonly instrumentRank: number; readonly firstStages: readonly FirstStageFit[] } {
  // Order the TSQR columns as [Z…, X-only…, y] so that Z's R block is leading.
  const order = [...zColumns, ...xColumns.filter((j) => !zColumns.includes(j))];
  const position = new Map(order.map((j, p) => [j, p]));
  const m = order.length + 1;
  const l = zColumns.length;
  const k = xColumns.length;
  const rAll = tsqrR([...order.map((j) => unique[j]!), y], n);
  const qrZ = pivotedQr(block(rAll, m, l, Array.from({ length: l }, (_, j) => j)), l, l);
  const rz = qrZ.rank;
  // C = Q_Zᵀ X (rz × k) and Q_Zᵀ y, from the first l rows of R_A.
  const c = new Float64Array(rz * k);
  xColumns.forEach((j, col) => {
    const projected = applyQTranspose(qrZ, column(rAll, m, l, position.get(j)!));
    for (let i = 0; i < rz; i++) c[col * rz + i] = projected[i]!;
  });
  const cy = applyQTranspose(qrZ, column(rAll, m, l, m - 1)).subarray(0, rz);
  const qrC = pivotedQr(c, rz, k);
  const rank = qrC.rank;
  const qc = thinQ(qrC); // rz × rank, row-major
  const betaPivot = solveUpper(qrC.r, applyQTranspose(qrC, Float64Array.from(cy)).subarray(0, rank), rank);
  const zKept = Array.from(qrZ.pivot.subarray(0, rz), (j) => unique[zColumns[j]!]!);
  const xKept = Array.from(qrC.pivot.subarray(0, rank), (j) => unique[xColumns[j]!]!);
  const local = new Float64Array(BLOCK * rz);
  // Rows of X̂'s thin Q, q̂_i = Q_cᵀ q_{Z,i} (as contiguous column updates within the block, then transposed);
  // structural residuals e = y − X_P β.
  const source: RowSource = {
    n,
    rank,
    fill(start, len, q, e) {
      substituteBlock(zKept, qrZ.r, rz, start, len, local);
      q.fill(0);
      for (let a = 0; a < rank; a++) {
        const ao = a * BLOCK;
        for (let b = 0; b < rz; b++) {
          const coef = qc[b * rank + a]!;
          if (coef === 0) continue;
          const bo = b * BLOCK;
          for (let i = 0; i < len; i++) q[ao + i] = q[ao + i]! + coef * local[bo + i]!;
        }
      }
      residualBlock(xKept, betaPivot, y, start, len, e);
    },
  };
  const fit = finish(qrC.pivot, invertUpperTriangular(qrC.r, rank), source, betaPivot, n, k, rank, type, clusters);
  // First stages of the X-only (endogenous) columns on Z, from the same factorisation: π = R_Z⁻¹(Q_Zᵀx)
  // and the same variance type, for the first-stage F (§5).
  const rzInverse = invertUpperTriangular(qrZ.r, rz);
  const firstStages: FirstStageFit[] = xColumns
    .filter((j) => withFirstStages && !zColumns.includes(j))
    .map((j) => {
      const x = unique[j]!;
      const pi = solveUpper(qrZ.r, applyQTranspose(qrZ, column(rAll, m, l, position.get(j)!)).subarray(0, rz), rz);
      const firstSource: RowSource = {
        n,
        rank: rz,
        fill(start, len, q, e) {
          substituteBlock(zKept, qrZ.r, rz, start, len, q);
          residualBlock(zKept, pi, x, start, len, e);
        },
      };
      const variance = streamingVariance(firstSource, rzInverse, type, clusters);
      const zPosition = Array.from(qrZ.pivot.subarray(0, rz));
      return { column: j, coefficients: pi, vcov: variance.vcov, zColumnsKept: zPosition.map((p) => zColumns[p]!) };
    });
  return { ...fit, instrumentRank: rz, firstStages };
}

/** A first-stage regression of one endogenous column on the kept instruments (pivot order). */
export interface FirstStageFit {
  /** Index of the endogenous column in `unique`. */
  readonly column: number;
  readonly coefficients: Float64Array;
  /** rz×rz variance in the same order. */
  readonly vcov: Float64Array;
  /** Index in `unique` of each kept instrument column, in that order. */
  readonly zColumnsKept: readonly number[];
}

function finish(
  pivot: Int32Array,
  rInverse: Float64Array,
  source: RowSource,
  betaPivot: Float64Array,
  n: number,
  k: number,
  rank: number,
  type: VarianceType,
  clusters: Clusters | undefined,
): LinearFit {
  const variance = streamingVariance(source, rInverse, type, clusters);
  const coefficients = new Float64Array(k).fill(NaN);
  const df = new Float64Array(k).fill(NaN);
  const vcov = new Float64Array(k * k).fill(NaN);
  for (let p = 0; p < rank; p++) {
    const j = pivot[p]!;
    coefficients[j] = betaPivot[p]!;
    df[j] = variance.df[p]!;
    for (let s = 0; s < rank; s++) vcov[j * k + pivot[s]!] = variance.vcov[p * rank + s]!;
  }
  const dropped: number[] = [];
  for (let p = rank; p < k; p++) dropped.push(pivot[p]!);
  return { n, k, rank, dropped, coefficients, vcov, df, nClusters: variance.nClusters };
}
