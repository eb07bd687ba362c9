/**
 * Take-up, contamination and principal-stratum shares (issue 4, "compliance in the result").
 *
 * With Z the assignment and D the treatment received (ESTIMATORS-MATH.md §7; Angrist, Imbens & Rubin 1996, JASA
 * 91:444, under monotonicity — no defiers):
 *   take-up       p₁ = P(D=1 | Z=1)
 *   contamination p₀ = P(D=1 | Z=0)
 *   always-takers π_a = p₀,  never-takers π_n = 1 − p₁,  compliers π_c = p₁ − p₀.
 * Inference, conditional on the arm sizes (independent binomial arms):
 * - p₁, p₀ (and per group under `by`): Wilson score intervals, as R's prop.test(correct = FALSE); stdError is the
 *   binomial √(p(1−p)/n).
 * - shares: delta-method (Wald) SE and normal interval, SE(π_c) = √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀).
 * With clusters (trial.cluster): the shares' SEs and intervals, and take-up's and contamination's `stdError`, are
 * cluster-robust (CR0, Liang–Zeger; equal to lm_robust(d ~ z, clusters, se_type = "CR0")); the Wilson intervals
 * stay the independent-participant ones (said in a Diagnostic).
 * One-sided noncompliance (p₀ = 0 or p₁ = 1) is recognised and named; a negative or small complier share (or one
 * whose interval reaches 0) is a Diagnostic, since monotonicity or the first stage is then in doubt.
 */
import { diagnostic } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import { checkLevel } from '../binary/errors.js';
import type { TrialGrouping, TrialInput } from '../binary/trial-input.js';
import { wilsonInterval } from '../binary/wilson.js';
import type { ProportionInterval } from '../binary/wilson.js';
import { armContrast, clusterCodes } from './arm-ratio.js';
import { FEW_CLUSTERS } from './cluster-note.js';
import { instrumentColumns } from './columns.js';
import { contaminationErrors } from './errors.js';
import { normalInterval, zForLevel } from './interval.js';
import type { NormalInterval } from './interval.js';

export type Noncompliance =
  /** Everyone followed assignment: p₁ = 1, p₀ = 0. */
  | 'none'
  /** Only non-take-up in the treatment arm (p₀ = 0): no always-takers. */
  | 'one-sided-non-take-up'
  /** Only contamination of controls (p₁ = 1): no never-takers. */
  | 'one-sided-contamination'
  | 'two-sided';

export interface ShareEstimate extends NormalInterval {
  readonly ciMethod: 'delta-wald';
}

export interface ComplianceGroup {
  readonly label: string;
  readonly nTreatment: number;
  readonly nControl: number;
  /** null when the group has no treatment-arm participants. */
  readonly takeUp: ProportionInterval | null;
  /** null when the group has no control-arm participants. */
  readonly contamination: ProportionInterval | null;
  /** p₁ − p₀ in the group (delta method); null when either arm is empty. */
  readonly complierShare: ShareEstimate | null;
}

