/**
 * The resampling plan: which units are drawn (rows, or whole clusters) and from which pool (strata).
 *
 *   rows (n) + cluster codes? + strata codes? ──► units (rows, or clusters in ascending code order)
 *     ──► each unit's stratum (a cluster must lie in one stratum), each stratum's units (in unit order),
 *         each cluster's rows (in row order)
 *
 * A replicate draws, for every unit position p = 0 … U−1 in turn, one unit uniformly with replacement from the
 * stratum of unit p — boot's layout for `strata` (its ordinary.array fills column p from p's stratum), so stratum
 * sizes (in units) are kept, and whole clusters are kept together (Davison & Hinkley 1997, §3.7–3.8).
 */
import type { Grouping } from '@trialkit/data';
import { bootstrapErrors } from './errors.js';

/** A grouping: a Grouping from prepareTrial, or one whole-number code (≥ 0) per row. */
export type GroupingInput = Grouping | ArrayLike<number>;

export interface ResamplingPlan {
  readonly nRows: number;
  readonly nUnits: number;
  readonly clustered: boolean;
  readonly nStrata: number;
  /** Stratum (0 … nStrata−1) of each unit. */
  readonly unitStratum: Int32Array;
  /** Units of stratum s: stratumUnits[stratumStart[s] … stratumStart[s+1]). */
  readonly stratumStart: Int32Array;
  readonly stratumUnits: Int32Array;
  /** Rows of cluster u: unitRows[unitRowStart[u] … unitRowStart[u+1]); null when units are rows. */
  readonly unitRowStart: Int32Array | null;
  readonly unitRows: Int32Array | null;
  /** Labels of the units (cluster labels, or row numbers 1 … n) and of the strata, for messages. */
  readonly unitLabel: (unit: number) => string;
  readonly stratumLabel: (stratum: number) => string;
}

interface Codes {
  readonly codes: Int32Array; // dense 0 … k−1, in ascending order of the given codes
  readonly k: number;
  readonly label: (dense: number) => string;
}

function denseCodes(input: GroupingInput, n: number, argument: string): Codes {
  const raw = isGrouping(input) ? input.codes : input;
  if (raw.length !== n) throw bootstrapErrors.badGrouping(argument, n, raw.length);
  for (let i = 0; i < n; i++) {
    const c = raw[i]!;
    if (!Number.isInteger(c) || c < 0 || c > 0x7fffffff) throw bootstrapErrors.badGrouping(argument, n, `${String(c)} in row ${i + 1}`);
  }
  // dense codes in ascending order of the given codes (a Map, so sparse codes such as ids cost no memory)
  const original = Array.from(new Set(Array.from(raw))).sort((a, b) => a - b);
  const dense = new Map<number, number>(original.map((c, k) => [c, k]));
  const k = original.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = dense.get(raw[i]!)!;
  const labels = isGrouping(input) ? input.labels : null;
  return {
    codes,
    k,
    label: (dense) => {
      const c = original[dense]!;
      return labels?.[c] ?? String(c);
    },
  };
}

function isGrouping(input: GroupingInput): input is Grouping {
  return typeof (input as Grouping).codes === 'object' && Array.isArray((input as Grouping).labels);
}

export function buildPlan(n: number, cluster: GroupingInput | undefined, strata: GroupingInput | undefined): ResamplingPlan {
  if (!Number.isInteger(n) || n < 2) throw bootstrapErrors.badRows(n);
  const clusters = cluster === undefined ? null : denseCodes(cluster, n, 'cluster');
  const stratumCodes = strata === undefined ? null : denseCodes(strata, n, 'strata');
  const nUnits = clusters === null ? n : clusters.k;
  const nStrata = stratumCodes === null ? 1 : stratumCodes.k;

  // unit of each row, rows of each unit
  let unitRowStart: Int32Array | null = null;
  let unitRows: Int32Array | null = null;
  if (clusters !== null) {
    unitRowStart = new Int32Array(nUnits + 1);
    for (let i = 0; i < n; i++) unitRowStart[clusters.codes[i]! + 1]!++;
    for (let u = 0; u < nUnits; u++) unitRowStart[u + 1]! += unitRowStart[u]!;
    const fill = unitRowStart.slice(0, nUnits);
    unitRows = new Int32Array(n);
    for (let i = 0; i < n; i++) unitRows[fill[clusters.codes[i]!]!++] = i;
  }

  const unitStratum = new Int32Array(nUnits);
  if (stratumCodes !== null) {
    if (clusters === null) unitStratum.set(stratumCodes.codes);
    else {
      unitStratum.fill(-1);
      for (let i = 0; i < n; i++) {
        const u = clusters.codes[i]!;
        const s = stratumCodes.codes[i]!;
        if (unitStratum[u] === -1) unitStratum[u] = s;
        else if (unitStratum[u] !== s) throw bootstrapErrors.clusterSpansStrata(clusters.label(u));
      }
    }
  }
  const stratumStart = new Int32Array(nStrata + 1);
  for (let u = 0; u < nUnits; u++) stratumStart[unitStratum[u]! + 1]!++;
  for (let s = 0; s < nStrata; s++) stratumStart[s + 1]! += stratumStart[s]!;
  const fill = stratumStart.slice(0, nStrata);
  const stratumUnits = new Int32Array(nUnits);
  for (let u = 0; u < nUnits; u++) stratumUnits[fill[unitStratum[u]!]!++] = u;

  const stratumLabel = (s: number): string => (stratumCodes === null ? 'all' : stratumCodes.label(s));
  for (let s = 0; s < nStrata; s++) {
    if (stratumStart[s + 1]! - stratumStart[s]! < 2) throw bootstrapErrors.stratumOneUnit(stratumLabel(s), clusters !== null);
  }
  return {
    nRows: n,
    nUnits,
    clustered: clusters !== null,
    nStrata,
    unitStratum,
    stratumStart,
    stratumUnits,
    unitRowStart,
    unitRows,
    unitLabel: (u) => (clusters === null ? `row ${u + 1}` : `cluster ${clusters.label(u)}`),
    stratumLabel,
  };
}

/** Units in the stratum of unit u (boot's n_s for the jackknife influence (n_s − 1)(t0 − t₋ᵤ)). */
export function stratumSizeOf(plan: ResamplingPlan, unit: number): number {
  const s = plan.unitStratum[unit]!;
  return plan.stratumStart[s + 1]! - plan.stratumStart[s]!;
}
