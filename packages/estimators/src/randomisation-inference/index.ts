/**
 * Randomisation inference (issue 7): the ITT's p-value under Fisher's sharp null by redrawing the assignment as it
 * was made — complete, blocked, clustered or block-clustered — exactly (every assignment) when there are at most
 * `draws` of them, else by seeded redraws (core Rng).
 *
 *   PreparedTrial ──design.ts (units/clusters by block, sums)──► randomisation-inference.ts
 *     (enumerate | redraws from sampler.ts) ──► { riPValue, riDraws, exact, nPossibleAssignments, … }
 *   received D ──cace-interval.ts: A(a), B(a) per assignment, p(τ) for Y − τD by one sweep──► CACE confidence set
 */
export { randomisationInference, RI_TIE_TOLERANCE } from './randomisation-inference.js';
export type { RandomisationInferenceOptions, RandomisationInferenceResult, RiStatistic } from './randomisation-inference.js';
export { RI_DESIGNS } from './design.js';
export type { RiDesignKind } from './design.js';
export { RandomisationInferenceErrorCode } from './errors.js';
export { caceRandomisationSet } from './cace-interval.js';
export type { CaceRandomisationSet, CaceRandomisationSetOptions } from './cace-interval.js';
export { randomisationInferenceFromRedraws, caceRandomisationSetFromRedraws } from './redraws.js';
export type { RedrawOptions } from './redraws.js';
