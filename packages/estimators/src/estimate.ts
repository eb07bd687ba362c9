/**
 * estimate(): the one entry the CLI (`trialkit estimate`) and the report call. Defaults are exactly what R's
 * estimatr does for the same call (DESIGN.md, "Defaults are exactly what R's estimatr does"):
 *
 *   Dataset ──prepareTrial (na.omit, arms → 0/1, factors → dummies)──► PreparedTrial
 *     ITT:  no covariates → difference_in_means(y ~ z, blocks, clusters)
 *           covariates    → lm_robust(y ~ z + covs), HC2 (CR2 + Bell–McCaffrey df with a cluster)
 *           lin           → lm_lin(y ~ z, ~ covs)
 *     --measure rr|or, --newcombe → binary measures (src/binary)
 *     received → first stage (d ~ z [+ covs], as the ITT) and CACE by iv_robust(y ~ d + covs | z + covs), with
 *                the first-stage F and the Anderson–Rubin set; compliance (src/contamination), per `by` group
 *   ──► { estimates: [ITT…, first-stage, CACE], compliance, diagnostics }
 */
import { diagnostic, makeEstimate, type Dataset, type Diagnostic, type Estimate, type SeType } from '@trialkit/core';
import { prepareTrial } from '@trialkit/data';
import type { ArmsSpec, ColumnRoles, PreparedTrial } from '@trialkit/data';
import { analyseContamination, type ContaminationAnalysis } from './contamination/index.js';
import {
  caceRandomisationSet,
  caceRandomisationSetFromRedraws,
  randomisationInference,
  randomisationInferenceFromRedraws,
  type RandomisationInferenceOptions,
  type RedrawOptions,
} from './randomisation-inference/index.js';
import { newcombeRiskDifference, oddsRatio, riskRatio } from './binary/index.js';
import { checkLevel, type CoefficientRow } from './checks.js';
import { differenceInMeans, type DifferenceInMeansResult, type DimDesign } from './difference-in-means.js';
import { estimatorsErrors } from './errors.js';
import { instrumentalVariables } from './iv-robust.js';
import { lmLin } from './lm-lin.js';
import { lmRobust, type LmRobustResult } from './lm-robust.js';
import { resolveSeType } from './se-type.js';

export interface EstimateSpec {
  readonly roles: ColumnRoles;
  readonly arms?: ArmsSpec;
  /** estimatr's se_type; default HC2, or CR2 with a cluster; difference_in_means uses its design's variance. */
  readonly se?: SeType;
  readonly lin?: boolean;
  readonly level?: number;
  readonly measure?: 'rd' | 'rr' | 'or';
  readonly newcombe?: boolean;
  /** Column for per-group take-up and contamination. */
  readonly by?: string;
  /**
   * Add the per-protocol and as-treated contrasts (descriptive, not randomised comparisons: each carries a
   * Diagnostic saying so). Needs `roles.received`.
   */
  readonly protocolContrasts?: boolean;
  /**
   * Randomisation inference for the ITT: the p-value of the sharp null of no effect, redrawing the assignment as it
   * was made (complete, within blocks, by cluster). The ITT estimate gains riPValue, riDraws, riExact,
   * riPossibleAssignments and riMethod; with `roles.received`, the CACE gains `riSet`, its randomisation confidence
   * set by test inversion on the same assignments ({shape, intervals [{lower, upper}] (null = infinite), level,
   * waldRatio, exact, draws, nPossibleAssignments, method}).
   * Given `redraw` (RedrawOptions: the trial's own allocation scheme re-run, as `--allocation-dir` does), the
   * assignment is redrawn by it instead of by the design.
   */
  readonly ri?: RandomisationInferenceOptions | RedrawOptions;
}

/**
 * Compliance and the contamination analysis: take-up, contamination, principal-stratum shares (by group with
 * `by`), complier characteristics (κ-weighted means of the covariates), complier means, τ(λ) sensitivity and, for
 * a 0/1 outcome, Balke–Pearl bounds. JSON-serialisable.
 */
export type ComplianceResult = Omit<ContaminationAnalysis, 'protocolContrasts'>;

