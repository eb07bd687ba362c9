/**
 * The normal distribution functions the binary-outcome and contamination modules use, from @trialkit/core
 * (accurate to ~1e-13, checked against R's pnorm/qnorm there), under the names used in these modules.
 */
export { normalQuantile, normalSurvival as normalUpperTail, twoSidedNormalP as normalTwoSidedP } from '@trialkit/core';
