/**
 * subgroupAnalysis(): the ITT within each level of a pre-specified subgroup and the treatment × subgroup interaction
 * (heterogeneity) test with a robust variance (issue 7, "Several outcomes and subgroups").
 *
 *   Dataset ──prepareTrial(roles + by: subgroup; na.omit includes the subgroup column)──► PreparedTrial
 *     per level g: fewer than minimumArmSize in an arm → not estimated (Diagnostic)
 *                  else estimate() on the level's rows → ITT exactly as estimate() computes it for those rows
 *                  (difference_in_means; lm_robust with covariates; lm_lin with lin)
 *     levels estimated (≥ 2) ──► lm_robust(y ~ z * factor(g) + covs), HC2 (CR2 with clusters, or spec.se)
 *        ──► joint robust Wald test of the z:g coefficients: W = (Rb)′(RVR′)⁻¹(Rb)
 *            F = W/q on (q, dendf) — estimatr's own F convention: dendf = N − rank, or clusters − 1 — primary;
 *            χ²(q) p-value beside it; with two levels also the z:g coefficient (difference of the two ITTs)
 *   ──► { levels, heterogeneity, contrast, diagnostics }
 *
 * Why F first: estimatr's summary(lm_robust) reports exactly this Wald F (W/q on q and N − rank, or G − 1 with
 * clusters) for its joint test, and car::linearHypothesis(test = "F") and clubSandwich's "Naive-F" agree with it;
 * its finite-sample reference is slightly more conservative than χ²(q), which it approaches as dendf grows.
 */
import {
  chiSquareSurvival,
  diagnostic,
  fSurvival,
  makeEstimate,
  type Dataset,
  type Diagnostic,
  type Estimate,
} from '@trialkit/core';
import { closestName, dataErrors, prepareTrial, type ColumnRoles, type Grouping, type NamedVector, type PreparedTrial } from '@trialkit/data';
import { TrialkitError } from '@trialkit/core';
import { checkLevel } from '../checks.js';
import { estimate, type EstimateSpec } from '../estimate.js';
import { solveDense } from '../kernels/linalg.js';
import { lmRobust, type DesignColumn, type LmRobustResult } from '../lm-robust.js';
import { resolveSeType } from '../se-type.js';
import { SubgroupDiagnosticCode, subgroupErrors } from './errors.js';

export interface SubgroupSpec extends Omit<EstimateSpec, 'by' | 'ri' | 'measure' | 'newcombe' | 'protocolContrasts'> {
  /** The pre-specified subgroup column (any values; levels sorted as R sorts factor levels). */
  readonly subgroup: string;
  /** A level with fewer participants than this in either arm is not estimated and left out of the test (default 2). */
  readonly minimumArmSize?: number;
  /** More levels than this: nothing is estimated (a continuous variable, not a subgroup), default 12. */
  readonly maximumLevels?: number;
}

