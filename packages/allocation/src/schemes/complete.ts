/**
 * Complete (and stratified complete) randomisation with exact totals — scheme version `complete@1`.
 *
 *   rng = deriveRng(seed, "complete@1")
 *   counts[s][a] = controlledRounding(stratum sizes, ratios, rng)     (see controlled-rounding.ts)
 *   for each stratum in order of first appearance: a vector holding counts[s][a] copies of arm a (declared arm
 *   order) is shuffled by Fisher–Yates with rng, and the stratum's participants, in input order, take it in turn.
 *
 * Each stratum's arm totals are ⌊N_s r_a/R⌋ or ⌈N_s r_a/R⌉, the overall totals ⌊N r_a/R⌋ or ⌈N r_a/R⌉, and every
 * participant's probability of arm a is exactly E[count]/N_s = r_a/R (Rosenberger & Lachin 2016, §3.3 for the
 * random allocation rule; the remainder is placed at random by the dependent rounding, never by a fixed rule).
 * Without strata this is complete randomisation of the whole list ('complete'); with strata it is stratified
 * randomisation with no drift in the overall totals ('stratified'). Cluster randomisation applies the same
 * algorithm to clusters (cluster.ts).
 */
import type { Rng, Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { deriveRng } from '../derive.js';
import { controlledRounding } from './controlled-rounding.js';

export const COMPLETE_VERSION = 'complete@1';

/** Arm index per unit; units grouped by `stratumIndex` (0..nStrata−1, order of first appearance). */
export function completeAllocation(
  stratumIndex: Int32Array,
  nStrata: number,
  arms: readonly ArmRatio[],
  rngOrSeed: Rng | Seed,
  label = COMPLETE_VERSION,
): Uint8Array {
  const rng = typeof rngOrSeed === 'object' ? rngOrSeed : deriveRng(rngOrSeed, label);
  const n = stratumIndex.length;
  const sizes = new Array<number>(nStrata).fill(0);
  for (let i = 0; i < n; i++) {
    const s = stratumIndex[i] as number;
    sizes[s] = (sizes[s] as number) + 1;
  }
  const A = arms.length;
  const counts = controlledRounding(sizes, arms, rng);
  // Members of each stratum in input order.
  const members: number[][] = sizes.map(() => []);
  for (let i = 0; i < n; i++) (members[stratumIndex[i] as number] as number[]).push(i);
  const out = new Uint8Array(n);
  for (let s = 0; s < nStrata; s++) {
    const labels = new Uint8Array(sizes[s] as number);
    let k = 0;
    for (let a = 0; a < A; a++) {
      const c = counts[s * A + a] as number;
      for (let j = 0; j < c; j++) labels[k++] = a;
    }
    rng.shuffle(labels);
    const list = members[s] as number[];
    for (let j = 0; j < list.length; j++) out[list[j] as number] = labels[j] as number;
  }
  return out;
}
