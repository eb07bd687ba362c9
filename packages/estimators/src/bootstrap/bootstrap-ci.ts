/**
 * Intervals for an engine result: checks there are enough replicates for the level, takes the jackknife influence
 * values of the resampling units (leave one row, or one cluster, out; boot's empinf type "jack") for the BCa
 * acceleration, and applies boot.ci's arithmetic (intervals.ts).
 */
import { diagnostic, type Diagnostic } from '@trialkit/core';
import { checkLevel } from '../checks.js';
import type { BootstrapResult } from './engine.js';
import { bootstrapErrors, MIN_TAIL_REPLICATES } from './errors.js';
import { bootCi, type BootCi } from './intervals.js';

export interface BootstrapCiOptions {
  /** Default 0.95. */
  readonly level?: number;
  /** Which component of the statistic (default 0). */
  readonly index?: number;
  /** Influence values to use instead of the jackknife (one per resampling unit). */
  readonly influence?: ArrayLike<number>;
  /** Skip the jackknife (no BCa): for a costly statistic when only percentile/normal/basic are wanted. */
  readonly bca?: boolean;
}

/** Replicates below which BCa's tails are thin enough to warn (Efron & Tibshirani 1993, §19.3: 1,000 or more). */
export const FEW_REPLICATES_FOR_INTERVALS = 1000;

/** The fewest replicates with (R + 1)·(1 − level)/2 ≥ MIN_TAIL_REPLICATES. */
export function minimumReps(level: number): number {
  return Math.ceil((2 * MIN_TAIL_REPLICATES) / (1 - level) - 1e-9) - 1;
}

export function checkRepsForLevel(reps: number, level: number): void {
  if (((reps + 1) * (1 - level)) / 2 < MIN_TAIL_REPLICATES) throw bootstrapErrors.tooFewRepsForLevel(reps, level, minimumReps(level));
}

export function fewRepsDiagnostic(reps: number): Diagnostic[] {
  return reps < FEW_REPLICATES_FOR_INTERVALS
    ? [diagnostic('BOOT_FEW_REPLICATES', 'warning', `${reps} replicates: percentile and BCa ends rest on few replicates in each tail and vary from seed to seed; use at least ${FEW_REPLICATES_FOR_INTERVALS.toLocaleString('en-GB')} (Efron & Tibshirani 1993, §19.3), 2,000 or more for BCa.`)]
    : [];
}

export function bootstrapCi(result: BootstrapResult, options: BootstrapCiOptions = {}): BootCi {
  const level = checkLevel(options.level);
  checkRepsForLevel(result.reps, level);
  const index = options.index ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= result.t0.length) throw bootstrapErrors.badIndex(index, result.t0.length);
  if (options.influence !== undefined && options.influence.length !== result.nUnits) {
    throw bootstrapErrors.badInfluence(result.nUnits, options.influence.length);
  }
  const influence = options.bca === false ? undefined : (options.influence ?? result.influence(index));
  const ci = bootCi({ t0: result.t0[index]!, t: result.t[index]!, level, ...(influence === undefined ? {} : { influence }) });
  const extra = fewRepsDiagnostic(result.reps);
  return extra.length === 0 ? ci : Object.freeze({ ...ci, diagnostics: Object.freeze([...extra, ...ci.diagnostics]) });
}