export interface SubgroupLevel {
  readonly level: string;
  /** Complete cases in each arm (after na.omit over the columns used, the subgroup included). */
  readonly nTreatment: number;
  readonly nControl: number;
  readonly estimated: boolean;
  /** The level's ITT (estimand "ITT", extra fields subgroup "col = level", subgroupColumn, subgroupLevel), or null. */
  readonly estimate: Estimate | null;
  /** Why a level was not estimated: too small, too many levels, or the estimator's refusal (its message). */
  readonly reason?: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface HeterogeneityTest {
  /** The interaction terms tested, e.g. "z:condition=other" (reference level: the first estimated level). */
  readonly terms: readonly string[];
  readonly coefficients: readonly number[];
  /** Robust variance of the tested coefficients, q×q row-major. */
  readonly vcov: readonly number[];
  readonly referenceLevel: string;
  readonly levelsTested: readonly string[];
  /** W = (Rb)′(RVR′)⁻¹(Rb). */
  readonly wald: number;
  /** Number of restrictions (interaction coefficients tested). */
  readonly q: number;
  /** F = W/q, the primary statistic; its p-value on (q, dfDenominator). */
  readonly fStatistic: number;
  readonly dfNumerator: number;
  /** estimatr's denominator df for its Wald F: N − rank, or clusters − 1 with a cluster-robust variance. */
  readonly dfDenominator: number;
  readonly pValue: number;
  /** The same W referred to χ²(q) (asymptotic; clubSandwich's "chi-sq"). */
  readonly chiSquarePValue: number;
  readonly estimator: 'lm_robust';
  readonly seType: string;
  readonly nObs: number;
  readonly nClusters?: number;
}

export interface SubgroupAnalysis {
  readonly subgroup: string;
  readonly outcome: string;
  readonly levels: readonly SubgroupLevel[];
  /** null when fewer than two levels could be estimated (a Diagnostic says why). */
  readonly heterogeneity: HeterogeneityTest | null;
  /**
   * Two levels tested: the interaction coefficient itself (estimand "interaction"), the second level's ITT minus the
   * first's, with lm_robust's SE, df (Bell–McCaffrey with CR2), CI and p. null otherwise.
   */
  readonly contrast: Estimate | null;
  readonly diagnostics: readonly Diagnostic[];
}

const DEFAULT_MINIMUM_ARM_SIZE = 2;
/** A level of a cluster-randomised trial needs this many clusters in each arm to be estimated and tested. */
const MINIMUM_CLUSTERS_PER_ARM = 2;
const DEFAULT_MAXIMUM_LEVELS = 12;
const CLUSTER_VARIANCES = new Set(['CR0', 'CR2', 'stata']);

function isPreparedTrial(data: Dataset | PreparedTrial): data is PreparedTrial {
  return 'assignment' in data && 'outcome' in data && 'sourceRows' in data;
}

function wholeNumberAtLeast2(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 2;
}

/** The rows `rows` of a grouping, recoded 0… over the labels that occur (label order kept). */
function subsetGrouping(grouping: Grouping, rows: Int32Array): Grouping {
  const remap = new Int32Array(grouping.labels.length).fill(-1);
  const labels: string[] = [];
  const codes = new Int32Array(rows.length);
  const used = new Uint8Array(grouping.labels.length);
  for (let i = 0; i < rows.length; i++) used[grouping.codes[rows[i]!]!] = 1;
  for (let g = 0; g < used.length; g++) {
    if (used[g] === 1) {
      remap[g] = labels.length;
      labels.push(grouping.labels[g]!);
    }
  }
  for (let i = 0; i < rows.length; i++) codes[i] = remap[grouping.codes[rows[i]!]!]!;
  return { name: grouping.name, codes, labels };
}

function subsetVector(vector: NamedVector, rows: Int32Array): NamedVector {
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = vector.values[rows[i]!]!;
  return { name: vector.name, values };
}

/** A PreparedTrial of some of the rows (no received, no grouping: the level's ITT only). */
function subsetTrial(trial: PreparedTrial, rows: Int32Array): PreparedTrial {
  const sourceRows = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) sourceRows[i] = trial.sourceRows[rows[i]!]!;
  const { received: _received, by: _by, ...roles } = trial.roles;
  return {
    n: rows.length,
    roles,
    arms: trial.arms,
    outcome: subsetVector(trial.outcome, rows),
    assignment: subsetVector(trial.assignment, rows),
    covariates: trial.covariates.map((c) => subsetVector(c, rows)),
    ...(trial.cluster !== undefined ? { cluster: subsetGrouping(trial.cluster, rows) } : {}),
    ...(trial.blocks !== undefined ? { blocks: subsetGrouping(trial.blocks, rows) } : {}),
    ...(trial.id !== undefined ? { id: Array.from(rows, (r) => trial.id![r]!) } : {}),
    sourceRows,
    missing: trial.missing,
    diagnostics: [],
  };
}

