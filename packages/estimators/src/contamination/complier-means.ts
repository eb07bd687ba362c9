/**
 * Complier outcome means E[Y(1) | C] and E[Y(0) | C] (ESTIMATORS-MATH.md §7; Imbens & Rubin 1997, Ann Stat 25:305,
 * moment/plug-in form; equal to Abadie's κ₁/κ₀-weighted means with π̂ = Z̄):
 *   E[Y(1)|C] = (E[DY|Z=1] − E[DY|Z=0]) / π_c,   E[Y(0)|C] = (E[(1−D)Y|Z=0] − E[(1−D)Y|Z=1]) / π_c,
 *   π_c = P(D=1|Z=1) − P(D=1|Z=0).
 * Their difference is the Wald / IV estimate (E[Y|Z=1] − E[Y|Z=0]) / π_c up to rounding. Standard errors: delta
 * method on the influence functions, conditional on the arm sizes (arm-ratio.ts); for the Wald estimate this equals
 * iv_robust(y ~ d | z, se_type = "HC2"), and with clusters (CR0) iv_robust(..., clusters, se_type = "CR0").
 * Intervals are normal. Always-taker mean E[Y|Z=0,D=1] and never-taker mean
 * E[Y|Z=1,D=0] are reported with SE s/√n. One-sided noncompliance is the special case π_a = 0 of the same formulas.
 */
import { diagnostic } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import { checkLevel } from '../binary/errors.js';
import type { TrialInput } from '../binary/trial-input.js';
import { armRatio, clusterCodes } from './arm-ratio.js';
import { clusterRobustDiagnostic } from './cluster-note.js';
import { instrumentColumns } from './columns.js';
import { contaminationErrors } from './errors.js';
import { normalInterval, zForLevel } from './interval.js';
import type { NormalInterval } from './interval.js';
import { subgroupMean } from './subgroup-mean.js';
import type { SubgroupMean } from './subgroup-mean.js';

export interface ComplierMeans {
  readonly level: number;
  readonly outcome: string;
  readonly method: string;
  readonly complierShare: number;
  readonly standardErrors: 'independent' | 'cluster-robust-CR0';
  /** E[Y(1) | complier]. */
  readonly treatedComplierMean: NormalInterval;
  /** E[Y(0) | complier]. */
  readonly untreatedComplierMean: NormalInterval;
  /** The Wald / IV estimate (CACE) = treated − untreated complier mean; SE = iv_robust HC2. */
  readonly cace: NormalInterval;
  /** E[Y | Z=0, D=1]; null when fewer than 2 such rows. */
  readonly alwaysTakerMean: SubgroupMean | null;
  /** E[Y | Z=1, D=0]; null when fewer than 2 such rows. */
  readonly neverTakerMean: SubgroupMean | null;
  readonly diagnostics: readonly Diagnostic[];
}

const METHOD =
  'Complier means by the moment (Imbens–Rubin plug-in) formulas, equal to Abadie κ₁/κ₀ weighting with π = mean(Z); ' +
  'their difference is the Wald estimate. Delta-method standard errors conditional on the arm sizes (for the Wald ' +
  'estimate identical to iv_robust HC2), participants treated as independent, or cluster-robust CR0 (= iv_robust CR0) ' +
  'when the trial has clusters; normal intervals.';

export function complierMeans(trial: TrialInput, options: { readonly level?: number } = {}): ComplierMeans {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const { assignment, received, outcome, n } = instrumentColumns(trial, 2, 'complier means');
  const z = zForLevel(level);
  const clusters = clusterCodes(trial.cluster);
  const signedReceived = new Float64Array(n);
  const treatedPart = new Float64Array(n);
  const untreatedPart = new Float64Array(n);
  const signedOutcome = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sign = assignment[i] === 1 ? 1 : -1;
    const d = received[i] as number;
    const y = outcome[i] as number;
    signedReceived[i] = sign * d;
    treatedPart[i] = sign * d * y; // E[DY|Z=1] − E[DY|Z=0]
    untreatedPart[i] = -sign * (1 - d) * y; // E[(1−D)Y|Z=0] − E[(1−D)Y|Z=1]
    signedOutcome[i] = sign * y; // ITT numerator
  }
  const treated = armRatio(assignment, treatedPart, signedReceived, clusters);
  const complierShare = treated.denominator;
  if (!(complierShare > 0)) throw contaminationErrors.noCompliers(complierShare);
  const untreated = armRatio(assignment, untreatedPart, signedReceived, clusters);
  const wald = armRatio(assignment, signedOutcome, signedReceived, clusters);
  const alwaysTakerMean = subgroupMean(outcome, (i) => assignment[i] === 0 && received[i] === 1, z, clusters);
  const neverTakerMean = subgroupMean(outcome, (i) => assignment[i] === 1 && received[i] === 0, z, clusters);
  const diagnostics: Diagnostic[] = [];
  if (complierShare < 0.1) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIER_MEANS_SMALL_SHARE', 'warning',
      `The complier share is only ${(100 * complierShare).toFixed(1)}%, so complier means are imprecise and can fall outside the range of the outcome.`));
  }
  diagnostics.push(...clusterRobustDiagnostic('ESTIMATORS_COMPLIER_MEANS_CLUSTER_ROBUST', trial.cluster, 'the complier means and the CACE'));
  return {
    level,
    outcome: trial.outcome.name,
    method: METHOD,
    complierShare,
    standardErrors: clusters === undefined ? 'independent' : 'cluster-robust-CR0',
    treatedComplierMean: normalInterval(treated.estimate, treated.stdError, z),
    untreatedComplierMean: normalInterval(untreated.estimate, untreated.stdError, z),
    cace: normalInterval(wald.estimate, wald.stdError, z),
    alwaysTakerMean,
    neverTakerMean,
    diagnostics,
  };
}
