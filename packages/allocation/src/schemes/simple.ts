/**
 * Simple randomisation — scheme version `simple@1`: independent draws, participant i (input order) gets
 * armOfDraw(rng.nextInt(R)) from one stream rng = deriveRng(seed, "simple@1"), so arm a has probability r_a/R
 * exactly (Lemire's unbiased integer draw; Rosenberger & Lachin 2016, §3.2). Totals are not controlled.
 */
import type { Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { armOfDraw, ratioSum } from '../arms.js';
import { deriveRng } from '../derive.js';

export const SIMPLE_VERSION = 'simple@1';

export function simpleAllocation(n: number, arms: readonly ArmRatio[], seed: Seed): Uint8Array {
  const rng = deriveRng(seed, SIMPLE_VERSION);
  const sum = ratioSum(arms);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = armOfDraw(arms, rng.nextInt(sum));
  return out;
}