export function subgroupAnalysis(data: Dataset | PreparedTrial, spec: SubgroupSpec): SubgroupAnalysis {
  const subgroup = spec.subgroup as unknown;
  if (typeof subgroup !== 'string' || subgroup.trim() === '') throw subgroupErrors.badSubgroup(subgroup);
  const minimumArmSize = spec.minimumArmSize ?? DEFAULT_MINIMUM_ARM_SIZE;
  if (!wholeNumberAtLeast2(minimumArmSize)) throw subgroupErrors.badMinimumArmSize(spec.minimumArmSize);
  const maximumLevels = spec.maximumLevels ?? DEFAULT_MAXIMUM_LEVELS;
  if (!wholeNumberAtLeast2(maximumLevels)) throw subgroupErrors.badMaximumLevels(spec.maximumLevels);
  const level = checkLevel(spec.level);

  let trial: PreparedTrial;
  if (isPreparedTrial(data)) {
    if (data.by === undefined || data.by.name !== subgroup) throw subgroupErrors.preparedWithoutSubgroup(subgroup, data.by?.name);
    trial = data;
  } else {
    const { received: _received, by: _by, ...roles } = spec.roles;
    // Named as the subgroup in the error (prepareTrial would call it "the by").
    if (!data.columns.some((c) => c.name === subgroup)) {
      const names = data.columns.map((c) => c.name);
      throw dataErrors.missingColumn('subgroup', subgroup, names, closestName(subgroup, names));
    }
    const withSubgroup: ColumnRoles = { ...roles, by: subgroup };
    trial = prepareTrial(data, withSubgroup, spec.arms);
  }
  // The variance type is checked before anything is estimated (a bad se is an error, not a per-level failure).
  const seType = resolveSeType(spec.se, trial.cluster !== undefined);
  const by = trial.by!;
  const nLevels = by.labels.length;
  const diagnostics: Diagnostic[] = [...trial.diagnostics];

  // Rows and arm sizes per level.
  const sizes = new Int32Array(nLevels);
  const treated = new Int32Array(nLevels);
  for (let i = 0; i < trial.n; i++) {
    const g = by.codes[i]!;
    sizes[g]!++;
    if (trial.assignment.values[i] === 1) treated[g]!++;
  }
  // Clusters per level and arm (cluster-randomised): a level needs at least 2 in each arm, since with one the
  // clustered variance of its ITT is 0 (the arm's only cluster is its whole between-cluster variation).
  const clustersIn: [Set<number>, Set<number>][] | null =
    trial.cluster === undefined ? null : Array.from({ length: nLevels }, () => [new Set<number>(), new Set<number>()]);
  if (clustersIn !== null) {
    for (let i = 0; i < trial.n; i++) clustersIn[by.codes[i]!]![trial.assignment.values[i] === 1 ? 1 : 0].add(trial.cluster!.codes[i]!);
  }
  const rowsOf: Int32Array[] = Array.from({ length: nLevels }, (_, g) => new Int32Array(sizes[g]!));
  const fill = new Int32Array(nLevels);
  for (let i = 0; i < trial.n; i++) {
    const g = by.codes[i]!;
    rowsOf[g]![fill[g]!] = i;
    fill[g]!++;
  }

  const outcome = trial.outcome.name;
  const levelSpec: EstimateSpec = {
    roles: trial.roles,
    ...(spec.arms !== undefined ? { arms: spec.arms } : {}),
    ...(spec.se !== undefined ? { se: spec.se } : {}),
    ...(spec.lin !== undefined ? { lin: spec.lin } : {}),
    level,
  };

  if (nLevels > maximumLevels) {
    diagnostics.push(
      diagnostic(
        SubgroupDiagnosticCode.tooManyLevels,
        'warning',
        `The subgroup "${subgroup}" has ${nLevels} distinct values (more than ${maximumLevels}): a pre-specified subgroup should have a few categories, so nothing was estimated. Group the variable into its pre-specified categories (e.g. age bands) in the data.`,
      ),
    );
    const levels = by.labels.map(
      (label, g): SubgroupLevel => ({
        level: label,
        nTreatment: treated[g]!,
        nControl: sizes[g]! - treated[g]!,
        estimated: false,
        estimate: null,
        reason: `too many levels (${nLevels} > ${maximumLevels})`,
        diagnostics: [],
      }),
    );
    return { subgroup, outcome, levels, heterogeneity: null, contrast: null, diagnostics };
  }
  if (nLevels === 1)
    diagnostics.push(
      diagnostic(SubgroupDiagnosticCode.oneLevel, 'warning', `The subgroup "${subgroup}" has one value (${JSON.stringify(by.labels[0])}) among the rows analysed: there is no heterogeneity to test.`),
    );

  const levels: SubgroupLevel[] = [];
  const tested: number[] = [];
  for (let g = 0; g < nLevels; g++) {
    const label = by.labels[g]!;
    const nTreatment = treated[g]!;
    const nControl = sizes[g]! - nTreatment;
    const smaller = Math.min(nTreatment, nControl);
    if (smaller < minimumArmSize) {
      const reason = `${smaller} participant${smaller === 1 ? '' : 's'} in its smaller arm (minimum ${minimumArmSize})`;
      diagnostics.push(
        diagnostic(
          SubgroupDiagnosticCode.levelTooSmall,
          'warning',
          `The subgroup ${subgroup} = ${label} has ${reason} (treatment ${nTreatment}, control ${nControl}): it is not estimated and is left out of the interaction test.`,
        ),
      );
      levels.push({ level: label, nTreatment, nControl, estimated: false, estimate: null, reason, diagnostics: [] });
      continue;
    }
    const fewestClusters = clustersIn === null ? Infinity : Math.min(clustersIn[g]![0].size, clustersIn[g]![1].size);
    if (fewestClusters < MINIMUM_CLUSTERS_PER_ARM) {
      const reason = `${fewestClusters} cluster${fewestClusters === 1 ? '' : 's'} in its smaller arm (a cluster-randomised level needs at least ${MINIMUM_CLUSTERS_PER_ARM} in each arm)`;
      diagnostics.push(
        diagnostic(
          SubgroupDiagnosticCode.levelTooSmall,
          'warning',
          `The subgroup ${subgroup} = ${label} has ${reason}: its clustered standard error would be 0, so it is not estimated and is left out of the interaction test.`,
        ),
      );
      levels.push({ level: label, nTreatment, nControl, estimated: false, estimate: null, reason, diagnostics: [] });
      continue;
    }
    try {
      const result = estimate(subsetTrial(trial, rowsOf[g]!), levelSpec);
      const itt = result.estimates[0]!;
      levels.push({
        level: label,
        nTreatment,
        nControl,
        estimated: true,
        estimate: makeEstimate({ ...itt, subgroup: `${subgroup} = ${label}`, subgroupColumn: subgroup, subgroupLevel: label }),
        diagnostics: result.diagnostics,
      });
      tested.push(g);
    } catch (error) {
      if (!(error instanceof TrialkitError)) throw error;
      diagnostics.push(
        diagnostic(
          SubgroupDiagnosticCode.levelNotEstimated,
          'warning',
          `The ITT in the subgroup ${subgroup} = ${label} could not be estimated (${error.message}); the level is left out of the interaction test.`,
        ),
      );
      levels.push({ level: label, nTreatment, nControl, estimated: false, estimate: null, reason: error.message, diagnostics: [] });
    }
  }

  if (tested.length < 2) {
    if (nLevels > 1)
      diagnostics.push(
        diagnostic(
          SubgroupDiagnosticCode.noTest,
          'warning',
          `Only ${tested.length} level${tested.length === 1 ? '' : 's'} of "${subgroup}" could be estimated, so there is no treatment × subgroup interaction to test.`,
        ),
      );
    return { subgroup, outcome, levels, heterogeneity: null, contrast: null, diagnostics };
  }
  for (const entry of levels) {
    const se = entry.estimate?.stdError;
    if (entry.estimated && se !== undefined && !(se > 0)) {
      diagnostics.push(
        diagnostic(
          SubgroupDiagnosticCode.levelNoVariation,
          'warning',
          `The ITT in the subgroup ${subgroup} = ${entry.level} has a standard error of 0 (the outcome does not vary within either arm, e.g. no one in it had a job outcome), so it has no p-value or interval; the interaction test takes that level's effect as known exactly, which overstates the evidence of heterogeneity. Merge the level with a neighbouring one, or report the test without it.`,
        ),
      );
    }
  }
  if (trial.blocks !== undefined)
    diagnostics.push(
      diagnostic(
        SubgroupDiagnosticCode.testBlockFixedEffects,
        'info',
        `The interaction test is a regression (lm_robust) with block fixed effects for "${trial.blocks.name}" (y ~ z * ${subgroup} + factor(${trial.blocks.name})): the levels are compared within blocks, as their blocked ITTs are, though with the regression's (precision) weights rather than the blocks' sizes, so the two-level interaction need not equal the difference of the levels' ITTs exactly.`,
      ),
    );
  if (spec.lin === true && trial.covariates.length > 0)
    diagnostics.push(
      diagnostic(
        SubgroupDiagnosticCode.testWithoutLin,
        'info',
        'The interaction test adjusts for the covariates additively (lm_robust(y ~ z * subgroup + covariates)), not by Lin’s interacted estimator used for the levels’ ITTs.',
      ),
    );

  const { fit, termIndices, termLevels } = interactionFit(trial, tested, rowsOf, seType, level);
  diagnostics.push(...fit.diagnostics);
  const heterogeneity = waldTest(fit, termIndices, termLevels, by.labels, tested, diagnostics, subgroup);
  let contrast: Estimate | null = null;
  if (tested.length === 2 && heterogeneity !== null) {
    const row = fit.terms[termIndices[0]!]!;
    const reference = by.labels[tested[0]!]!;
    const other = by.labels[tested[1]!]!;
    contrast = makeEstimate({
      estimand: 'interaction',
      estimator: 'lm_robust',
      term: row.term,
      estimate: row.estimate,
      stdError: row.stdError,
      statistic: row.statistic,
      df: row.df,
      pValue: row.pValue,
      confLow: row.confLow,
      confHigh: row.confHigh,
      level,
      seType: fit.seType,
      nObs: fit.nObs,
      ...(fit.nClusters !== undefined ? { nClusters: fit.nClusters } : {}),
      outcome,
      subgroup: `${subgroup}: ${other} − ${reference}`,
      subgroupColumn: subgroup,
      subgroupLevels: [reference, other],
      diagnostics: fit.diagnostics,
    });
  }
  return { subgroup, outcome, levels, heterogeneity, contrast, diagnostics };
}

