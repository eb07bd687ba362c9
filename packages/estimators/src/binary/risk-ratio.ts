/**
 * Risk ratio with the Katz log-scale Wald interval (Katz, Baptista, Azen & Pike 1978, Biometrics 34:469;
 * ESTIMATORS-MATH.md §6):
 *   RR = (a/n₁)/(c/n₀),  SE(log RR) = √(1/a − 1/n₁ + 1/c − 1/n₀),  CI = exp(log RR ± z·SE),
 *   p = 2Φ(−|log RR / SE|).
 * Equals the Wald CI and z test of the treatment coefficient in a saturated log-binomial GLM (checked against R's
 * glm(family = binomial(link = "log")) in fixtures/contamination). `stdError` is SE(log RR), on the log scale.
 * Zero cells: Haldane–Anscombe +0.5 to all four cells, with a Diagnostic (two-by-two.ts).
 */
import type { Estimate } from '@trialkit/core';
import type { TrialInput } from './trial-input.js';
import { checkLevel } from './errors.js';
import { logScaleEstimate } from './log-scale.js';
import type { TwoByTwoNames } from './log-scale.js';
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
  return extra.length === 0 ? estimate : withDiagnostics(estimate, extra);
}

export function withDiagnostics(estimate: Estimate, extra: Estimate['diagnostics']): Estimate {
  return Object.freeze({ ...estimate, diagnostics: Object.freeze([...estimate.diagnostics, ...extra]) });
}
