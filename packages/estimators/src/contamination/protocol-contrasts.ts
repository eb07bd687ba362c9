/**
 * Per-protocol and as-treated contrasts (DESIGN.md: descriptive, always with a Diagnostic that they are not
 * randomised comparisons).
 *   per-protocol: mean Y among (Z=1, D=1) − mean Y among (Z=0, D=0)  — those who followed their assignment;
 *   as-treated:   mean Y among D=1 − mean Y among D=0, whatever the assignment.
 * Each is a difference in means with the Welch (unequal-variance) SE √(s₁²/n₁ + s₀²/n₀), Welch–Satterthwaite df and
 * t-based p-value and interval — what estimatr's difference_in_means(y ~ d) reports on the same rows (checked
 * against R in fixtures/contamination); seType 'Welch', as the package's difference_in_means reports it.
 */
import { diagnostic, makeEstimate } from '@trialkit/core';
import type { Estimate } from '@trialkit/core';
import { checkLevel } from '../binary/errors.js';
import type { TrialInput } from '../binary/trial-input.js';
import { studentTQuantile, studentTTwoSidedP } from '@trialkit/core';
import { instrumentColumns } from './columns.js';
import { contaminationErrors } from './errors.js';

interface GroupMoments {
  n: number;
  mean: number;
  variance: number;
}

function moments(outcome: Float64Array, include: (i: number) => boolean): GroupMoments {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < outcome.length; i++) {
    if (!include(i)) continue;
    n++;
    sum += outcome[i] as number;
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < outcome.length; i++) {
    if (!include(i)) continue;
    const deviation = (outcome[i] as number) - mean;
    squares += deviation * deviation;
  }
  return { n, mean, variance: squares / (n - 1) };
}

/** Welch difference in means of two groups as an Estimate (Welch 1947, Biometrika 34:28; Satterthwaite 1946). */
function welchEstimate(
  trial: TrialInput,
  treatedGroup: GroupMoments,
  comparisonGroup: GroupMoments,
  estimand: 'per-protocol' | 'as-treated',
  level: number,
  description: string,
): Estimate {
  const v1 = treatedGroup.variance / treatedGroup.n;
  const v0 = comparisonGroup.variance / comparisonGroup.n;
  const stdError = Math.sqrt(v1 + v0);
  const estimate = treatedGroup.mean - comparisonGroup.mean;
  const df = (v1 + v0) ** 2 / ((v1 * v1) / (treatedGroup.n - 1) + (v0 * v0) / (comparisonGroup.n - 1));
  const statistic = estimate / stdError;
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  return makeEstimate({
    estimand,
    estimator: 'difference_in_means',
    term: trial.received?.name ?? 'received',
    estimate,
    stdError,
    statistic,
    df,
    pValue: studentTTwoSidedP(statistic, df),
    confLow: estimate - t * stdError,
    confHigh: estimate + t * stdError,
    level,
    seType: 'Welch',
    nObs: treatedGroup.n + comparisonGroup.n,
    outcome: trial.outcome.name,
    diagnostics: [
      diagnostic('ESTIMATORS_NOT_RANDOMISED', 'warning',
        `The ${estimand} contrast compares ${description}. These groups were not formed by randomisation, so the ` +
          'difference mixes the effect of the programme with differences between the people who did and did not take ' +
          'it up; use the ITT or the CACE for causal claims.'),
      ...(trial.cluster === undefined ? [] : [diagnostic('ESTIMATORS_PROTOCOL_IGNORES_CLUSTERS', 'warning',
        `The Welch standard error treats participants as independent and ignores the clusters in "${trial.cluster.name}".`)]),
    ],
    groupMeans: { treated: treatedGroup.mean, comparison: comparisonGroup.mean },
    groupSizes: { treated: treatedGroup.n, comparison: comparisonGroup.n },
  });
}

function checkGroup(group: GroupMoments, name: string): void {
  if (group.n < 2) throw contaminationErrors.groupTooSmall(name, `it has ${group.n} participant(s) and a variance needs at least 2`);
}

/** Per-protocol: (Z=1, D=1) vs (Z=0, D=0). */
export function perProtocol(trial: TrialInput, options: { readonly level?: number } = {}): Estimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const { assignment, received, outcome } = instrumentColumns(trial, 1, 'the per-protocol contrast');
  const treated = moments(outcome, (i) => assignment[i] === 1 && received[i] === 1);
  const comparison = moments(outcome, (i) => assignment[i] === 0 && received[i] === 0);
  checkGroup(treated, 'assigned-and-took-up');
  checkGroup(comparison, 'control-and-did-not-take-up');
  return welchEstimate(trial, treated, comparison, 'per-protocol', level,
    'people assigned to the programme who took it up with controls who did not take it up');
}

/** As-treated: D=1 vs D=0, ignoring assignment. */
export function asTreated(trial: TrialInput, options: { readonly level?: number } = {}): Estimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const { received, outcome } = instrumentColumns(trial, 1, 'the as-treated contrast');
  const treated = moments(outcome, (i) => received[i] === 1);
  const comparison = moments(outcome, (i) => received[i] === 0);
  checkGroup(treated, 'took-up');
  checkGroup(comparison, 'did-not-take-up');
  return welchEstimate(trial, treated, comparison, 'as-treated', level,
    'everyone who took up the programme with everyone who did not, whatever their assignment');
}
