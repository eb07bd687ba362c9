/**
 * The treatment × subgroup interaction test for the hazard ratio: coxph(Surv(t, e) ~ z * factor(g) [+ strata(s)]
 * [, cluster = c], ties = "efron" | "breslow") on the levels that can be estimated.
 *
 *   time, event, assignment (0/1), subgroup labels ──check (TrialkitError)──► levels in R's factor order
 *     per level: an arm with fewer than minimumArmSize people, or without events → left out (Diagnostic)
 *     levels kept (≥ 2) ──coxph: columns z, g₂…g_L, z:g₂…z:g_L (R's model.matrix order, reference = first kept level)
 *       ──► per-level log HR β_z + β_{z:g} with SE √(V_zz + V_gg + 2V_zg), CI exp(b ± z·SE), normal p
 *       ──► joint Wald test of the q = L − 1 interaction coefficients: W = b′V⁻¹b ~ χ²(q)
 *       ──► two levels: the ratio of the hazard ratios exp(β_{z:g}) with its CI
 *   The variance is the model's (inverse information), or the robust / clustered one when asked for — the same V
 *   for the levels, the test and the ratio.
 */
import { TrialkitError, chiSquareSurvival, diagnostic, formatValue, normalQuantile, twoSidedNormalP, type Diagnostic } from '@trialkit/core';
import { coxph, type CoxResult } from './cox.js';
import { survivalErrors } from './errors.js';
import { checkTimesAndEvents, codeLabels, type Labels, type Values } from './input.js';
import { checkLevel } from './kaplan-meier.js';

export const CoxInteractionCode = {
  /** TrialkitError: the assignment is not 0/1 or lacks an arm. */
  badAssignment: 'SURVIVAL_BAD_ASSIGNMENT',
  /** TrialkitError: minimumArmSize is not a whole number ≥ 1. */
  badMinimumArmSize: 'SURVIVAL_BAD_MINIMUM_ARM_SIZE',
  /** Diagnostic: a level is left out (too few people in an arm, or no events in an arm). */
  levelLeftOut: 'SURVIVAL_SUBGROUP_LEVEL_LEFT_OUT',
  /** Diagnostic (info): a level's main effect is constant within strata and absorbed by them (coxph's NA). */
  absorbedByStrata: 'SURVIVAL_SUBGROUP_ABSORBED_BY_STRATA',
  /** Diagnostic: the variance of the interaction coefficients is singular (e.g. fewer clusters than levels); no test. */
  singularVariance: 'SURVIVAL_SUBGROUP_SINGULAR_INTERACTION_VARIANCE',
  /** Diagnostic: fewer than two levels can be tested; no test. */
  noTest: 'SURVIVAL_SUBGROUP_NO_INTERACTION_TEST',
} as const;

export interface CoxInteractionOptions {
  readonly ties?: 'efron' | 'breslow';
  readonly level?: number;
  /** Cluster identifiers: clustered robust variance, as coxph(..., cluster = c). */
  readonly cluster?: Labels;
  /** coxph(robust = TRUE): one cluster per person. */
  readonly robust?: boolean;
  /** Stratify the baseline hazard (coxph's strata()), e.g. the randomisation blocks. */
  readonly strata?: Labels;
  /** A level with fewer people than this in either arm is left out (default 2). Levels without events in an arm
   * are always left out (their hazard ratio would be 0 or ∞), and with `cluster` levels with fewer than 2 clusters
   * in an arm. */
  readonly minimumArmSize?: number;
  /** Names for the result's terms (default "z" and "g"). */
  readonly assignmentName?: string;
  readonly subgroupName?: string;
}

export interface CoxInteractionLevel {
  readonly level: string;
  readonly nTreatment: number;
  readonly nControl: number;
  readonly eventsTreatment: number;
  readonly eventsControl: number;
  /** In the model and the test. */
  readonly tested: boolean;
  /** Why the level was left out. */
  readonly reason?: string;
  /** The level's hazard ratio of treatment vs control from the interaction model (null when left out). */
  readonly logHazardRatio: number | null;
  readonly stdError: number | null;
  readonly hazardRatio: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  readonly z: number | null;
  readonly pValue: number | null;
}

