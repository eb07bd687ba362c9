/**
 * A randomisation-based confidence set for the CACE by test inversion (issue 7; Imbens & Rosenbaum 2005,
 * "Robust, accurate confidence intervals with a weak instrument", JRSS A 168(1); Rosenbaum 2002, §5):
 * τ is rejected when the adjusted outcome Y − τ·D still shows an effect of assignment, by the randomisation
 * test of randomisation-inference.ts with the difference in means of Y − τ·D as the statistic.
 *
 *   for each redrawn (or enumerated) assignment a:  A(a) = DiM of Y,  B(a) = DiM of D   (one pass, both sums)
 *   the statistic of Y − τD is A(a) − τ·B(a) (the difference in means is linear), so assignment a counts as
 *   extreme at τ iff (A(a) − τB(a))² ≥ (A − τB)²  — a product of two linear functions of τ ≥ 0 — a union of at
 *   most two intervals; a sweep over all of them gives p(τ) for every τ at once (no grid), and the set is
 *   { τ : p(τ) > α }: an interval, a union of intervals, or unbounded (a weak first stage).
 *
 * p(τ) uses the same conventions as the ITT test: exact #/C when every assignment is enumerated, else
 * (1 + #)/(1 + draws); the same seed and draws give the same assignments as randomisationInference.
 */
import { createRng, TrialkitError, type Rng, type Seed } from '@trialkit/core';
import type { PreparedTrial } from '@trialkit/data';
import { buildDesign, defaultDesign, RI_DESIGNS, type RiDesign, type RiDesignKind } from './design.js';
import { MAX_DRAWS, riErrors } from './errors.js';
import { SubsetSampler } from './sampler.js';
import { nextCombination, possibleAssignments, RI_TIE_TOLERANCE } from './randomisation-inference.js';

export interface CaceRandomisationSetOptions {
  readonly draws: number;
  readonly seed: Seed;
  readonly design?: RiDesignKind;
  /** Confidence level; default 0.95 (τ is in the set when p(τ) > 1 − level). */
  readonly level?: number;
}

export interface CaceRandomisationSet {
  /** Disjoint, sorted intervals whose union is the set; ±Infinity for unbounded ends (JSON: null). */
  readonly intervals: readonly { readonly lower: number; readonly upper: number }[];
  readonly shape: 'interval' | 'union' | 'unbounded' | 'whole-line' | 'empty';
  readonly level: number;
  /** The Wald ratio A/B on the observed assignment (the CACE point estimate without covariates). */
  readonly waldRatio: number;
  readonly exact: boolean;
  readonly riDraws: number;
  readonly nPossibleAssignments: number;
  /** p(τ) as a step function: pValues[i] holds on (breaks[i − 1], breaks[i]) with breaks[−1] = −∞, breaks[n] = +∞. */
  readonly breaks: Float64Array;
  readonly pValues: Float64Array;
  readonly method: string;
}

export function caceRandomisationSet(trial: PreparedTrial, options: CaceRandomisationSetOptions): CaceRandomisationSet {
  const draws = options.draws;
  if (typeof draws !== 'number' || !Number.isInteger(draws) || draws < 1 || draws > MAX_DRAWS) throw riErrors.badDraws(draws);
  const level = options.level ?? 0.95;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new TrialkitError({ code: 'RI_BAD_LEVEL', argument: 'level', value: level, what: 'The confidence level must be between 0 and 1', hint: 'Use e.g. 0.95.' });
  }
  const received = trial.received;
  if (received === undefined) {
    throw new TrialkitError({
      code: 'RI_NO_RECEIVED',
      argument: '--received',
      what: 'The CACE needs the treatment actually received',
      hint: 'Name the received column (--received).',
    });
  }
  const kind = options.design ?? defaultDesign(trial);
  if (!RI_DESIGNS.includes(kind)) throw riErrors.badDesign(kind);
  const rng = createRng(options.seed);
  const designY = buildDesign(trial, kind);
  const designD = buildDesign({ ...trial, outcome: received }, kind);
  const a0 = statisticOf(designY, designY.unitTreated);
  const b0 = statisticOf(designD, designY.unitTreated);
  const nPossible = possibleAssignments(designY);
  const exact = nPossible <= draws;
  const pairs = exact ? enumeratePairs(designY, designD, nPossible) : samplePairs(designY, designD, rng, draws);
  const m = pairs.a.length;
  return invertPairs(pairs, a0, b0, exact, nPossible, level, `difference in means, ${kind} design`, exact ? `all ${m} assignments enumerated (exact)` : `${m} redraws, p = (1 + #)/(1 + ${m})`);
}

