/**
 * The seeded bootstrap engine: any statistic of the rows, resampled by row or by whole cluster, within strata.
 *
 *   options ──plan.ts (units, strata)──► t0 = statistic(all rows)
 *     R replicates: per unit position, a unit drawn from its stratum (IndexStream = core Rng's nextInt, in bulk)
 *       ──► rows of the drawn units (one reused Int32Array) ──► statistic(rows) ──► t[k][r]
 *     jackknife (on demand, for BCa): statistic without unit u, for every unit ──► L_u = (n_s − 1)(t0 − t₋ᵤ)
 *
 * Draw order (fixed, so a seed gives the same replicates on every machine): replicate 1 … R; within a replicate,
 * unit position 0 … U−1, one `nextInt(n_s)` each (n_s the size of that position's stratum), choosing the
 * stratum's units in ascending unit order. The statistic receives the drawn rows (for clusters, every row of every
 * drawn cluster, cluster by cluster); it must not keep or change the array, which is reused.
 */
import { createRng, seedToBigInt, type Seed } from '@trialkit/core';
import { IndexStream } from './index-stream.js';
import { bootstrapErrors, MAX_REPS } from './errors.js';
import { buildPlan, stratumSizeOf, type GroupingInput, type ResamplingPlan } from './plan.js';

/** A statistic of the rows given by index (0-based; repeats allowed): one number, or several. */
export type BootstrapStatistic = (rows: Int32Array) => number | ArrayLike<number>;

export interface BootstrapOptions {
  /** Rows of the data the statistic reads. */
  readonly n: number;
  readonly statistic: BootstrapStatistic;
  /** Replicates R. */
  readonly reps: number;
  /** core's seed (integer < 2^64 or text). Not needed when `unitIndices` replays given resamples. */
  readonly seed?: Seed;
  /** Resample whole clusters (one code per row); the jackknife for BCa then leaves one cluster out. */
  readonly cluster?: GroupingInput;
  /** Resample within strata (one code per row; with clusters, every cluster must lie in one stratum). */
  readonly strata?: GroupingInput;
  /**
   * Replay given resamples instead of drawing: per replicate, one 0-based unit index per unit position, each from
   * that position's stratum — e.g. R's `boot.array(b, indices = TRUE) - 1`. `reps` must equal their number.
   */
  readonly unitIndices?: readonly ArrayLike<number>[];
  /**
   * Leave-one-unit-out values of the statistic, if the caller has a faster way to get them than U evaluations on
   * U − 1 units: returns, per component, t₋ᵤ for every unit u (in unit order).
   */
  readonly leaveOneOut?: (plan: ResamplingPlan) => readonly Float64Array[];
  /**
   * 'error' (default): a non-finite value of the statistic in a replicate is a TrialkitError naming the replicate.
   * 'keep': keep it in t (boot.ci and bootstrapCi then leave it out of the intervals, with a diagnostic).
   */
  readonly nonFinite?: 'error' | 'keep';
  /** Called about every 64 replicates and at the end, with replicates done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BootstrapResult {
  /** The statistic on the original rows (one value per component). */
  readonly t0: readonly number[];
  /** Replicates by component: t[k][r]. */
  readonly t: readonly Float64Array[];
  readonly reps: number;
  /** The seed as given (text), or null for replayed resamples. */
  readonly seed: string | null;
  readonly nRows: number;
  /** Resampling units: rows, or clusters. */
  readonly nUnits: number;
  readonly nStrata: number;
  readonly clustered: boolean;
  /**
   * boot's jackknife empirical influence values (empinf type "jack", usual.jack) for component k, by unit:
   * L_u = (n_s − 1)(t0 − t₋ᵤ), n_s the units in u's stratum. Computed on first call (U evaluations of the
   * statistic unless `leaveOneOut` was given), then cached.
   */
  readonly influence: (component?: number) => Float64Array;
}

