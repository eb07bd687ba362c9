/**
 * @trialkit/core — what every other package shares.
 *
 *   seed ──► Rng (xoshiro256** via SplitMix64) ──► allocation, randomisation inference, bootstrap, simulators
 *   bad input ──► TrialkitError {code, argument, value, row, column} ──► CLI: stderr, exit 2
 *   results ──► Estimate {…, diagnostics: Diagnostic[]} ──► CLI --json, report
 *   files ──► sha256File / canonicalJson ──► provenance and the enrolment hash chain
 */
export { TrialkitError, isTrialkitError, internalError, formatValue } from './trialkit-error.js';
export type { TrialkitErrorInit, TrialkitErrorKind } from './trialkit-error.js';
export { CoreErrorCode, coreErrors } from './errors.js';
export { Rng, createRng, seedToBigInt, splitMix64 } from './prng.js';
export type { Seed } from './prng.js';
export { diagnostic, makeEstimate, estimateToJSON } from './estimate.js';
export type { Diagnostic, Estimate, Estimand, Estimator, SeType, Severity } from './estimate.js';
export { sha256Hex, sha256File, canonicalJson } from './hash.js';
export { TRIALKIT_VERSION } from './version.js';
export { findColumn } from './dataset.js';
export type { Column, Dataset, DatasetSource, NumericColumn, TextColumn } from './dataset.js';
export {
  logGamma,
  logBeta,
  incompleteBeta,
  incompleteGamma,
  normalCdf,
  normalSurvival,
  normalDensity,
  normalQuantile,
  twoSidedNormalP,
  studentTCdf,
  studentTSurvival,
  studentTTwoSidedP,
  studentTQuantile,
  fCdf,
  fSurvival,
  chiSquareCdf,
  chiSquareSurvival,
} from './distributions.js';
