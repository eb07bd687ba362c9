/**
 * Bootstrap (issue 7): seeded resampling of rows or whole clusters, within strata, for any statistic; boot.ci's
 * normal, basic, percentile and BCa intervals (BCa acceleration from the jackknife); and Estimates for the ITT and
 * for a ratio of ITTs such as cost per additional job outcome. See README.md.
 *
 *   statistic(rows) ──engine.ts (plan.ts: units, strata; index-stream.ts: core Rng draws in bulk)──► t0, t*, L
 *     ──intervals.ts (boot.ci arithmetic; bootstrap-ci.ts checks reps, takes the jackknife L)──► BootCi
 *   PreparedTrial ──trial.ts (strata = block × arm, units = rows or clusters)──► Estimate (estimator "bootstrap")
 */
export { bootstrap } from './engine.js';
export type { BootstrapOptions, BootstrapResult, BootstrapStatistic } from './engine.js';
export { bootstrapCi, minimumReps, FEW_REPLICATES_FOR_INTERVALS } from './bootstrap-ci.js';
export type { BootstrapCiOptions } from './bootstrap-ci.js';
export { bootCi, normInter, BOOT_INTERVALS } from './intervals.js';
export type { BootCi, BootCiInput, BootInterval, BootBounds } from './intervals.js';
export { bootstrapItt, bootstrapRatio, bootstrapEstimate } from './trial.js';
export type { BootstrapEstimateOptions, BootstrapRatioOptions, BootstrapTrialOptions } from './trial.js';
export type { GroupingInput } from './plan.js';
export { BootstrapErrorCode, MAX_REPS, MIN_TAIL_REPLICATES } from './errors.js';
