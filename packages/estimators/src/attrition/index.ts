/**
 * Attrition (issue 7): when the outcome comes from a follow-up survey with non-response — response by arm, the
 * difference in response rates (estimatr's difference_in_means, χ², Fisher's exact test), and Lee (2009) bounds on
 * the ITT for those who would respond whichever arm they were in, with Imbens–Manski intervals.
 *
 *   Dataset ──attrition-analysis.ts (response indicator, prepareTrial, checks: errors.ts)
 *     ──► independence-tests.ts (Pearson χ², Fisher exact)   ──► lee-bounds.ts (trim, Prop. 3 SEs, Imbens–Manski)
 *     ──► { response, difference, chiSquare, fisher, lee, diagnostics }
 */
export { attritionAnalysis, DEFAULT_DIFFERENTIAL_THRESHOLD, DEFAULT_LOW_RESPONSE_THRESHOLD } from './attrition-analysis.js';
export type { ArmResponse, AttritionAnalysis, AttritionSpec, ResponseSummary } from './attrition-analysis.js';
export { leeBounds, imbensManskiCritical, LEE_ESTIMAND, LEE_FEW_KEPT } from './lee-bounds.js';
export type { LeeBoundsArgs, LeeBoundsResult, LeeInterval } from './lee-bounds.js';
export { pearsonChiSquare, fisherExact, FISHER_RELATIVE_TOLERANCE } from './independence-tests.js';
export type { ChiSquareTest, FisherTest, ResponseTable } from './independence-tests.js';
export { AttritionErrorCode, attritionErrors } from './errors.js';
