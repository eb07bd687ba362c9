/**
 * Permuted blocks with random block sizes, within each stratum — scheme version `block@1`.
 *
 * Algorithm (Matts & Lachin 1988, "Properties of permuted-block randomization in clinical trials", Controlled
 * Clinical Trials 9:327–344; random block sizes as in Rosenberger & Lachin, "Randomization in Clinical Trials",
 * 2nd ed., 2016, §3.5):
 *   for each stratum s, a stream rng_s = deriveRng(seed, "block@1:" + s) (see derive.ts), then repeatedly
 *     size  = blockSizes[rng_s.nextInt(blockSizes.length)]          (each declared size equally likely)
 *     block = size/R copies of arm a for each arm with ratio r_a … in declared order, R = Σ r_a
 *     Fisher–Yates shuffle of block with rng_s (core's Rng.shuffle)
 *   and the stratum's participants, in input order, take the stream's arms in turn (the last block may be cut short).
 * Every position of a block is each arm with probability r_a/R exactly, so a truncated last block keeps every
 * participant's probability on target. Because each stratum has its own stream, the n-th participant of a stratum
 * gets the same arm whether allocated from a list, a per-stratum sequence table, or live one at a time.
 */
import type { Rng, Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { ratioSum } from '../arms.js';
import { deriveRng } from '../derive.js';
import { allocationErrors } from '../errors.js';

export const BLOCK_VERSION = 'block@1';

/** Default sizes: 2R, 3R and 4R (4, 6, 8 for 1:1). */
export function defaultBlockSizes(arms: readonly ArmRatio[]): number[] {
  const sum = ratioSum(arms);
  return [2 * sum, 3 * sum, 4 * sum];
}

export function checkBlockSizes(arms: readonly ArmRatio[], sizes: readonly number[] | undefined): number[] {
  const sum = ratioSum(arms);
  if (sizes === undefined) return defaultBlockSizes(arms);
  if (!Array.isArray(sizes) || sizes.length === 0) throw allocationErrors.badBlockSize(sizes, sum);
  const out: number[] = [];
  for (const size of sizes) {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < sum || size % sum !== 0 || size > 1_000_000) {
      throw allocationErrors.badBlockSize(size, sum);
    }
    out.push(size);
  }
  return out;
}

/** A lazily extended stream of permuted blocks (arm indices). */
export class BlockStream {
  private readonly templates: Map<number, Uint8Array> = new Map();
  private buffer: Uint8Array = new Uint8Array(0);
  private position = 0;
  /** Block sizes drawn so far, in order. */
  readonly sizesUsed: number[] = [];

  constructor(
    private readonly arms: readonly ArmRatio[],
    private readonly blockSizes: readonly number[],
    private readonly rng: Rng,
  ) {}

  static forStratum(seed: Seed, stratum: string, arms: readonly ArmRatio[], blockSizes: readonly number[]): BlockStream {
    return new BlockStream(arms, blockSizes, deriveRng(seed, `${BLOCK_VERSION}:${stratum}`));
  }

  /** The next arm index. */
  next(): number {
    if (this.position >= this.buffer.length) this.nextBlock();
    return this.buffer[this.position++] as number;
  }

  /** Fill `out[start..start+count)` with the next `count` arm indices. */
  fill(out: Uint8Array, start: number, count: number): void {
    let written = 0;
    while (written < count) {
      if (this.position >= this.buffer.length) this.nextBlock();
      const take = Math.min(count - written, this.buffer.length - this.position);
      out.set(this.buffer.subarray(this.position, this.position + take), start + written);
      this.position += take;
      written += take;
    }
  }

  private nextBlock(): void {
    const size = this.blockSizes[this.rng.nextInt(this.blockSizes.length)] as number;
    let template = this.templates.get(size);
    if (template === undefined) {
      template = new Uint8Array(size);
      const multiple = size / ratioSum(this.arms);
      let k = 0;
      for (let a = 0; a < this.arms.length; a++) {
        const copies = multiple * (this.arms[a] as ArmRatio).ratio;
        for (let c = 0; c < copies; c++) template[k++] = a;
      }
      this.templates.set(size, template);
    }
    this.buffer = this.rng.shuffle(template.slice());
    this.position = 0;
    this.sizesUsed.push(size);
  }
}
