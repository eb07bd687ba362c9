/**
 * Risk ratio with the Katz log-scale Wald interval (Katz, Baptista, Azen & Pike 1978, Biometrics 34:469;
 * ESTIMATORS-MATH.md §6):
 *   RR = (a/n₁)/(c/n₀),  SE(log RR) = √(1/a − 1/n₁ + 1/c − 1/n₀),  CI = exp(log RR ± z·SE),
 *   p = 2Φ(−|log RR / SE|).
 * Equals the Wald CI and z test of the treatment coefficient in a saturated log-binomial GLM (checked against R's
 * glm(family = binomial(link = "log")) in fixtures/contamination). `stdError` is SE(log RR), on the log scale.
 * Zero cells: Haldane–Anscombe +0.5 to all four cells, with a Diagnostic (two-by-two.ts).
 */
import { diagnostic, makeEstimate, type Estimate } from '@trialkit/core';
import { normalQuantile, normalTwoSidedP } from './normal.js';
import type { TrialInput } from './trial-input.js';
import { checkLevel } from './errors.js';
import { logScaleEstimate } from './log-scale.js';
import type { TwoByTwoNames } from './log-scale.js';
import { clusteredLogStdError } from './clustered.js';
import { checkTwoByTwo, haldaneAnscombeCells, twoByTwoFromTrial, unadjustedDiagnostics } from './two-by-two.js';
import type { TwoByTwo } from './two-by-two.js';

export interface BinaryMeasureOptions {
  /** Confidence level, default 0.95. */
  readonly level?: number;
}

export function riskRatioFromCounts(table: TwoByTwo, options: BinaryMeasureOptions & TwoByTwoNames = {}): Estimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  checkTwoByTwo(table);
  const cells = haldaneAnscombeCells(table, 'risk ratio');
  const { a, b, c, d } = cells;
  const n1 = a + b;
  const n0 = c + d;
  const logEstimate = Math.log(a / n1) - Math.log(c / n0);
  const logStdError = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0);
  return logScaleEstimate({
    estimator: 'risk_ratio',
    seType: 'katz-log',
    logEstimate,
    logStdError,
    level,
    table,
    cells,
    names: options,
    diagnostics: [],
  });
}

/** Risk ratio of a 0/1 outcome, treatment arm over control arm (unadjusted ITT). */
export function riskRatio(trial: TrialInput, options: BinaryMeasureOptions = {}): Estimate {
  const table = twoByTwoFromTrial(trial);
  const estimate = riskRatioFromCounts(table, {
    ...options,
    outcome: trial.outcome.name,
    term: trial.assignment.name,
  });
  const extra = unadjustedDiagnostics(trial);
  const clustered = trial.cluster === undefined || estimate['continuityCorrection'] !== 0 ? null : clusteredLogStdError(trial, 'rr');
  if (clustered !== null) return clusterRobust(estimate, clustered, trial, extra);
  return extra.length === 0 ? estimate : withDiagnostics(estimate, extra);
}

export function withDiagnostics(estimate: Estimate, extra: Estimate['diagnostics']): Estimate {
  return Object.freeze({ ...estimate, diagnostics: Object.freeze([...estimate.diagnostics, ...extra]) });
}

/**
 * The same log-scale measure with the cluster-robust SE (clustered.ts): interval, z and p recomputed; the
 * "ignores the clusters" warning replaced by a note of the method.
 */
export function clusterRobust(estimate: Estimate, logStdError: number, trial: { readonly cluster?: { readonly name: string } }, extra: Estimate['diagnostics']): Estimate {
  const logEstimate = estimate['logEstimate'] as number;
  const z = normalQuantile(1 - (1 - estimate.level) / 2);
  const statistic = logEstimate / logStdError;
  const kept = extra.filter((d) => d.code !== 'ESTIMATORS_BINARY_IGNORES_CLUSTERS');
  return makeEstimate({
    ...estimate,
    stdError: logStdError,
    statistic,
    pValue: normalTwoSidedP(statistic),
    confLow: Math.exp(logEstimate - z * logStdError),
    confHigh: Math.exp(logEstimate + z * logStdError),
    seType: 'CR0-log',
    diagnostics: [
      ...estimate.diagnostics,
      ...kept,
      diagnostic(
        'ESTIMATORS_BINARY_CLUSTER_ROBUST',
        'info',
        `The standard error of the log ${estimate.estimator === 'risk_ratio' ? 'risk' : 'odds'} ratio is cluster-robust over the clusters in "${trial.cluster?.name ?? 'cluster'}" (delta method, CR0 with G/(G − 1): R's sandwich::vcovCL of the saturated GLM); with few clusters it is anti-conservative.`,
      ),
    ],
  });
}