/**
 * The set from the statistics of Y (a) and D (b) on each assignment: p(τ) by one sweep, then {τ : p(τ) > 1 − level}.
 * A pair with an undefined statistic (NaN) is never extreme but counts among the draws.
 */
export function invertPairs(
  pairs: { readonly a: Float64Array; readonly b: Float64Array },
  a0: number,
  b0: number,
  exact: boolean,
  nPossible: number,
  level: number,
  statisticText: string,
  drawsText: string,
): CaceRandomisationSet {
  const m = pairs.a.length;
  // Events of the sweep: each assignment's set {τ : (A − τB)² ≥ (A0 − τB0)²} as intervals.
  const starts: number[] = [];
  const ends: number[] = [];
  let always = 0; // assignments extreme for every τ (contribute a constant)
  for (let i = 0; i < m; i++) {
    if (Number.isNaN(pairs.a[i]!) || Number.isNaN(pairs.b[i]!)) continue;
    const pieces = extremeSet(pairs.a[i]!, pairs.b[i]!, a0, b0);
    if (pieces === 'all') {
      always++;
      continue;
    }
    for (const [lo, hi] of pieces) {
      starts.push(lo);
      ends.push(hi);
    }
  }
  starts.sort((x, y) => x - y);
  ends.sort((x, y) => x - y);
  // Merge into breakpoints with the count on each open segment.
  const breaksList: number[] = [];
  const counts: number[] = [];
  let count = always;
  let i = 0;
  let j = 0;
  while (i < starts.length && starts[i] === -Infinity) {
    count++;
    i++;
  }
  counts.push(count);
  while (i < starts.length || j < ends.length) {
    const next = Math.min(i < starts.length ? starts[i]! : Infinity, j < ends.length ? ends[j]! : Infinity);
    if (next === Infinity) break;
    while (i < starts.length && starts[i] === next) {
      count++;
      i++;
    }
    while (j < ends.length && ends[j] === next) {
      count--;
      j++;
    }
    breaksList.push(next);
    counts.push(count);
  }
  const pOf = (c: number): number => (exact ? c / m : (1 + c) / (1 + m));
  const breaks = Float64Array.from(breaksList);
  const pValues = Float64Array.from(counts, pOf);
  // The set: segments with p > α (segment boundaries are measure-zero and joined to their neighbours).
  const alpha = 1 - level;
  const intervals: { lower: number; upper: number }[] = [];
  for (let s = 0; s < pValues.length; s++) {
    if (!(pValues[s]! > alpha)) continue;
    const lower = s === 0 ? -Infinity : breaks[s - 1]!;
    const upper = s === breaks.length ? Infinity : breaks[s]!;
    const last = intervals[intervals.length - 1];
    if (last !== undefined && last.upper === lower) last.upper = upper;
    else intervals.push({ lower, upper });
  }
  const shape: CaceRandomisationSet['shape'] =
    intervals.length === 0
      ? 'empty'
      : intervals.length === 1 && intervals[0]!.lower === -Infinity && intervals[0]!.upper === Infinity
        ? 'whole-line'
        : intervals.some((x) => !Number.isFinite(x.lower) || !Number.isFinite(x.upper))
          ? 'unbounded'
          : intervals.length === 1
            ? 'interval'
            : 'union';
  return Object.freeze({
    intervals: Object.freeze(intervals.map((x) => Object.freeze(x))),
    shape,
    level,
    waldRatio: a0 / b0,
    exact,
    riDraws: m,
    nPossibleAssignments: nPossible,
    breaks,
    pValues,
    method: `Randomisation confidence set for the CACE by inverting the randomisation test of "no effect of assignment on Y − τ·D" (${statisticText}) at every τ: ${drawsText}; τ is in the ${Math.round(level * 1000) / 10}% set when p(τ) > ${Math.round(alpha * 1000) / 1000}.`,
  });
}

