/**
 * Checking and coding the inputs every survival function shares: follow-up times, 0/1 events, groups (arms,
 * strata) coded as integers, and the order of observations by time.
 */
import { survivalErrors } from './errors.js';

export type Values = ArrayLike<number>;
export type Labels = ArrayLike<number | string | null>;

/** Check times (finite, ≥ 0) and events (0/1); copy them into typed arrays. Rows in errors are 1-based. */
export function checkTimesAndEvents(time: Values, event: Values): { time: Float64Array; event: Uint8Array } {
  const n = time.length;
  if (event.length !== n) throw survivalErrors.lengthMismatch('The event indicator', n, event.length);
  const times = new Float64Array(n);
  const events = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (Number.isNaN(t)) throw survivalErrors.missingValue('--time', i + 1);
    if (!(t >= 0) || t === Infinity) throw survivalErrors.negativeTime(i + 1, t);
    const e = event[i]!;
    if (Number.isNaN(e)) throw survivalErrors.missingValue('--event', i + 1);
    if (e !== 0 && e !== 1) throw survivalErrors.badEvent(i + 1, e);
    times[i] = t;
    events[i] = e;
  }
  return { time: times, event: events };
}

export interface Coding {
  /** Code of each observation, 0..labels.length − 1. */
  readonly codes: Int32Array;
  /** Labels in code order: numeric order when every value is a number (or numeric text), else text order. */
  readonly labels: readonly string[];
}

/** Fast path of codeLabels for all-number values (e.g. a 0/1 assignment in a Float64Array): no string per row. */
function codeNumbers(values: Labels, argument: string, order?: readonly string[]): Coding | undefined {
  const n = values.length;
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number') return undefined;
    if (Number.isNaN(v)) throw survivalErrors.missingValue(argument, i + 1);
    if (!seen.has(v)) seen.set(v, seen.size);
  }
  const labels = order !== undefined ? [...order] : sortLabels([...seen.keys()].map((v) => String(v)));
  const index = new Map<number, number>();
  for (const v of seen.keys()) {
    const k = labels.indexOf(String(v));
    if (k < 0) throw survivalErrors.unknownArm(String(v), labels);
    index.set(v, k);
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(values[i] as number)!;
  return { codes, labels };
}

/** Sort order of labels: numeric when all parse as numbers (R's factor of a numeric column), else code-point. */
export function sortLabels(labels: readonly string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Code group labels as integers in sorted label order (R's factor()). `order` fixes the labels' order instead. */
export function codeLabels(values: Labels, argument: string, order?: readonly string[]): Coding {
  const n = values.length;
  const numeric = codeNumbers(values, argument, order);
  if (numeric !== undefined) return numeric;
  const seen = new Map<string, number>();
  const raw = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      throw survivalErrors.missingValue(argument, i + 1);
    }
    const label = String(v);
    raw[i] = label;
    if (!seen.has(label)) seen.set(label, seen.size);
  }
  const labels = order !== undefined ? [...order] : sortLabels([...seen.keys()]);
  const index = new Map(labels.map((l, k) => [l, k] as const));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = index.get(raw[i]!);
    if (k === undefined) throw survivalErrors.unknownArm(raw[i]!, labels);
    codes[i] = k;
  }
  return { codes, labels };
}

/**
 * Indices 0..n−1 in ascending order of time, ties in index order (stable). A comparator sort of 1e6 indices takes
 * ~0.5 s in V8; instead: a native numeric sort of the times, the distinct values, each observation's rank by binary
 * search, and a counting sort by rank (~0.15 s).
 */
export function orderByTime(time: Float64Array): Uint32Array {
  const n = time.length;
  const packed = orderIntegerTimes(time);
  if (packed !== undefined) return packed;
  const distinct = Float64Array.from(time).sort();
  let nDistinct = 0;
  for (let i = 0; i < n; i++) {
    if (nDistinct === 0 || distinct[i] !== distinct[nDistinct - 1]) distinct[nDistinct++] = distinct[i]!;
  }
  const rank = new Uint32Array(n);
  const starts = new Uint32Array(nDistinct + 1);
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    let lo = 0;
    let hi = nDistinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    starts[lo + 1]! += 1;
  }
  for (let k = 0; k < nDistinct; k++) starts[k + 1]! += starts[k]!;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[starts[rank[i]!]!++] = i;
  return order;
}

/**
 * Fast paths for whole-number times (days, weeks). When the largest time is at most a few times n, a counting sort
 * by time value (stable, O(n + max)). Otherwise each key time·2^b + index (b bits hold any index) is an exact double
 * while time·2^b < 2^53, so one native numeric sort of the keys orders by time, then index. Undefined when a time
 * is not a whole number or is too large for either.
 */
function orderIntegerTimes(time: Float64Array): Uint32Array | undefined {
  const n = time.length;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (!Number.isInteger(t)) return undefined;
    if (t > largest) largest = t;
  }
  const order = new Uint32Array(n);
  if (largest <= 4 * n + 65536) {
    const starts = new Uint32Array(largest + 2);
    for (let i = 0; i < n; i++) starts[time[i]! + 1]! += 1;
    for (let v = 0; v <= largest; v++) starts[v + 1]! += starts[v]!;
    for (let i = 0; i < n; i++) order[starts[time[i]!]!++] = i;
    return order;
  }
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const scale = 2 ** bits;
  if (largest >= 2 ** (53 - bits)) return undefined;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = time[i]! * scale + i;
  keys.sort();
  for (let r = 0; r < n; r++) order[r] = keys[r]! % scale;
  return order;
}

/** Split an ordering into one ordering per code, keeping the order within each code. */
export function splitOrder(order: Uint32Array, codes: Int32Array, nCodes: number): Uint32Array[] {
  const counts = new Int32Array(nCodes);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]! += 1;
  const parts = Array.from({ length: nCodes }, (_, k) => new Uint32Array(counts[k]!));
  const filled = new Int32Array(nCodes);
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    const k = codes[i]!;
    parts[k]![filled[k]!] = i;
    filled[k]! += 1;
  }
  return parts;
}
