/**
 * Odds ratio with Woolf's log-scale Wald interval (Woolf 1955, Ann Hum Genet 19:251; ESTIMATORS-MATH.md §6):
 *   OR = ad/(bc),  SE(log OR) = √(1/a + 1/b + 1/c + 1/d),  CI = exp(log OR ± z·SE),  p = 2Φ(−|log OR / SE|).
 * Equals the Wald CI and z test of the treatment coefficient in a saturated logistic GLM (checked against R's
 * glm(family = binomial) in fixtures/contamination). `stdError` is SE(log OR), on the log scale.
 * Zero cells: Haldane–Anscombe +0.5 to all four cells, with a Diagnostic (two-by-two.ts).
 */
import type { Estimate } from '@trialkit/core';
import type { TrialInput } from './trial-input.js';
import { checkLevel } from './errors.js';
import { logScaleEstimate } from './log-scale.js';
import type { TwoByTwoNames } from './log-scale.js';
import { clusterRobust, withDiagnostics } from './risk-ratio.js';
import type { BinaryMeasureOptions } from './risk-ratio.js';
import { clusteredLogStdError } from './clustered.js';
import { checkTwoByTwo, haldaneAnscombeCells, twoByTwoFromTrial, unadjustedDiagnostics } from './two-by-two.js';
import type { TwoByTwo } from './two-by-two.js';

export function oddsRatioFromCounts(table: TwoByTwo, options: BinaryMeasureOptions & TwoByTwoNames = {}): Estimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  checkTwoByTwo(table);
  const cells = haldaneAnscombeCells(table, 'odds ratio');
  const { a, b, c, d } = cells;
  const logEstimate = Math.log(a) + Math.log(d) - Math.log(b) - Math.log(c);
  const logStdError = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return logScaleEstimate({
    estimator: 'odds_ratio',
    seType: 'woolf-log',
    logEstimate,
    logStdError,
    level,
    table,
    cells,
    names: options,
    diagnostics: [],
  });
}

/** Odds ratio of a 0/1 outcome, treatment arm over control arm (unadjusted ITT). */
export function oddsRatio(trial: TrialInput, options: BinaryMeasureOptions = {}): Estimate {
  const table = twoByTwoFromTrial(trial);
  const estimate = oddsRatioFromCounts(table, {
    ...options,
    outcome: trial.outcome.name,
    term: trial.assignment.name,
  });
  const extra = unadjustedDiagnostics(trial);
  const clustered = trial.cluster === undefined || estimate['continuityCorrection'] !== 0 ? null : clusteredLogStdError(trial, 'or');
  if (clustered !== null) return clusterRobust(estimate, clustered, trial, extra);
  return extra.length === 0 ? estimate : withDiagnostics(estimate, extra);
}