/**
 * lm_robust(y ~ z * factor(g) + covs) on the rows of the tested levels, columns in R's order:
 * z, g dummies (levels after the first tested one), covariates, z × g dummies.
 */
function interactionFit(
  trial: PreparedTrial,
  tested: readonly number[],
  rowsOf: readonly Int32Array[],
  seType: ReturnType<typeof resolveSeType>,
  level: number,
): { fit: LmRobustResult; termIndices: number[]; termLevels: number[] } {
  const by = trial.by!;
  let n = 0;
  for (const g of tested) n += rowsOf[g]!.length;
  const rows = new Int32Array(n);
  {
    // Rows in the trial's order (as R keeps them after subsetting).
    const keep = new Uint8Array(by.labels.length);
    for (const g of tested) keep[g] = 1;
    let k = 0;
    for (let i = 0; i < trial.n; i++) if (keep[by.codes[i]!] === 1) rows[k++] = i;
  }
  const z = subsetVector(trial.assignment, rows);
  const others = tested.slice(1);
  const dummies = others.map((g): DesignColumn => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = by.codes[rows[i]!] === g ? 1 : 0;
    return { name: `${by.name}=${by.labels[g]!}`, values };
  });
  const interactions = others.map((g, j): DesignColumn => {
    const values = new Float64Array(n);
    const dummy = dummies[j]!.values;
    for (let i = 0; i < n; i++) values[i] = z.values[i]! * dummy[i]!;
    return { name: `${z.name}:${by.name}=${by.labels[g]!}`, values };
  });
  const covariates = trial.covariates.map((c) => subsetVector(c, rows));
  // Block fixed effects (R: + factor(block)), so the test compares levels within blocks as the levels' blocked ITTs
  // do; a block absent from these rows gives an all-zero column, which the rank rule drops (estimatr: NA).
  const blocks = trial.blocks;
  const blockDummies: DesignColumn[] = [];
  if (blocks !== undefined) {
    const present = new Uint8Array(blocks.labels.length);
    for (let i = 0; i < n; i++) present[blocks.codes[rows[i]!]!] = 1;
    const order = blocks.labels.map((label, code) => ({ label, code })).filter(({ code }) => present[code] === 1);
    order.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)); // R's factor levels: sorted
    for (const { label, code } of order.slice(1)) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = blocks.codes[rows[i]!] === code ? 1 : 0;
      blockDummies.push({ name: `${blocks.name}=${label}`, values });
    }
  }
  const columns: DesignColumn[] = [z, ...dummies, ...covariates, ...blockDummies, ...interactions];
  const cluster = trial.cluster === undefined ? undefined : subsetGrouping(trial.cluster, rows);
  const fit = lmRobust({ outcome: subsetVector(trial.outcome, rows).values, columns, seType, level, ...(cluster !== undefined ? { cluster } : {}) });
  // Term index in the fit: intercept first, so column c is term c + 1.
  const first = 1 + 1 + dummies.length + covariates.length + blockDummies.length;
  return { fit, termIndices: others.map((_, j) => first + j), termLevels: others };
}