/** {τ : (a − τb)² ≥ (a0 − τb0)²} = {τ : L1(τ)·L2(τ) ≥ 0}, L1 = (a − a0) − τ(b − b0), L2 = (a + a0) − τ(b + b0). */
export function extremeSet(a: number, b: number, a0: number, b0: number): 'all' | [number, number][] {
  // Differences within 1e-12 relative are ties (the same or the mirror assignment, summed in another order) and
  // count as 0, so such an assignment is extreme for every τ — as the ITT test's tie rule counts it.
  const tolA = RI_TIE_TOLERANCE * Math.max(Math.abs(a), Math.abs(a0));
  const tolB = RI_TIE_TOLERANCE * Math.max(Math.abs(b), Math.abs(b0));
  const snap = (x: number, tol: number): number => (Math.abs(x) <= tol ? 0 : x);
  const d1 = snap(a - a0, tolA);
  const e1 = snap(b - b0, tolB);
  const d2 = snap(a + a0, tolA);
  const e2 = snap(b + b0, tolB);
  const f = (t: number): number => (d1 - t * e1) * (d2 - t * e2);
  const roots: number[] = [];
  if (e1 !== 0) roots.push(d1 / e1);
  if (e2 !== 0) roots.push(d2 / e2);
  if (roots.length === 0) return f(0) >= 0 ? 'all' : [];
  roots.sort((x, y) => x - y);
  if (roots.length === 2 && roots[0] === roots[1]) roots.pop();
  // Segments between the roots; f has one sign on each (test a point inside), and f = 0 at the roots.
  const edges = [-Infinity, ...roots, Infinity];
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const lo = edges[k]!;
    const hi = edges[k + 1]!;
    const probe = lo === -Infinity ? hi - 1 - Math.abs(hi) : hi === Infinity ? lo + 1 + Math.abs(lo) : (lo + hi) / 2;
    if (f(probe) < 0) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === lo) last[1] = hi;
    else out.push([lo, hi]);
  }
  if (out.length === 1 && out[0]![0] === -Infinity && out[0]![1] === Infinity) return 'all';
  return out;
}

function statisticOf(design: RiDesign, unitTreated: Uint8Array): number {
  let t = 0;
  for (let b = 0; b < design.nBlocks; b++) {
    let s1 = 0;
    let n1 = 0;
    for (let u = design.unitStart[b]!; u < design.unitStart[b + 1]!; u++) {
      if (unitTreated[u] === 1) {
        s1 += design.unitSum[u]!;
        n1 += design.unitCount[u]!;
      }
    }
    const sb = design.blockSum[b]!;
    const nb = design.blockCount[b]!;
    t += design.blockWeight[b]! * (s1 / n1 - (sb - s1) / (nb - n1));
  }
  return t;
}

function enumeratePairs(designY: RiDesign, designD: RiDesign, total: number): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(total);
  const b = new Float64Array(total);
  const combos: Int32Array[] = [];
  const treated = new Uint8Array(designY.unitSum.length);
  const mark = (k: number): void => {
    const start = designY.unitStart[k]!;
    treated.fill(0, start, designY.unitStart[k + 1]!);
    for (const c of combos[k]!) treated[start + c] = 1;
  };
  for (let k = 0; k < designY.nBlocks; k++) {
    combos.push(Int32Array.from({ length: designY.treatedPerBlock[k]! }, (_, i) => i));
    mark(k);
  }
  let done = 0;
  for (;;) {
    a[done] = statisticOf(designY, treated);
    b[done] = statisticOf(designD, treated);
    done++;
    let k = designY.nBlocks - 1;
    for (; k >= 0; k--) {
      const advanced = nextCombination(combos[k]!, designY.unitStart[k + 1]! - designY.unitStart[k]!);
      mark(k);
      if (advanced) break;
    }
    if (k < 0) break;
  }
  return { a, b };
}

/** The same redraws as randomisation-inference.ts (SubsetSampler with the same seed gives the same assignments). */
function samplePairs(designY: RiDesign, designD: RiDesign, rng: Rng, draws: number): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(draws);
  const b = new Float64Array(draws);
  const sampler = new SubsetSampler(designY.unitStart, designY.treatedPerBlock, rng);
  const words = sampler.words;
  const wordStart = sampler.wordStart;
  for (let d = 0; d < draws; d++) {
    sampler.draw();
    let ta = 0;
    let tb = 0;
    for (let k = 0; k < designY.nBlocks; k++) {
      let sy = 0;
      let sd = 0;
      let n1 = 0;
      let base = designY.unitStart[k]!;
      const last = wordStart[k + 1]!;
      for (let w = wordStart[k]!; w < last; w++, base += 32) {
        let x = words[w]! | 0;
        while (x !== 0) {
          const low = x & -x;
          const u = base + 31 - Math.clz32(low);
          sy += designY.unitSum[u]!;
          sd += designD.unitSum[u]!;
          n1 += designY.unitCount[u]!;
          x ^= low;
        }
      }
      const nb = designY.blockCount[k]!;
      const w = designY.blockWeight[k]!;
      ta += w * (sy / n1 - (designY.blockSum[k]! - sy) / (nb - n1));
      tb += w * (sd / n1 - (designD.blockSum[k]! - sd) / (nb - n1));
    }
    a[d] = ta;
    b[d] = tb;
  }
  return { a, b };
}
