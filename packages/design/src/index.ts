/**
 * @trialkit/design — power, sample size and minimum detectable effect for individually and cluster-randomised
 * trials with non-take-up and contamination (README.md).
 *
 *   DesignSpec ──planTrial──► DesignResult { solvedFor, method, power, effect {cace, itt}, receipt, clustering,
 *                                            sampleSize {fractional, rounded up per arm}, diagnostics }
 */
export {
  ALTERNATIVES,
  OUTCOMES,
  POWER_METHODS,
  cohenH,
  designEffect,
  minimumDetectableEffect,
  planTrial,
  receiptInflation,
  trialPower,
  trialSampleSize,
} from './design.js';
export type {
  Alternative,
  ClusterDesign,
  DesignMethod,
  DesignResult,
  DesignSpec,
  Outcome,
  PowerMethod,
  SampleSize,
  SolvedFor,
} from './design.js';
export { DesignErrorCode, designErrors } from './errors.js';
export type { DesignErrorCodeValue } from './errors.js';
export { noncentralTCdf } from './noncentral-t.js';
export { brentRoot } from './root.js';
