/**
 * Exact per-stratum totals that add up to exact overall totals, with every cell unbiased.
 *
 * The target count of arm a in stratum s is N_s·r_a/R. Each cell gets its floor; the fractional parts
 * f_sa = (N_s·r_a mod R)/R must then be rounded to 0 or 1 so that
 *   (1) E[rounded f_sa] = f_sa            — every participant's probability of arm a is exactly r_a/R,
 *   (2) each stratum's row sums to N_s     — exact stratum sizes,
 *   (3) each arm's column sums to ⌊F_a⌋ or ⌈F_a⌉ — overall totals never drift, however many strata.
 * Independent rounding per stratum breaks (3) (with many odd strata under 1:1 the totals drift by √S);
 * this is the dependent rounding of Gandhi, Khuller, Parthasarathy & Srinivasan (2006), "Dependent rounding and
 * its applications to approximation algorithms", JACM 53(3):324–360, §2, on the bipartite graph strata × arms:
 * repeatedly find a cycle or a maximal path of fractional edges, split it into alternate edge sets M1, M2,
 *   α = min(min_{M1}(1−x), min_{M2} x),  β = min(min_{M1} x, min_{M2}(1−x)),
 * and with probability β/(α+β) add α to M1 and take it from M2, else take β from M1 and add it to M2.
 * Values are kept as integers in units of 1/R, so every probability is an exact ratio of integers
 * (drawn with rng.nextInt). Cox (1987, JASA 82:520–524) gives the same guarantees by a different construction.
 */
import type { Rng } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { ratioSum } from '../arms.js';

/** counts[s * A + a]: number of participants of stratum s given arm a. */
export function controlledRounding(stratumSizes: readonly number[], arms: readonly ArmRatio[], rng: Rng): Int32Array {
  const S = stratumSizes.length;
  const A = arms.length;
  const R = ratioSum(arms);
  const counts = new Int32Array(S * A);
  // x[e] for edge e = s*A + a, in units of 1/R; fractional when 0 < x < R.
  const x = new Int32Array(S * A);
  for (let s = 0; s < S; s++) {
    const size = stratumSizes[s] as number;
    for (let a = 0; a < A; a++) {
      const scaled = size * (arms[a] as ArmRatio).ratio;
      counts[s * A + a] = Math.floor(scaled / R);
      x[s * A + a] = scaled % R;
    }
  }
  // Vertices: rows 0..S-1, columns S..S+A-1. Per-vertex lists of possibly fractional edges (compacted lazily).
  const lists: number[][] = [];
  for (let v = 0; v < S + A; v++) lists.push([]);
  const fractionalDegree = new Int32Array(S + A);
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const e = s * A + a;
      if ((x[e] as number) > 0) {
        (lists[s] as number[]).push(e);
        (lists[S + a] as number[]).push(e);
        fractionalDegree[s] = (fractionalDegree[s] as number) + 1;
        fractionalDegree[S + a] = (fractionalDegree[S + a] as number) + 1;
      }
    }
  }
  const isFractional = (e: number): boolean => (x[e] as number) > 0 && (x[e] as number) < R;
  /** A fractional edge at v other than `except`, or −1 (drops integral edges from v's list as it goes). */
  const pickEdge = (v: number, except: number): number => {
    const list = lists[v] as number[];
    let i = 0;
    while (i < list.length) {
      const e = list[i] as number;
      if (!isFractional(e)) {
        list[i] = list[list.length - 1] as number;
        list.pop();
        continue;
      }
      if (e !== except) return e;
      i++;
    }
    return -1;
  };
  const otherEnd = (e: number, v: number): number => {
    const s = Math.floor(e / A);
    return v === s ? S + (e - s * A) : s;
  };
  let scan = 0; // vertices before `scan` have no fractional edges left
  const position = new Map<number, number>();
  for (;;) {
    // Start at a column with a single fractional edge (a path end) if there is one, else anywhere.
    let start = -1;
    for (let a = 0; a < A; a++) {
      if (fractionalDegree[S + a] === 1) {
        start = S + a;
        break;
      }
    }
    if (start < 0) {
      while (scan < S + A && pickEdge(scan, -1) < 0) scan++;
      if (scan >= S + A) break;
      start = scan;
    }
    const path: number[] = [start];
    const edges: number[] = [];
    position.clear();
    position.set(start, 0);
    let current = start;
    let came = -1;
    let cycleFrom = -1;
    for (;;) {
      const e = pickEdge(current, came);
      if (e < 0) break;
      const next = otherEnd(e, current);
      edges.push(e);
      const seen = position.get(next);
      if (seen !== undefined) {
        cycleFrom = seen;
        break;
      }
      position.set(next, path.length);
      path.push(next);
      current = next;
      came = e;
    }
    const chosen = cycleFrom >= 0 ? edges.slice(cycleFrom) : edges;
    if (chosen.length === 0) break; // cannot happen: start has a fractional edge
    let alpha = Infinity;
    let beta = Infinity;
    for (let k = 0; k < chosen.length; k++) {
      const value = x[chosen[k] as number] as number;
      if (k % 2 === 0) {
        alpha = Math.min(alpha, R - value);
        beta = Math.min(beta, value);
      } else {
        alpha = Math.min(alpha, value);
        beta = Math.min(beta, R - value);
      }
    }
    const up = rng.nextInt(alpha + beta) < beta; // probability β/(α+β)
    for (let k = 0; k < chosen.length; k++) {
      const e = chosen[k] as number;
      const before = isFractional(e);
      // M1 (even positions) moves by +α or −β; M2 (odd positions) by −α or +β.
      x[e] = (x[e] as number) + (k % 2 === 0 ? (up ? alpha : -beta) : up ? -alpha : beta);
      if (before && !isFractional(e)) {
        const s = Math.floor(e / A);
        fractionalDegree[s] = (fractionalDegree[s] as number) - 1;
        fractionalDegree[S + (e - s * A)] = (fractionalDegree[S + (e - s * A)] as number) - 1;
      }
    }
  }
  for (let e = 0; e < S * A; e++) {
    if ((x[e] as number) === R) counts[e] = (counts[e] as number) + 1;
  }
  return counts;
}