/** JSON-serialisable compliance summary (appears as `compliance` in `trialkit estimate --json`). */
export interface Compliance {
  readonly level: number;
  readonly assignment: string;
  readonly received: string;
  readonly n: number;
  readonly nTreatment: number;
  readonly nControl: number;
  readonly counts: {
    /** Z=1, D=1 */
    readonly treatmentTookUp: number;
    /** Z=1, D=0 */
    readonly treatmentDidNotTakeUp: number;
    /** Z=0, D=1 */
    readonly controlTookUp: number;
    /** Z=0, D=0 */
    readonly controlDidNotTakeUp: number;
  };
  /** P(D=1 | Z=1), Wilson interval. */
  readonly takeUp: ProportionInterval;
  /** P(D=1 | Z=0), Wilson interval. */
  readonly contamination: ProportionInterval;
  readonly noncompliance: Noncompliance;
  /** Shares under monotonicity, delta-method SEs and Wald intervals. */
  readonly shares: {
    readonly compliers: ShareEstimate;
    readonly alwaysTakers: ShareEstimate;
    readonly neverTakers: ShareEstimate;
  };
  readonly method: string;
  /** 'independent' (binomial / delta-method SEs) or 'cluster-robust-CR0' when the trial has clusters. */
  readonly standardErrors: 'independent' | 'cluster-robust-CR0';
  readonly nClusters: number | null;
  /** Per-group take-up and contamination (for the "by office / by month" charts); null without a grouping. */
  readonly byGroup: { readonly name: string; readonly groups: readonly ComplianceGroup[] } | null;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ComplianceOptions {
  /** Confidence level, default 0.95. */
  readonly level?: number;
  /** Grouping for per-group take-up and contamination; defaults to the trial's own `by` grouping, if any. */
  readonly by?: TrialGrouping;
  /** Complier share below which a Diagnostic warns of a weak first stage (default 0.1). */
  readonly smallComplierShare?: number;
}

const METHOD =
  'Take-up and contamination: proportions with Wilson score intervals (prop.test, correct = FALSE). Shares under ' +
  'monotonicity (no defiers): always-takers = contamination, never-takers = 1 − take-up, compliers = take-up − ' +
  'contamination; delta-method (Wald) standard errors and normal intervals, conditional on the arm sizes, treating ' +
  'participants as independent, or cluster-robust (CR0) when the trial has clusters.';

function share(estimate: number, variance: number, z: number): ShareEstimate {
  return { ...normalInterval(estimate, Math.sqrt(variance), z), ciMethod: 'delta-wald' };
}

function classify(takeUp: number, contamination: number): Noncompliance {
  if (contamination === 0 && takeUp === 1) return 'none';
  if (contamination === 0) return 'one-sided-non-take-up';
  if (takeUp === 1) return 'one-sided-contamination';
  return 'two-sided';
}

export function computeCompliance(trial: TrialInput, options: ComplianceOptions = {}): Compliance {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const smallShare = options.smallComplierShare ?? 0.1;
  const columns = instrumentColumns(trial, 1, 'take-up and contamination');
  const { assignment, received, nTreatment, nControl } = columns;
  let treatmentTookUp = 0;
  let controlTookUp = 0;
  for (let i = 0; i < columns.n; i++) {
    if (received[i] === 1) {
      if (assignment[i] === 1) treatmentTookUp++;
      else controlTookUp++;
    }
  }
  const z = zForLevel(level);
  const takeUp = wilsonInterval(treatmentTookUp, nTreatment, level);
  const contamination = wilsonInterval(controlTookUp, nControl, level);
  const p1 = takeUp.estimate;
  const p0 = contamination.estimate;
  let variance1 = (p1 * (1 - p1)) / nTreatment;
  let variance0 = (p0 * (1 - p0)) / nControl;
  let complierVariance = variance1 + variance0;
  const clusters = clusterCodes(trial.cluster);
  if (clusters !== undefined) {
    // CR0 by the influence functions of the arm means (arm-ratio.ts): u = D in one arm and 0 in the other.
    const inTreatment = new Float64Array(columns.n);
    const inControl = new Float64Array(columns.n);
    const signed = new Float64Array(columns.n);
    for (let i = 0; i < columns.n; i++) {
      const d = received[i] as number;
      if (assignment[i] === 1) inTreatment[i] = d;
      else inControl[i] = d;
      signed[i] = assignment[i] === 1 ? d : -d;
    }
    variance1 = armContrast(assignment, inTreatment, clusters).stdError ** 2;
    variance0 = armContrast(assignment, inControl, clusters).stdError ** 2;
    complierVariance = armContrast(assignment, signed, clusters).stdError ** 2;
  }
  const compliers = share(p1 - p0, complierVariance, z);
  const shares = {
    compliers,
    alwaysTakers: share(p0, variance0, z),
    neverTakers: share(1 - p1, variance1, z),
  };
  const noncompliance = classify(p1, p0);

  const diagnostics: Diagnostic[] = [];
  const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
  if (noncompliance === 'one-sided-non-take-up') {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_ONE_SIDED', 'info',
      `One-sided noncompliance: no control took up the programme, so there are no always-takers; the complier share is the take-up ${percent(p1)}.`));
  } else if (noncompliance === 'one-sided-contamination') {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_ONE_SIDED', 'info',
      `One-sided noncompliance: everyone assigned to treatment took it up, so there are no never-takers; only contamination (${percent(p0)} of controls) dilutes the ITT.`));
  }
  if (compliers.estimate < 0) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_NEGATIVE_COMPLIER_SHARE', 'warning',
      `Take-up in the control arm (${percent(p0)}) exceeds take-up in the treatment arm (${percent(p1)}): the complier share is negative, so monotonicity (no defiers) or the randomisation is in doubt, and complier analyses are not meaningful.`));
  } else if (compliers.estimate < smallShare || compliers.confLow <= 0) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_SMALL_COMPLIER_SHARE', 'warning',
      `The complier share is ${percent(compliers.estimate)} (${Math.round(level * 100)}% CI ${percent(compliers.confLow)} to ${percent(compliers.confHigh)}): assignment moved few people into the programme, so the CACE and complier means are imprecise and sensitive to small violations of monotonicity or exclusion.`));
  }
  if (trial.cluster !== undefined) {
    const count = trial.cluster.labels.length;
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_CLUSTER_ROBUST', count < FEW_CLUSTERS ? 'warning' : 'info',
      `Standard errors of take-up, contamination and the shares are cluster-robust (CR0) over the ${count} clusters in "${trial.cluster.name}"` +
        (count < FEW_CLUSTERS ? ', which are few: CR0 intervals are then too narrow' : '') +
        '; the Wilson intervals for take-up and contamination (overall and by group) treat participants as independent.'));
  }
  if (trial.blocks !== undefined) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_POOLS_BLOCKS', 'info',
      `Take-up and contamination are pooled over the blocks in "${trial.blocks.name}" (not block-weighted).`));
  }

  const grouping = options.by ?? trial.by;
  const byGroup = grouping === undefined ? null : complianceByGroup(columns.assignment, received, grouping, level, z, diagnostics);

  return {
    level,
    assignment: trial.assignment.name,
    received: trial.received?.name ?? 'received',
    n: columns.n,
    nTreatment,
    nControl,
    counts: {
      treatmentTookUp,
      treatmentDidNotTakeUp: nTreatment - treatmentTookUp,
      controlTookUp,
      controlDidNotTakeUp: nControl - controlTookUp,
    },
    takeUp: clusters === undefined ? takeUp : { ...takeUp, stdError: Math.sqrt(variance1) },
    contamination: clusters === undefined ? contamination : { ...contamination, stdError: Math.sqrt(variance0) },
    noncompliance,
    shares,
    method: METHOD,
    standardErrors: clusters === undefined ? 'independent' : 'cluster-robust-CR0',
    nClusters: trial.cluster === undefined ? null : trial.cluster.labels.length,
    byGroup,
    diagnostics,
  };
}