function waldTest(
  fit: LmRobustResult,
  termIndices: readonly number[],
  termLevels: readonly number[],
  labels: readonly string[],
  tested: readonly number[],
  diagnostics: Diagnostic[],
  subgroup: string,
): HeterogeneityTest | null {
  const k = fit.terms.length;
  const kept = termIndices.map((index, j) => ({ index, level: termLevels[j]! })).filter(({ index }) => Number.isFinite(fit.terms[index]!.estimate));
  if (kept.length < termIndices.length) {
    const lost = termIndices.length - kept.length;
    diagnostics.push(
      diagnostic(
        SubgroupDiagnosticCode.interactionDropped,
        'warning',
        `${lost} of the ${termIndices.length} treatment × ${subgroup} interaction${termIndices.length === 1 ? '' : 's'} ${lost === 1 ? 'is' : 'are'} collinear with the other columns and ${lost === 1 ? 'was' : 'were'} dropped; the test has ${kept.length} degree${kept.length === 1 ? '' : 's'} of freedom.`,
      ),
    );
  }
  const q = kept.length;
  if (q === 0) {
    diagnostics.push(diagnostic(SubgroupDiagnosticCode.noTest, 'warning', `No treatment × ${subgroup} interaction could be estimated, so there is no heterogeneity test.`));
    return null;
  }
  const b = Float64Array.from(kept, ({ index }) => fit.terms[index]!.estimate);
  const v = new Float64Array(q * q);
  kept.forEach((row, a) => kept.forEach((col, c) => (v[a * q + c] = fit.vcov[row.index * k + col.index]!)));
  // W = b′V⁻¹b (R selects the interaction coefficients), solved rather than inverted.
  const x = solveDense(v, b, q);
  let wald = 0;
  for (let a = 0; a < q; a++) wald += b[a]! * x[a]!;
  if (!(Number.isFinite(wald) && wald >= 0)) {
    diagnostics.push(
      diagnostic(SubgroupDiagnosticCode.noTest, 'warning', `The robust variance of the treatment × ${subgroup} interactions is singular, so the Wald test cannot be computed.`),
    );
    return null;
  }
  const clustered = CLUSTER_VARIANCES.has(fit.seType);
  const dfDenominator = clustered ? fit.nClusters! - 1 : fit.nObs - fit.rank;
  const fStatistic = wald / q;
  return {
    terms: kept.map(({ index }) => fit.terms[index]!.term),
    coefficients: Array.from(b),
    vcov: Array.from(v),
    referenceLevel: labels[tested[0]!]!,
    levelsTested: tested.map((g) => labels[g]!),
    wald,
    q,
    fStatistic,
    dfNumerator: q,
    dfDenominator,
    pValue: fSurvival(fStatistic, q, dfDenominator),
    chiSquarePValue: chiSquareSurvival(wald, q),
    estimator: 'lm_robust',
    seType: fit.seType,
    nObs: fit.nObs,
    ...(fit.nClusters !== undefined ? { nClusters: fit.nClusters } : {}),
  };
}
