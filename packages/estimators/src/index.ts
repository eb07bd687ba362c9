/**
 * @trialkit/estimators — ITT, CACE/IV and their variances, matching R's estimatr 1.0.0.
 *
 *   PreparedTrial (@trialkit/data) ──estimate(spec)──► difference-in-means.ts | lm-robust.ts | lm-lin.ts | iv-robust.ts
 *        argument checks (errors.ts) ──► kernels/ (Float64Array):  qr (estimatr's pivoted Householder rank rule)
 *        ──► ols / iv fit ──► variance (classical, HC0–HC3, CR0, CR2 + Bell–McCaffrey df, stata)
 *        ──► inference (t, normal, F, χ² from @trialkit/core) ──► Estimate[] + Diagnostic[]
 */
export { EstimatorsErrorCode, estimatorsErrors } from './errors.js';
export type { CoefficientRow, GroupCodes } from './checks.js';
export { SE_TYPES, resolveSeType } from './se-type.js';
export { differenceInMeans } from './difference-in-means.js';
export type { DifferenceInMeansArgs, DifferenceInMeansResult, DimDesign } from './difference-in-means.js';
export { lmRobust } from './lm-robust.js';
export type { DesignColumn, LmRobustArgs, LmRobustResult } from './lm-robust.js';
export { lmLin } from './lm-lin.js';
export type { LmLinArgs, LmLinResult } from './lm-lin.js';
export type { VarianceType } from './kernels/variance.js';
export { ivRobust, instrumentalVariables, WEAK_INSTRUMENT_F } from './iv-robust.js';
export type { FirstStageF, InstrumentalVariablesArgs, InstrumentalVariablesResult, IvRobustArgs, IvRobustResult } from './iv-robust.js';
export { andersonRubinSet } from './kernels/anderson-rubin.js';
export { estimate } from './estimate.js';
export type { ComplianceResult, EstimateResult, EstimateSpec } from './estimate.js';
export type { AndersonRubinSet, AndersonRubinShape } from './kernels/anderson-rubin.js';
// Compliance, contamination, complier analyses and bounds (src/contamination/README.md); binary-outcome measures.
export * from './contamination/index.js';
export * from './binary/index.js';
export * from './randomisation-inference/index.js'; // randomisation inference for the ITT (src/randomisation-inference/README.md)
export { adjustPValues, P_ADJUST_METHODS } from './multiplicity.js';
export type { PAdjustMethod } from './multiplicity.js';
export * from './subgroups/index.js'; // subgroup effects and the treatment × subgroup interaction test (src/subgroups/README.md)
export * from './attrition/index.js'; // survey attrition: response by arm, χ², Fisher, Lee (2009) bounds (src/attrition/README.md)
export * from './bootstrap/index.js'; // seeded bootstrap: rows or clusters within strata, boot.ci intervals, ITT and ratio Estimates (src/bootstrap/README.md)