function complianceByGroup(
  assignment: Float64Array,
  received: Float64Array,
  grouping: TrialGrouping,
  level: number,
  z: number,
  diagnostics: Diagnostic[],
): { name: string; groups: ComplianceGroup[] } {
  const groupCount = grouping.labels.length;
  if (grouping.codes.length !== assignment.length) {
    throw contaminationErrors.badGrouping(`it has ${grouping.codes.length} codes for ${assignment.length} rows`);
  }
  const nTreatment = new Float64Array(groupCount);
  const nControl = new Float64Array(groupCount);
  const tookUpTreatment = new Float64Array(groupCount);
  const tookUpControl = new Float64Array(groupCount);
  for (let i = 0; i < assignment.length; i++) {
    const g = grouping.codes[i] as number;
    if (!(g >= 0 && g < groupCount)) throw contaminationErrors.badGrouping(`code ${g} at prepared row ${i + 1} has no label`);
    if (assignment[i] === 1) {
      nTreatment[g]! += 1;
      tookUpTreatment[g]! += received[i] as number;
    } else {
      nControl[g]! += 1;
      tookUpControl[g]! += received[i] as number;
    }
  }
  const groups: ComplianceGroup[] = [];
  const oneArm: string[] = [];
  for (let g = 0; g < groupCount; g++) {
    const n1 = nTreatment[g] as number;
    const n0 = nControl[g] as number;
    if (n1 + n0 === 0) continue; // a label with no prepared rows (all its rows were dropped as missing)
    const takeUp = n1 > 0 ? wilsonInterval(tookUpTreatment[g] as number, n1, level) : null;
    const contamination = n0 > 0 ? wilsonInterval(tookUpControl[g] as number, n0, level) : null;
    let complierShare: ShareEstimate | null = null;
    if (takeUp !== null && contamination !== null) {
      const p1 = takeUp.estimate;
      const p0 = contamination.estimate;
      complierShare = share(p1 - p0, (p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0, z);
    } else {
      oneArm.push(grouping.labels[g] as string);
    }
    groups.push({ label: grouping.labels[g] as string, nTreatment: n1, nControl: n0, takeUp, contamination, complierShare });
  }
  if (oneArm.length > 0) {
    diagnostics.push(diagnostic('ESTIMATORS_COMPLIANCE_GROUP_ONE_ARM', 'info',
      `In ${oneArm.length} group(s) of "${grouping.name}" only one arm is present (${oneArm.slice(0, 5).join(', ')}${oneArm.length > 5 ? ', …' : ''}); take-up or contamination is null there.`));
  }
  return { name: grouping.name, groups };
}