export interface CoxInteractionTest {
  /** The interaction terms tested, R's names, e.g. "z:gB". */
  readonly terms: readonly string[];
  readonly coefficients: readonly number[];
  /** Variance of the tested coefficients, q × q row-major. */
  readonly vcov: readonly number[];
  readonly referenceLevel: string;
  readonly levelsTested: readonly string[];
  /** W = b′V⁻¹b, referred to χ²(q). */
  readonly wald: number;
  readonly df: number;
  readonly pValue: number;
}

export interface HazardRatioRatio {
  /** HR(second level) / HR(reference level) = exp(β_{z:g}). */
  readonly ratio: number;
  readonly logRatio: number;
  readonly stdError: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly z: number;
  readonly pValue: number;
  readonly level: number;
}

export interface CoxInteractionResult {
  readonly levels: readonly CoxInteractionLevel[];
  /** null when fewer than two levels could be tested, or the interaction coefficients' variance is singular (a
   * Diagnostic says why; the levels' hazard ratios are still given in the second case). */
  readonly test: CoxInteractionTest | null;
  /** Two levels tested: the ratio of their hazard ratios. null otherwise. */
  readonly contrast: HazardRatioRatio | null;
  /** The interaction model's fit (terms z, g…, z:g…; a g absorbed by the strata is left out), null without a test. */
  readonly cox: CoxResult | null;
  readonly ties: 'efron' | 'breslow';
  readonly seType: 'classical' | 'robust' | 'robust_cluster';
  readonly level: number;
  /** People and events in the model (the tested levels). */
  readonly nObs: number;
  readonly nEvents: number;
  readonly nClusters?: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** With a clustered variance, a level needs this many clusters in each arm. */
const MINIMUM_CLUSTERS_PER_ARM = 2;

function badAssignment(row: number | undefined, value: unknown, what: string): TrialkitError {
  return new TrialkitError({
    code: CoxInteractionCode.badAssignment,
    argument: 'assignment',
    ...(row === undefined ? {} : { row }),
    value,
    what,
    hint: 'Code the assignment as 1 (treatment) and 0 (control), one value per participant.',
  });
}

function badMinimumArmSize(value: unknown): TrialkitError {
  return new TrialkitError({
    code: CoxInteractionCode.badMinimumArmSize,
    argument: 'minimumArmSize',
    value,
    what: `The minimum arm size of a subgroup level must be a whole number of at least 1, but is ${formatValue(value)}`,
    hint: 'Use the pre-specified minimum, e.g. minimumArmSize: 30 (default 2).',
  });
}

/**
 * Solve the symmetric positive definite system A x = b (Cholesky), A q × q row-major; undefined when A is singular
 * to coxph's toler.chol (a pivot ≤ ε^0.75 of its diagonal), e.g. a clustered variance with fewer clusters than
 * interaction coefficients.
 */
function solveSpd(a: readonly number[], b: readonly number[], q: number): number[] | undefined {
  const l = new Float64Array(q * q);
  const tolerance = Math.pow(Number.EPSILON, 0.75);
  for (let j = 0; j < q; j++) {
    let d = a[j * q + j]!;
    for (let k = 0; k < j; k++) d -= l[j * q + k]! * l[j * q + k]!;
    if (!(d > 0) || !(d > tolerance * Math.abs(a[j * q + j]!))) return undefined;
    const root = Math.sqrt(d);
    l[j * q + j] = root;
    for (let i = j + 1; i < q; i++) {
      let s = a[i * q + j]!;
      for (let k = 0; k < j; k++) s -= l[i * q + k]! * l[j * q + k]!;
      l[i * q + j] = s / root;
    }
  }
  const y = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * q + k]! * y[k]!;
    y[i] = s / l[i * q + i]!;
  }
  const x = new Array<number>(q).fill(0);
  for (let i = q - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < q; k++) s -= l[k * q + i]! * x[k]!;
    x[i] = s / l[i * q + i]!;
  }
  return x;
}

function pick<T>(values: ArrayLike<T>, rows: readonly number[]): T[] {
  return rows.map((r) => values[r]!);
}