export function checkReps(reps: unknown): number {
  if (typeof reps !== 'number' || !Number.isInteger(reps) || reps < 2 || reps > MAX_REPS) throw bootstrapErrors.badReps(reps);
  return reps;
}

export function bootstrap(options: BootstrapOptions): BootstrapResult {
  const reps = checkReps(options.reps);
  const replay = options.unitIndices;
  if (replay === undefined && options.seed === undefined) throw bootstrapErrors.noSeed();
  const rng = replay === undefined ? createRng(options.seed as Seed) : null; // validates the seed before any work
  const plan = buildPlan(options.n, options.cluster, options.strata);
  if (replay !== undefined && replay.length !== reps) {
    throw bootstrapErrors.badUnitIndices(replay.length, `set has ${replay.length} replicates but reps is ${reps}`);
  }
  const statistic = options.statistic;
  const keepNonFinite = options.nonFinite === 'keep';

  const allRows = new Int32Array(plan.nRows);
  for (let i = 0; i < plan.nRows; i++) allRows[i] = i;
  const t0 = toArray(statistic(allRows));
  const k = t0.length;
  if (k === 0) throw bootstrapErrors.statisticLength(0, 1, 0);
  t0.forEach((value, component) => {
    if (!Number.isFinite(value)) throw bootstrapErrors.nonFiniteStatistic(0, component, value, 'observed');
  });

  const t = Array.from({ length: k }, () => new Float64Array(reps));
  const units = new Int32Array(plan.nUnits);
  let rowBuffer = plan.clustered ? new Int32Array(plan.nRows) : units;
  const stream = rng === null ? null : new IndexStream(rng);
  const { unitStratum, stratumStart, stratumUnits, unitRowStart, unitRows } = plan;
  const progress = options.onProgress;

  for (let r = 0; r < reps; r++) {
    if (stream !== null) {
      for (let p = 0; p < plan.nUnits; p++) {
        const s = unitStratum[p]!;
        const start = stratumStart[s]!;
        units[p] = stratumUnits[start + stream.nextInt(stratumStart[s + 1]! - start)]!;
      }
    } else {
      copyReplayed(plan, replay![r]!, units, r + 1);
    }
    let rows: Int32Array;
    if (unitRowStart === null || unitRows === null) rows = units;
    else {
      let length = 0;
      for (let p = 0; p < plan.nUnits; p++) {
        const u = units[p]!;
        length += unitRowStart[u + 1]! - unitRowStart[u]!;
      }
      if (length > rowBuffer.length) rowBuffer = new Int32Array(Math.max(length, Math.ceil(rowBuffer.length * 1.5)));
      let at = 0;
      for (let p = 0; p < plan.nUnits; p++) {
        const u = units[p]!;
        for (let j = unitRowStart[u]!; j < unitRowStart[u + 1]!; j++) rowBuffer[at++] = unitRows[j]!;
      }
      rows = rowBuffer.subarray(0, length);
    }
    const value = statistic(rows);
    if (typeof value === 'number') {
      if (k !== 1) throw bootstrapErrors.statisticLength(r + 1, k, 1);
      if (!keepNonFinite && !Number.isFinite(value)) throw bootstrapErrors.nonFiniteStatistic(r + 1, 0, value, 'replicate');
      t[0]![r] = value;
    } else {
      if (value.length !== k) throw bootstrapErrors.statisticLength(r + 1, k, value.length);
      for (let c = 0; c < k; c++) {
        const v = value[c]!;
        if (!keepNonFinite && !Number.isFinite(v)) throw bootstrapErrors.nonFiniteStatistic(r + 1, c, v, 'replicate');
        t[c]![r] = v;
      }
    }
    if (progress !== undefined && ((r + 1) % 64 === 0 || r + 1 === reps)) progress(r + 1, reps);
  }

  const cache = new Map<number, Float64Array>();
  let leaveOneOut: readonly Float64Array[] | null = null;
  const influence = (component = 0): Float64Array => {
    if (!Number.isInteger(component) || component < 0 || component >= k) throw bootstrapErrors.badIndex(component, k);
    const cached = cache.get(component);
    if (cached !== undefined) return cached;
    leaveOneOut ??= options.leaveOneOut !== undefined ? options.leaveOneOut(plan) : jackknifeValues(plan, statistic, k);
    const without = leaveOneOut[component]!;
    const L = new Float64Array(plan.nUnits);
    for (let u = 0; u < plan.nUnits; u++) {
      const tu = without[u]!;
      if (!Number.isFinite(tu)) throw bootstrapErrors.nonFiniteStatistic(u + 1, component, tu, 'jackknife');
      L[u] = (stratumSizeOf(plan, u) - 1) * (t0[component]! - tu);
    }
    cache.set(component, L);
    return L;
  };

  return {
    t0,
    t,
    reps,
    seed: replay === undefined ? seedText(options.seed as Seed) : null,
    nRows: plan.nRows,
    nUnits: plan.nUnits,
    nStrata: plan.nStrata,
    clustered: plan.clustered,
    influence,
  };
}

