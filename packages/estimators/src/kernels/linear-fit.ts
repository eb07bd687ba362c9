/**
 * Least-squares and two-stage least-squares fits over the pivoted QR (qr.ts) with the shared variance module
 * (variance.ts). estimatr's pipeline (`lm_robust_fit` → C++ `lm_solver` → `lm_variance`): fit on the kept columns,
 * dropped columns get NA estimate, SE and df.
 *
 *   OLS:  X = Q₁R (pivoted) ─► β = R⁻¹Q₁′y, e = y − Q₁Q₁′y ─► V(Q₁, R⁻¹, e)
 *   2SLS: Z = Q_Z R_Z ─► X̂ = Q_Z Q_Z′X ─► X̂ = Q₁R ─► β = R⁻¹Q₁′y, e = y − Xβ (structural, §5) ─► V(Q₁, R⁻¹, e)
 */
import { invertUpperTriangular } from './linalg.js';
import { pivotedQr, qTransposeTimes, solveUpper, thinQ } from './qr.js';
import { robustVariance, type ClusterIndex, type VarianceType } from './variance.js';

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
  readonly residuals: Float64Array;
  readonly nClusters: number | undefined;
}

/** A factorised design, reusable for several outcomes (the Anderson–Rubin set needs two). */
export interface PreparedDesign {
  readonly n: number;
  readonly k: number;
  readonly rank: number;
  readonly pivot: Int32Array;
  readonly r: Float64Array;
  readonly rInverse: Float64Array;
  /** Thin Q of the kept columns, row-major N×rank. */
  readonly q1: Float64Array;
}

export function prepareDesign(x: Float64Array, n: number, k: number): PreparedDesign {
  const qr = pivotedQr(x, n, k);
  const q1 = thinQ(qr);
  return { n, k, rank: qr.rank, pivot: qr.pivot, r: qr.r, rInverse: invertUpperTriangular(qr.r, qr.rank), q1 };
}

/** Coefficients (pivot order) and residuals e = y − Q₁Q₁′y (accurate even when X is ill-conditioned). */
export function solveOls(design: PreparedDesign, y: Float64Array): { betaPivot: Float64Array; residuals: Float64Array } {
  const { n, rank, q1 } = design;
  const c = qTransposeTimes(q1, y, n, rank);
  const betaPivot = solveUpper(design.r, c, rank);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let fitted = 0;
    const o = i * rank;
    for (let a = 0; a < rank; a++) fitted += q1[o + a]! * c[a]!;
    residuals[i] = y[i]! - fitted;
  }
  return { betaPivot, residuals };
}

/** OLS of y on the columns of X (column-major N×k) with the given variance. */
export function fitOls(
  x: Float64Array,
  n: number,
  k: number,
  y: Float64Array,
  type: VarianceType,
  clusters?: ClusterIndex,
): LinearFit {
  return fitPrepared(prepareDesign(x, n, k), y, type, clusters);
}

export function fitPrepared(design: PreparedDesign, y: Float64Array, type: VarianceType, clusters?: ClusterIndex): LinearFit {
  const { betaPivot, residuals } = solveOls(design, y);
  return finish(design.pivot, design.rInverse, design.q1, betaPivot, residuals, design.n, design.k, design.rank, type, clusters);
}

/**
 * 2SLS of y on X (N×k, column-major) with instruments Z (N×l, column-major; include the exogenous regressors and
 * the intercept in both). Returns the fit and the rank of Z.
 */
export function fitIv(
  x: Float64Array,
  k: number,
  z: Float64Array,
  l: number,
  n: number,
  y: Float64Array,
  type: VarianceType,
  clusters?: ClusterIndex,
): LinearFit & { readonly instrumentRank: number } {
  const qrZ = pivotedQr(z, n, l);
  const qz = thinQ(qrZ);
  const rz = qrZ.rank;
  // X̂ = Q_Z(Q_Z′X), column by column.
  const xHat = new Float64Array(n * k);
  const coef = new Float64Array(rz);
  for (let j = 0; j < k; j++) {
    coef.fill(0);
    const jo = j * n;
    for (let i = 0; i < n; i++) {
      const xi = x[jo + i]!;
      const o = i * rz;
      for (let a = 0; a < rz; a++) coef[a] = coef[a]! + qz[o + a]! * xi;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * rz;
      for (let a = 0; a < rz; a++) s += qz[o + a]! * coef[a]!;
      xHat[jo + i] = s;
    }
  }
  const qr = pivotedQr(xHat, n, k);
  const q1 = thinQ(qr);
  const rank = qr.rank;
  const c = qTransposeTimes(q1, y, n, rank);
  const betaPivot = solveUpper(qr.r, c, rank);
  // Structural residuals with the actual X (§5).
  const residuals = Float64Array.from(y);
  for (let p = 0; p < rank; p++) {
    const jo = qr.pivot[p]! * n;
    const b = betaPivot[p]!;
    for (let i = 0; i < n; i++) residuals[i] = residuals[i]! - b * x[jo + i]!;
  }
  const fit = finish(qr.pivot, invertUpperTriangular(qr.r, rank), q1, betaPivot, residuals, n, k, rank, type, clusters);
  return { ...fit, instrumentRank: rz };
}

function finish(
  pivot: Int32Array,
  rInverse: Float64Array,
  q1: Float64Array,
  betaPivot: Float64Array,
  residuals: Float64Array,
  n: number,
  k: number,
  rank: number,
  type: VarianceType,
  clusters: ClusterIndex | undefined,
): LinearFit {
  const variance = robustVariance(q1, rInverse, residuals, n, rank, type, clusters);
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
  return { n, k, rank, dropped, coefficients, vcov, df, residuals, nClusters: variance.nClusters };
}
