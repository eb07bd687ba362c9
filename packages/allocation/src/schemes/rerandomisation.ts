/**
 * Re-randomisation — scheme version `rerandomisation@1`.
 *
 * Morgan & Rubin (2012), "Rerandomization to improve covariate balance in experiments", Annals of Statistics
 * 40(2):1263–1282. Draw complete (or stratified) randomisations (complete.ts, all from one stream
 * rng = deriveRng(seed, "rerandomisation@1")) until one has
 *   M = Σ_a n_a (x̄_a − x̄)ᵀ S⁻¹ (x̄_a − x̄)  ≤  threshold,
 * where S is the sample covariance of the covariates (divisor n − 1). With two arms M = n p(1−p) (x̄_T − x̄_C)ᵀ S⁻¹
 * (x̄_T − x̄_C), Morgan & Rubin's statistic; under randomisation M is approximately χ² with K(A − 1) degrees of
 * freedom, so the threshold for an acceptance probability p_a is the χ² quantile at p_a (their §3). The first
 * acceptable draw is the allocation; the number of draws is reported. Analyse with randomisation inference that
 * respects the criterion (Morgan & Rubin §4), and check each unit's probabilities with --simulate.
 */
import type { ArmRatio } from '../arms.js';
import { chiSquareQuantile, cholesky, mahalanobisSquared } from '../balance.js';
import { deriveRng } from '../derive.js';
import { allocationErrors } from '../errors.js';
import type { PreparedUnits } from '../prepare.js';
import type { AllocationRequest } from '../types.js';
import { completeAllocation } from './complete.js';

export const RERANDOMISATION_VERSION = 'rerandomisation@1';

export interface CovariateMatrix {
  readonly names: readonly string[];
  /** Row-major n × K. */
  readonly values: Float64Array;
  readonly n: number;
  readonly K: number;
}

export function covariateMatrix(request: AllocationRequest, n: number): CovariateMatrix {
  const covariates = request.covariates ?? [];
  if (covariates.length === 0) {
    throw allocationErrors.badOption('--covariates', undefined, `The ${request.scheme} scheme needs numeric covariates to balance`, 'Give --covariates col1,col2.');
  }
  const K = covariates.length;
  const values = new Float64Array(n * K);
  covariates.forEach((covariate, k) => {
    if (covariate.values.length !== n) throw allocationErrors.lengthMismatch(`covariate ${covariate.name}`, n, covariate.values.length);
    for (let i = 0; i < n; i++) {
      const v = covariate.values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw allocationErrors.badCovariate(covariate.name, i + 1, v);
      values[i * K + k] = v;
    }
  });
  return { names: covariates.map((c) => c.name), values, n, K };
}

/** Sample covariance (divisor n − 1) and its Cholesky factor; a constant or collinear covariate is an error. */
export function covarianceFactor(X: CovariateMatrix): { L: Float64Array; mean: Float64Array } {
  const { n, K, values } = X;
  if (n < K + 2) throw allocationErrors.tooFewUnits(`Balancing ${K} covariates needs at least ${K + 2} units; there are ${n}`);
  const mean = new Float64Array(K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) mean[k] = (mean[k] as number) + (values[i * K + k] as number) / n;
  const S = new Float64Array(K * K);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < K; j++) {
      const dj = (values[i * K + j] as number) - (mean[j] as number);
      for (let k = 0; k <= j; k++) S[j * K + k] = (S[j * K + k] as number) + dj * ((values[i * K + k] as number) - (mean[k] as number));
    }
  }
  for (let j = 0; j < K; j++) {
    for (let k = 0; k <= j; k++) {
      const v = (S[j * K + k] as number) / (n - 1);
      S[j * K + k] = v;
      S[k * K + j] = v;
    }
  }
  for (let k = 0; k < K; k++) {
    // A covariate whose variance is rounding noise around its mean is constant.
    if (!((S[k * K + k] as number) > 1e-20 * Math.max(1, (mean[k] as number) ** 2))) {
      throw allocationErrors.badOption('--covariates', X.names[k], `The covariate "${X.names[k]}" is constant, so its balance cannot be measured`, 'Drop constant covariates.');
    }
  }
  const L = cholesky(S, K);
  if (L === undefined) {
    throw allocationErrors.badOption('--covariates', X.names.join(','), 'The covariates are constant or collinear, so their balance cannot be measured', 'Drop constant covariates and any that are combinations of others.');
  }
  return { L, mean };
}

/** M for an allocation (arm index per unit). */
export function mahalanobisBalance(X: CovariateMatrix, factor: { L: Float64Array; mean: Float64Array }, armIndex: Uint8Array, A: number): number {
  const { n, K, values } = X;
  const sums = new Float64Array(A * K);
  const counts = new Float64Array(A);
  for (let i = 0; i < n; i++) {
    const a = armIndex[i] as number;
    counts[a] = (counts[a] as number) + 1;
    for (let k = 0; k < K; k++) sums[a * K + k] = (sums[a * K + k] as number) + (values[i * K + k] as number);
  }
  let total = 0;
  const diff = new Float64Array(K);
  for (let a = 0; a < A; a++) {
    const na = counts[a] as number;
    if (na === 0) continue;
    for (let k = 0; k < K; k++) diff[k] = (sums[a * K + k] as number) / na - (factor.mean[k] as number);
    total += na * mahalanobisSquared(factor.L, K, diff);
  }
  return total;
}

export function rerandomisationAllocation(
  request: AllocationRequest,
  units: PreparedUnits,
  arms: readonly ArmRatio[],
): { armIndex: Uint8Array; parameters: Record<string, unknown>; report: Record<string, unknown> } {
  const X = covariateMatrix(request, units.n);
  const factor = covarianceFactor(X);
  const df = X.K * (arms.length - 1);
  const acceptance = request.acceptance ?? 0.1;
  if (request.threshold === undefined && (!(acceptance > 0) || !(acceptance < 1))) {
    throw allocationErrors.badOption('--acceptance', acceptance, 'The acceptance probability must be between 0 and 1', 'Morgan and Rubin use e.g. 0.1 or 0.01.');
  }
  const threshold = request.threshold ?? chiSquareQuantile(acceptance, df);
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw allocationErrors.badOption('--threshold', threshold, 'The threshold must be a positive number', 'Give a positive Mahalanobis threshold.');
  const maxDraws = request.maxDraws ?? 100_000;
  const rng = deriveRng(request.seed, RERANDOMISATION_VERSION);
  for (let draw = 1; draw <= maxDraws; draw++) {
    const armIndex = completeAllocation(units.stratumIndex, units.strataOrder.length, arms, rng);
    const M = mahalanobisBalance(X, factor, armIndex, arms.length);
    if (M <= threshold) {
      return {
        armIndex,
        parameters: { covariates: X.names, threshold, ...(request.threshold === undefined ? { acceptance } : {}), df, maxDraws },
        report: { draws: draw, mahalanobis: M, threshold },
      };
    }
  }
  throw allocationErrors.noAcceptableDraw(maxDraws, threshold);
}