/** The seed as text (a number or bigint in decimal), for the Estimate's bootSeed. */
export function seedText(seed: Seed): string {
  seedToBigInt(seed); // validates
  return typeof seed === 'string' ? seed : seed.toString();
}

function toArray(value: number | ArrayLike<number>): number[] {
  return typeof value === 'number' ? [value] : Array.from(value);
}

function copyReplayed(plan: ResamplingPlan, given: ArrayLike<number>, units: Int32Array, replicate: number): void {
  if (given.length !== plan.nUnits) throw bootstrapErrors.badUnitIndices(replicate, `has ${given.length} unit indices for ${plan.nUnits} units`);
  for (let p = 0; p < plan.nUnits; p++) {
    const u = given[p]!;
    if (!Number.isInteger(u) || u < 0 || u >= plan.nUnits) throw bootstrapErrors.badUnitIndices(replicate, `has unit index ${String(u)} at position ${p}`);
    if (plan.unitStratum[u] !== plan.unitStratum[p]) {
      throw bootstrapErrors.badUnitIndices(replicate, `draws ${plan.unitLabel(u)} (stratum ${plan.stratumLabel(plan.unitStratum[u]!)}) for the position of ${plan.unitLabel(p)} (stratum ${plan.stratumLabel(plan.unitStratum[p]!)})`);
    }
    units[p] = u;
  }
}

/** t₋ᵤ for every unit u by evaluating the statistic on all rows but unit u's (U evaluations; O(U·N)). */
export function jackknifeValues(plan: ResamplingPlan, statistic: BootstrapStatistic, k: number): Float64Array[] {
  const out = Array.from({ length: k }, () => new Float64Array(plan.nUnits));
  const store = (u: number, value: number | ArrayLike<number>): void => {
    if (typeof value === 'number') out[0]![u] = k === 1 ? value : Number.NaN;
    else for (let c = 0; c < k; c++) out[c]![u] = value.length === k ? value[c]! : Number.NaN;
  };
  if (plan.unitRowStart === null) {
    // rows without u: 0 … u−1, u+1 … n−1; moving from u to u+1 only puts u back at position u.
    const rows = new Int32Array(plan.nRows - 1);
    for (let i = 0; i < rows.length; i++) rows[i] = i + 1;
    for (let u = 0; u < plan.nRows; u++) {
      if (u > 0) rows[u - 1] = u - 1;
      store(u, statistic(rows));
    }
    return out;
  }
  const starts = plan.unitRowStart;
  const unitRows = plan.unitRows!;
  const rows = new Int32Array(plan.nRows);
  for (let u = 0; u < plan.nUnits; u++) {
    let at = 0;
    for (let v = 0; v < plan.nUnits; v++) {
      if (v === u) continue;
      for (let j = starts[v]!; j < starts[v + 1]!; j++) rows[at++] = unitRows[j]!;
    }
    store(u, statistic(rows.subarray(0, at)));
  }
  return out;
}