export interface EstimateResult {
  readonly estimates: readonly Estimate[];
  readonly compliance: ComplianceResult | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** The variance label of each difference_in_means design (estimatr does not name them). */
const DIM_VARIANCE: Record<DimDesign, SeType> = {
  Standard: 'Welch',
  Clustered: 'CR2',
  Blocked: 'blocked',
  'Matched-pair': 'matched-pair',
  'Block-clustered': 'CR2-blocked',
  'Matched-pair clustered': 'matched-pair-clustered',
};

function isPreparedTrial(data: Dataset | PreparedTrial): data is PreparedTrial {
  return 'assignment' in data && 'outcome' in data && 'sourceRows' in data;
}

export function estimate(data: Dataset | PreparedTrial, spec: EstimateSpec): EstimateResult {
  const level = checkLevel(spec.level);
  const roles: ColumnRoles = spec.by === undefined ? spec.roles : { ...spec.roles, by: spec.by };
  const trial = isPreparedTrial(data) ? data : prepareTrial(data, roles, spec.arms);
  const diagnostics: Diagnostic[] = [...trial.diagnostics];
  const covariates = trial.covariates;
  const clustered = trial.cluster !== undefined;
  const useDim = covariates.length === 0 && spec.lin !== true && spec.se === undefined;
  if (spec.lin === true && covariates.length === 0) {
    diagnostics.push(diagnostic('EST_LIN_WITHOUT_COVARIATES', 'info', 'Lin\'s estimator was asked for without covariates; it reduces to the unadjusted regression.'));
  }
  if (!useDim && trial.blocks !== undefined) {
    diagnostics.push(
      diagnostic(
        'EST_BLOCKS_NOT_IN_REGRESSION',
        'warning',
        `The regression does not use the blocks "${trial.blocks.name}" (estimatr's lm_robust has no blocks argument): add the block column as a covariate for block fixed effects, or drop the covariates and --se to get the blocked difference in means.`,
      ),
    );
  }
  const seType = useDim ? undefined : resolveSeType(spec.se, clustered);
  const outcomeName = trial.outcome.name;
  const assignmentName = trial.assignment.name;
  const common = {
    ...(trial.cluster === undefined ? {} : { cluster: trial.cluster }),
    level,
  };
  const estimates: Estimate[] = [];

  // ITT
  if (useDim) {
    const dim = differenceInMeans({
      outcome: trial.outcome.values,
      assignment: trial.assignment.values,
      ...(trial.blocks === undefined ? {} : { blocks: trial.blocks }),
      ...common,
      term: assignmentName,
    });
    estimates.push(fromDim('ITT', dim, outcomeName, level));
  } else {
    const columns = [trial.assignment, ...covariates];
    const fit =
      spec.lin === true
        ? lmLin({ outcome: trial.outcome.values, assignment: trial.assignment, covariates, seType: seType!, ...common })
        : lmRobust({ outcome: trial.outcome.values, columns, seType: seType!, ...common });
    estimates.push(fromRegression('ITT', spec.lin === true ? 'lm_lin' : 'lm_robust', fit, 1, outcomeName));
  }

  if (spec.ri !== undefined) {
    const ri = 'redraw' in spec.ri ? randomisationInferenceFromRedraws(trial, spec.ri) : randomisationInference(trial, spec.ri);
    const itt = estimates[0]!;
    estimates[0] = makeEstimate({
      ...itt,
      riPValue: ri.riPValue,
      riDraws: ri.riDraws,
      riExact: ri.exact,
      riPossibleAssignments: jsonNumber(ri.nPossibleAssignments),
      riMonteCarloStdError: ri.monteCarloStdError,
      riMethod: ri.method,
      ...('redraw' in spec.ri ? { riMechanism: spec.ri.mechanism } : {}),
      diagnostics: [...itt.diagnostics, ...ri.diagnostics],
    });
  }

  // Binary measures (src/binary, the other half of issue 4).
  if (spec.measure === 'rr') estimates.push(riskRatio(trial, { level }));
  if (spec.measure === 'or') estimates.push(oddsRatio(trial, { level }));
  if (spec.newcombe === true) estimates.push(newcombeRiskDifference(trial, { level }));

  // First stage and CACE.
  let compliance: ComplianceResult | null = null;
  if (trial.received !== undefined) {
    const received = trial.received;
    if (useDim) {
      const first = differenceInMeans({
        outcome: received.values,
        assignment: trial.assignment.values,
        ...(trial.blocks === undefined ? {} : { blocks: trial.blocks }),
        ...common,
        term: assignmentName,
      });
      estimates.push(fromDim('first-stage', first, received.name, level));
    }
    if (trial.blocks !== undefined && useDim) {
      diagnostics.push(
        diagnostic('EST_CACE_IGNORES_BLOCKS', 'info', 'iv_robust has no blocks argument: the CACE and its Anderson–Rubin set do not use the blocks (as estimatr would not).'),
      );
    }
    const iv = instrumentalVariables({
      outcome: trial.outcome,
      assignment: trial.assignment,
      received,
      covariates,
      ...(seType === undefined ? {} : { seType }),
      ...common,
    });
    if (!useDim) estimates.push(fromRegression('first-stage', 'lm_robust', iv.firstStage, 1, received.name));
    const f = iv.cace.firstStageF[0]!;
    const ar = iv.andersonRubin;
    estimates.push(
      fromRegression('CACE', 'iv_robust', iv.cace, 1, outcomeName, {
        firstStageF: f.value,
        firstStageFNumDf: f.numdf,
        firstStageFDenDf: f.dendf,
        firstStageFPValue: f.pValue,
        andersonRubin: { shape: ar.shape, lower: jsonNumber(ar.lower), upper: jsonNumber(ar.upper), level },
        ...(spec.ri === undefined ? {} : { riSet: caceRiSet(trial, spec.ri, level) }),
      }),
    );
    diagnostics.push(...iv.diagnostics);
    const { protocolContrasts, ...contamination } = analyseContamination(trial, {
      level,
      ...(trial.by === undefined ? {} : { by: trial.by }),
      protocolContrasts: spec.protocolContrasts === true,
    });
    estimates.push(...protocolContrasts);
    compliance = contamination;
  } else if (spec.protocolContrasts === true) {
    diagnostics.push(diagnostic('EST_PROTOCOL_WITHOUT_RECEIVED', 'info', 'Per-protocol and as-treated contrasts need the received column (--received); none were computed.'));
  } else if (trial.by !== undefined) {
    diagnostics.push(diagnostic('EST_BY_WITHOUT_RECEIVED', 'info', `--by "${trial.by.name}" groups take-up and contamination, which need --received; the estimates are for the whole sample.`));
  }
  return { estimates, compliance, diagnostics };
}

/**
 * The CACE's randomisation confidence set (test inversion of Y − τD, src/randomisation-inference/cace-interval.ts)
 * with the ITT test's draws, seed and design, so both rest on the same assignments. JSON-safe: infinite ends null.
 */
function caceRiSet(trial: PreparedTrial, ri: RandomisationInferenceOptions | RedrawOptions, level: number): Record<string, unknown> {
  const set =
    'redraw' in ri
      ? caceRandomisationSetFromRedraws(trial, { ...ri, level })
      : caceRandomisationSet(trial, { draws: ri.draws, seed: ri.seed, level, ...(ri.design === undefined ? {} : { design: ri.design }) });
  return {
    shape: set.shape,
    intervals: set.intervals.map((i) => ({ lower: jsonNumber(i.lower), upper: jsonNumber(i.upper) })),
    level: set.level,
    waldRatio: set.waldRatio,
    exact: set.exact,
    draws: set.riDraws,
    nPossibleAssignments: jsonNumber(set.nPossibleAssignments),
    method: set.method,
  };
}

/** JSON-safe end of a confidence set: an infinite or undefined end is null (the shape says which). */
function jsonNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** A difference_in_means result as an Estimate (its design's variance named in seType); shared with attrition. */
export function fromDim(estimand: string, dim: DifferenceInMeansResult, outcome: string, level: number): Estimate {
  return makeEstimate({
    estimand,
    estimator: 'difference_in_means',
    term: dim.term,
    estimate: dim.estimate,
    stdError: dim.stdError,
    statistic: dim.statistic,
    df: dim.df,
    pValue: dim.pValue,
    confLow: dim.confLow,
    confHigh: dim.confHigh,
    level,
    seType: DIM_VARIANCE[dim.design],
    nObs: dim.nObs,
    ...(dim.nClusters === undefined ? {} : { nClusters: dim.nClusters }),
    ...(dim.nBlocks === undefined ? {} : { nBlocks: dim.nBlocks }),
    design: dim.design,
    outcome,
    diagnostics: dim.diagnostics,
  });
}

function fromRegression(
  estimand: string,
  estimator: string,
  fit: LmRobustResult,
  termIndex: number,
  outcome: string,
  extra: Record<string, unknown> = {},
): Estimate {
  const row: CoefficientRow | undefined = fit.terms[termIndex];
  if (row === undefined) throw estimatorsErrors.tooFewObservations(fit.nObs, fit.terms.length);
  return makeEstimate({
    estimand,
    estimator,
    term: row.term,
    estimate: row.estimate,
    stdError: row.stdError,
    statistic: row.statistic,
    df: row.df,
    pValue: row.pValue,
    confLow: row.confLow,
    confHigh: row.confHigh,
    level: fit.level,
    seType: fit.seType,
    nObs: fit.nObs,
    ...(fit.nClusters === undefined ? {} : { nClusters: fit.nClusters }),
    outcome,
    ...extra,
    diagnostics: fit.diagnostics,
  });
}