/**
 * coxph(Surv(time, event) ~ z * factor(g)) and the joint Wald test of its interaction coefficients. `assignment` is
 * 0/1 (1 = treatment); `subgroup` labels are sorted as R's factor() sorts them (numerically when all are numbers),
 * the first level kept is the reference.
 */
export function coxInteractionTest(time: Values, event: Values, assignment: Values, subgroup: Labels,
  options: CoxInteractionOptions = {}): CoxInteractionResult {
  const checked = checkTimesAndEvents(time, event);
  const n = checked.time.length;
  if (assignment.length !== n) throw survivalErrors.lengthMismatch('The assignment', n, assignment.length);
  if (subgroup.length !== n) throw survivalErrors.lengthMismatch('The subgroup', n, subgroup.length);
  if (options.strata !== undefined && options.strata.length !== n) throw survivalErrors.lengthMismatch('The strata', n, options.strata.length);
  if (options.cluster !== undefined && options.cluster.length !== n) throw survivalErrors.lengthMismatch('The cluster', n, options.cluster.length);
  if (n === 0) throw survivalErrors.noRows(0);
  const level = checkLevel(options.level ?? 0.95);
  const minimumArmSize = options.minimumArmSize ?? 2;
  if (typeof minimumArmSize !== 'number' || !Number.isInteger(minimumArmSize) || minimumArmSize < 1) throw badMinimumArmSize(options.minimumArmSize);
  const z = new Float64Array(n);
  let treated = 0;
  for (let i = 0; i < n; i++) {
    const a = assignment[i]!;
    if (Number.isNaN(a)) throw survivalErrors.missingValue('assignment', i + 1);
    if (a !== 0 && a !== 1) throw badAssignment(i + 1, a, `The assignment ${formatValue(a)} is not 0 or 1`);
    z[i] = a;
    treated += a;
  }
  if (treated === 0 || treated === n) {
    throw badAssignment(undefined, treated === 0 ? 0 : 1, `Every participant has assignment ${treated === 0 ? 0 : 1}; the hazard ratio needs both arms`);
  }
  const groups = codeLabels(subgroup, 'subgroup');
  const ties = options.ties ?? 'efron';
  const clustered = options.cluster !== undefined;
  const robust = clustered || options.robust === true;
  const seType = clustered ? 'robust_cluster' : robust ? 'robust' : 'classical';
  const zName = options.assignmentName ?? 'z';
  const gName = options.subgroupName ?? 'g';

  // Per level and arm: people and events.
  const L = groups.labels.length;
  const size = [new Int32Array(L), new Int32Array(L)];
  const events = [new Int32Array(L), new Int32Array(L)];
  for (let i = 0; i < n; i++) {
    const arm = z[i]!;
    size[arm]![groups.codes[i]!]! += 1;
    events[arm]![groups.codes[i]!]! += checked.event[i]!;
  }
  // Clusters per level and arm: with a clustered variance a level needs at least 2 in each arm (with one, the
  // arm's whole between-cluster variation is a single cluster sum), as the ITT subgroup module requires.
  let clusterCounts: [number[], number[]] | undefined;
  if (options.cluster !== undefined) {
    const clusterCodes = codeLabels(options.cluster, 'cluster').codes;
    const seen = [Array.from({ length: L }, () => new Set<number>()), Array.from({ length: L }, () => new Set<number>())];
    for (let i = 0; i < n; i++) seen[z[i]!]![groups.codes[i]!]!.add(clusterCodes[i]!);
    clusterCounts = [seen[0]!.map((set) => set.size), seen[1]!.map((set) => set.size)];
  }
  const diagnostics: Diagnostic[] = [];
  const reasons = new Map<number, string>();
  for (let g = 0; g < L; g++) {
    const smallest = Math.min(size[0]![g]!, size[1]![g]!);
    const fewestClusters = clusterCounts === undefined ? Infinity : Math.min(clusterCounts[0][g]!, clusterCounts[1][g]!);
    let reason: string | undefined;
    if (smallest < minimumArmSize) {
      reason = `${smallest} participant${smallest === 1 ? '' : 's'} in its smaller arm (minimum ${minimumArmSize})`;
    } else if (fewestClusters < MINIMUM_CLUSTERS_PER_ARM) {
      reason = `${fewestClusters} cluster${fewestClusters === 1 ? '' : 's'} in its smaller arm (a clustered variance needs at least ${MINIMUM_CLUSTERS_PER_ARM})`;
    } else if (events[0]![g]! === 0 || events[1]![g]! === 0) {
      const arms = [events[0]![g]! === 0 ? 'control' : null, events[1]![g]! === 0 ? 'treatment' : null].filter((x) => x !== null);
      reason = `no events in the ${arms.join(' and the ')} arm${arms.length > 1 ? 's' : ''} (its hazard ratio would be 0 or infinite)`;
    }
    if (reason !== undefined) {
      reasons.set(g, reason);
      diagnostics.push(diagnostic(CoxInteractionCode.levelLeftOut, 'warning',
        `The subgroup level ${formatValue(groups.labels[g]!)} has ${reason}: it is left out of the interaction model and test.`));
    }
  }
  const kept = groups.labels.map((_, g) => g).filter((g) => !reasons.has(g));

  const emptyLevel = (g: number): CoxInteractionLevel => ({
    level: groups.labels[g]!,
    nTreatment: size[1]![g]!,
    nControl: size[0]![g]!,
    eventsTreatment: events[1]![g]!,
    eventsControl: events[0]![g]!,
    tested: false,
    ...(reasons.has(g) ? { reason: reasons.get(g)! } : {}),
    logHazardRatio: null,
    stdError: null,
    hazardRatio: null,
    confLow: null,
    confHigh: null,
    z: null,
    pValue: null,
  });

  if (kept.length < 2) {
    diagnostics.push(diagnostic(CoxInteractionCode.noTest, 'warning',
      `No treatment × subgroup interaction test: ${kept.length === 0 ? 'no level' : 'only one level'} of ${L} can be estimated.`));
    return {
      levels: groups.labels.map((_, g) => emptyLevel(g)),
      test: null,
      contrast: null,
      cox: null,
      ties,
      seType,
      level,
      nObs: 0,
      nEvents: 0,
      diagnostics,
    };
  }

  // The model on the kept levels' rows: z, g dummies, z:g products (R's model.matrix column order).
  const keptSet = new Set(kept);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keptSet.has(groups.codes[i]!)) rows.push(i);
  const m = rows.length;
  const q = kept.length - 1;
  const zColumn = new Float64Array(m);
  const dummies = Array.from({ length: q }, () => new Float64Array(m));
  const products = Array.from({ length: q }, () => new Float64Array(m));
  for (let r = 0; r < m; r++) {
    const i = rows[r]!;
    zColumn[r] = z[i]!;
    const k = kept.indexOf(groups.codes[i]!);
    if (k > 0) {
      dummies[k - 1]![r] = 1;
      products[k - 1]![r] = z[i]!;
    }
  }
  const levelTerms = kept.slice(1).map((g) => `${gName}${groups.labels[g]!}`);
  const interactionTerms = levelTerms.map((t) => `${zName}:${t}`);
  // A level dummy constant within every stratum (the subgroup nested in the strata, e.g. subgroup = region and
  // strata = site) is absorbed by the stratified baseline hazard: coxph reports its coefficient as NA and fits
  // without it; so does this function (the interaction coefficients are still estimable).
  let mainDummies = dummies.map((column, k) => ({ column, term: levelTerms[k]! }));
  if (options.strata !== undefined) {
    const strataCodes = codeLabels(pick(options.strata, rows), 'strata');
    const absorbed = mainDummies.filter(({ column }) => {
      const first = new Map<number, number>();
      for (let r = 0; r < m; r++) {
        const s = strataCodes.codes[r]!;
        const seen = first.get(s);
        if (seen === undefined) first.set(s, column[r]!);
        else if (seen !== column[r]) return false;
      }
      return true;
    });
    if (absorbed.length > 0) {
      mainDummies = mainDummies.filter((d) => !absorbed.includes(d));
      diagnostics.push(diagnostic(CoxInteractionCode.absorbedByStrata, 'info',
        `The subgroup's main effect${absorbed.length > 1 ? 's' : ''} ${absorbed.map((d) => d.term).join(', ')} ${absorbed.length > 1 ? 'are' : 'is'} ` +
        'constant within every stratum, so the stratified baseline hazard absorbs it (coxph reports NA): left out of the model; ' +
        'the interaction coefficients and test are unaffected.'));
    }
  }
  const nMain = mainDummies.length;
  const cox = coxph(pick(checked.time, rows), pick(checked.event, rows), [zColumn, ...mainDummies.map((d) => d.column), ...products], {
    ties,
    level,
    terms: [zName, ...mainDummies.map((d) => d.term), ...interactionTerms],
    ...(options.strata !== undefined ? { strata: pick(options.strata, rows) } : {}),
    ...(options.cluster !== undefined ? { cluster: pick(options.cluster, rows) } : {}),
    ...(robust ? { robust: true } : {}),
  });
  for (const d of cox.diagnostics) diagnostics.push(d);
  const p = 1 + nMain + q;
  const V = cox.vcov;
  const beta = cox.coefficients;
  const critical = normalQuantile(1 - (1 - level) / 2);
  const interactionIndex = (k: number): number => 1 + nMain + k; // column of z:g_{k+1}

  const levels = groups.labels.map((_, g): CoxInteractionLevel => {
    const k = kept.indexOf(g);
    if (k < 0) return emptyLevel(g);
    let b = beta[0]!;
    let variance = V[0]!;
    if (k > 0) {
      const j = interactionIndex(k - 1);
      b += beta[j]!;
      variance += V[j * p + j]! + 2 * V[j]!;
    }
    const se = Math.sqrt(variance);
    const zValue = b / se;
    return {
      ...emptyLevel(g),
      tested: true,
      logHazardRatio: b,
      stdError: se,
      hazardRatio: Math.exp(b),
      confLow: Math.exp(b - critical * se),
      confHigh: Math.exp(b + critical * se),
      z: zValue,
      pValue: twoSidedNormalP(zValue),
    };
  });

  const coefficients = Array.from({ length: q }, (_, k) => beta[interactionIndex(k)]!);
  const vcov: number[] = [];
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) vcov.push(V[interactionIndex(a) * p + interactionIndex(b)]!);
  const solved = solveSpd(vcov, coefficients, q);
  if (solved === undefined) {
    // The levels' hazard ratios stand; only the joint test needs V⁻¹.
    diagnostics.push(diagnostic(CoxInteractionCode.singularVariance, 'warning',
      `No treatment × subgroup interaction test: the ${seType === 'robust_cluster' ? `clustered variance (${cox.nClusters} clusters)` : 'variance'} ` +
      `of the ${q} interaction coefficients is singular${seType === 'robust_cluster' ? ' — it has rank at most the number of clusters − 1' : ''}. Group the levels into fewer categories.`));
    return { levels, test: null, contrast: null, cox, ties, seType, level, nObs: m, nEvents: cox.nEvents,
      ...(cox.nClusters !== undefined && clustered ? { nClusters: cox.nClusters } : {}), diagnostics };
  }
  let wald = 0;
  for (let k = 0; k < q; k++) wald += coefficients[k]! * solved[k]!;
  const test: CoxInteractionTest = {
    terms: interactionTerms,
    coefficients,
    vcov,
    referenceLevel: groups.labels[kept[0]!]!,
    levelsTested: kept.map((g) => groups.labels[g]!),
    wald,
    df: q,
    pValue: chiSquareSurvival(wald, q),
  };
  let contrast: HazardRatioRatio | null = null;
  if (q === 1) {
    const b = coefficients[0]!;
    const se = Math.sqrt(vcov[0]!);
    const zValue = b / se;
    contrast = {
      ratio: Math.exp(b),
      logRatio: b,
      stdError: se,
      confLow: Math.exp(b - critical * se),
      confHigh: Math.exp(b + critical * se),
      z: zValue,
      pValue: twoSidedNormalP(zValue),
      level,
    };
  }
  return {
    levels,
    test,
    contrast,
    cox,
    ties,
    seType,
    level,
    nObs: m,
    nEvents: cox.nEvents,
    ...(cox.nClusters !== undefined && clustered ? { nClusters: cox.nClusters } : {}),
    diagnostics,
  };
}
