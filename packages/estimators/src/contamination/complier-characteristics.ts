/**
 * Who the CACE is about: baseline covariate means among compliers, always-takers (contaminated controls) and
 * never-takers, and overall.
 *
 * Compliers — Abadie (2003, J Econometrics 113:231, §3; ESTIMATORS-MATH.md §7) κ weighting with π̂ = Z̄:
 *   κᵢ = 1 − Dᵢ(1 − Zᵢ)/(1 − π̂) − (1 − Dᵢ)Zᵢ/π̂,   E[X | C] = Σκᵢxᵢ / Σκᵢ.
 * Since Σκᵢxᵢ/n = X̄ − Ē_{Z=0}[DX] − Ē_{Z=1}[(1−D)X] and Σκᵢ/n = p₁ − p₀ (exact identities), the estimate is a ratio
 * of arm-mean contrasts with uᵢ = (n₀/n)xᵢ − Dᵢxᵢ in control, uᵢ = (n₁/n)xᵢ − (1−Dᵢ)xᵢ in treatment, vᵢ = ±Dᵢ; its
 * standard error is the delta method on those influence functions, conditional on the arm sizes (arm-ratio.ts).
 * Always-takers: mean over Z = 0, D = 1; never-takers: mean over Z = 1, D = 0 (under monotonicity these rows are
 * exactly those strata; SE s/√n). Overall: the sample mean, SE s/√n. All intervals are normal (delta method). With
 * clusters (trial.cluster) every SE is cluster-robust CR0 instead (arm-ratio.ts, subgroup-mean.ts).
 */
import { diagnostic, internalError } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import { checkLevel } from '../binary/errors.js';
import type { TrialInput, TrialNamedVector } from '../binary/trial-input.js';
import { armRatio, clusterCodes } from './arm-ratio.js';
import { clusterRobustDiagnostic } from './cluster-note.js';
import { instrumentColumns } from './columns.js';
import { contaminationErrors } from './errors.js';
import { normalInterval, zForLevel } from './interval.js';
import type { NormalInterval } from './interval.js';
import { subgroupMean } from './subgroup-mean.js';
import type { SubgroupMean } from './subgroup-mean.js';

export interface CovariateByStratum {
  readonly name: string;
  readonly overall: SubgroupMean;
  /** κ-weighted complier mean (Abadie). */
  readonly compliers: NormalInterval;
  /** Controls who took up (Z=0, D=1); null when fewer than 2. */
  readonly alwaysTakers: SubgroupMean | null;
  /** Treated who did not take up (Z=1, D=0); null when fewer than 2. */
  readonly neverTakers: SubgroupMean | null;
}

