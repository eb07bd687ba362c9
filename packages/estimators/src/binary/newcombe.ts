/**
 * Risk difference p₁ − p₀ with Newcombe's hybrid score interval, method 10 (Newcombe 1998, Stat Med 17:873;
 * ESTIMATORS-MATH.md §6). With Wilson limits (lᵢ, uᵢ) for each arm (wilson.ts):
 *   L = δ − √((p₁ − l₁)² + (u₀ − p₀)²),   U = δ + √((u₁ − p₁)² + (p₀ − l₀)²).
 * No zero-cell correction is needed.
 *
 * The interval has no single standard error. The Estimate reports:
 * - `stdError`: the unpooled Wald SE √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀), for reference only (the interval does not use it);
 * - `statistic`, `pValue`: the score (pooled-variance) z test of p₁ = p₀, i.e. what R's
 *   `prop.test(c(a, c), c(n1, n0), correct = FALSE)` reports (statistic² is its X-squared); `statistic` is therefore
 *   NOT estimate/stdError. `scoreStdError` is the pooled SE it uses.
 */
import { makeEstimate } from '@trialkit/core';
import type { Estimate } from '@trialkit/core';
import type { TrialInput } from './trial-input.js';
import { checkLevel } from './errors.js';
import type { TwoByTwoNames } from './log-scale.js';
import { normalQuantile, normalTwoSidedP } from './normal.js';
import type { BinaryMeasureOptions } from './risk-ratio.js';
import { checkTwoByTwo, twoByTwoFromTrial, unadjustedDiagnostics } from './two-by-two.js';
import type { TwoByTwo } from './two-by-two.js';
import { wilsonLimits } from './wilson.js';

export function newcombeFromCounts(table: TwoByTwo, options: BinaryMeasureOptions & TwoByTwoNames = {}): Estimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  checkTwoByTwo(table);
  const { eventsTreatment: a, nTreatment: n1, eventsControl: c, nControl: n0 } = table;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p1 = a / n1;
  const p0 = c / n0;
  const difference = p1 - p0;
  const [l1, u1] = wilsonLimits(a, n1, z);
  const [l0, u0] = wilsonLimits(c, n0, z);
  const confLow = difference - Math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2);
  const confHigh = difference + Math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2);
  // Score test of p₁ = p₀ with the pooled proportion (as prop.test(correct = FALSE)).
  const pooled = (a + c) / (n1 + n0);
  const scoreStdError = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  const statistic = scoreStdError > 0 ? difference / scoreStdError : 0;
  return makeEstimate({
    estimand: 'ITT',
    estimator: 'newcombe',
    term: options.term ?? 'treatment',
    estimate: difference,
    stdError: Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0),
    statistic,
    df: Infinity,
    pValue: scoreStdError > 0 ? normalTwoSidedP(statistic) : 1,
    confLow,
    confHigh,
    level,
    seType: 'newcombe-hybrid-score',
    nObs: n1 + n0,
    outcome: options.outcome ?? 'outcome',
    diagnostics: [],
    scale: 'difference',
    scoreStdError,
    counts: { ...table },
    risks: { treatment: p1, control: p0 },
    wilson: { treatment: [l1, u1], control: [l0, u0] },
  });
}

/** Risk difference of a 0/1 outcome with the Newcombe (method 10) interval (unadjusted ITT). */
export function newcombeRiskDifference(trial: TrialInput, options: BinaryMeasureOptions = {}): Estimate {
  const table = twoByTwoFromTrial(trial);
  const estimate = newcombeFromCounts(table, { ...options, outcome: trial.outcome.name, term: trial.assignment.name });
  const extra = unadjustedDiagnostics(trial);
  return extra.length === 0 ? estimate : Object.freeze({ ...estimate, diagnostics: Object.freeze([...extra]) });
}