export interface ComplierCharacteristics {
  readonly level: number;
  readonly method: string;
  /** mean(κ) = p₁ − p₀. */
  readonly complierShare: number;
  readonly standardErrors: 'independent' | 'cluster-robust-CR0';
  readonly counts: { readonly alwaysTakers: number; readonly neverTakers: number; readonly n: number };
  readonly covariates: readonly CovariateByStratum[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ComplierCharacteristicsOptions {
  readonly level?: number;
  /** Columns to describe; default the trial's covariates. */
  readonly covariates?: readonly TrialNamedVector[];
}

const METHOD =
  "Compliers: Abadie's (2003) κ-weighted means with π = mean(Z); always-takers: controls who took up; never-takers: " +
  'treated who did not take up; overall: all participants. Standard errors by the delta method on the influence ' +
  'functions, conditional on the arm sizes, treating participants as independent (cluster-robust CR0 when the trial ' +
  'has clusters); normal intervals.';

/** Abadie's κ for each row, with π̂ = Z̄. */
export function abadieKappa(assignment: Float64Array, received: Float64Array): Float64Array {
  const n = assignment.length;
  let treated = 0;
  for (let i = 0; i < n; i++) treated += assignment[i] as number;
  const pi = treated / n;
  const kappa = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = assignment[i] as number;
    const d = received[i] as number;
    kappa[i] = 1 - (d * (1 - z)) / (1 - pi) - ((1 - d) * z) / pi;
  }
  return kappa;
}

export function complierCharacteristics(
  trial: TrialInput,
  options: ComplierCharacteristicsOptions = {},
): ComplierCharacteristics {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const columns = instrumentColumns(trial, 2, 'complier characteristics');
  const { assignment, received, n, nTreatment, nControl } = columns;
  const covariates = options.covariates ?? trial.covariates;
  const z = zForLevel(level);
  const clusters = clusterCodes(trial.cluster);
  const kappa = abadieKappa(assignment, received);
  let kappaSum = 0;
  for (let i = 0; i < n; i++) kappaSum += kappa[i] as number;
  const complierShare = kappaSum / n;
  if (!(complierShare > 0)) throw contaminationErrors.noCompliers(complierShare);

  const signedReceived = new Float64Array(n);
  for (let i = 0; i < n; i++) signedReceived[i] = assignment[i] === 1 ? (received[i] as number) : -(received[i] as number);
  const weightTreatment = nTreatment / n;
  const weightControl = nControl / n;
  const isAlwaysTaker = (i: number): boolean => assignment[i] === 0 && received[i] === 1;
  const isNeverTaker = (i: number): boolean => assignment[i] === 1 && received[i] === 0;
  let alwaysTakers = 0;
  let neverTakers = 0;
  for (let i = 0; i < n; i++) {
    if (isAlwaysTaker(i)) alwaysTakers++;
    if (isNeverTaker(i)) neverTakers++;
  }

  const out: CovariateByStratum[] = [];
  const numerator = new Float64Array(n);
  for (const covariate of covariates) {
    const x = covariate.values;
    if (x.length !== n) throw contaminationErrors.lengthMismatch(`The covariate "${covariate.name}"`, n, x.length);
    let weighted = 0;
    for (let i = 0; i < n; i++) {
      const value = x[i] as number;
      if (!Number.isFinite(value)) throw contaminationErrors.badCovariate(covariate.name, `row ${i + 1} is not finite`);
      weighted += (kappa[i] as number) * value;
      const d = received[i] as number;
      numerator[i] = assignment[i] === 1 ? weightTreatment * value - (1 - d) * value : weightControl * value - d * value;
    }
    const ratio = armRatio(assignment, numerator, signedReceived, clusters);
    const overall = subgroupMean(x, () => true, z, clusters);
    if (overall === null) throw internalError('ESTIMATORS_INTERNAL_OVERALL_MEAN', 'an overall mean over at least 4 rows came back empty');
    out.push({
      name: covariate.name,
      overall,
      compliers: normalInterval(weighted / kappaSum, ratio.stdError, z),
      alwaysTakers: subgroupMean(x, isAlwaysTaker, z, clusters),
      neverTakers: subgroupMean(x, isNeverTaker, z, clusters),
    });
  }

  const diagnostics: Diagnostic[] = [];
  if (covariates.length === 0) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIERS_NO_COVARIATES', 'info', 'No covariates were given, so there are no complier characteristics to describe.'));
  }
  if (alwaysTakers === 1 || neverTakers === 1) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIERS_STRATUM_TOO_SMALL', 'info',
      `Only one ${alwaysTakers === 1 ? 'always-taker (contaminated control)' : 'never-taker'} was seen, so that stratum's means are not reported.`));
  }
  if (complierShare < 0.1) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIERS_SMALL_SHARE', 'warning',
      `The complier share is only ${(100 * complierShare).toFixed(1)}%, so κ-weighted complier means are imprecise and can fall outside the range of the data.`));
  }
  diagnostics.push(...clusterRobustDiagnostic('ESTIMATORS_COMPLIERS_CLUSTER_ROBUST', trial.cluster, 'the covariate means'));
  return {
    level,
    method: METHOD,
    complierShare,
    standardErrors: clusters === undefined ? 'independent' : 'cluster-robust-CR0',
    counts: { alwaysTakers, neverTakers, n },
    covariates: out,
    diagnostics,
  };
}
