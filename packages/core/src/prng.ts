/**
 * The seeded pseudo-random number generator every part of trialkit draws from.
 *
 * Algorithm (fixed forever, so lists reproduce on every platform and in every future version):
 * - Generator: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 *   ACM TOMS 47(4), 2021; reference C at https://prng.di.unimi.it/xoshiro256starstar.c).
 * - Seeding: the 64-bit seed is expanded into the 256-bit state by four outputs of SplitMix64
 *   (https://prng.di.unimi.it/splitmix64.c), as the xoshiro authors recommend.
 * - Seeds: an integer 0 ≤ s < 2^64 (number, bigint or a string of decimal digits) is used as is; any other text is
 *   hashed: the first 8 bytes of SHA-256(UTF-8 text), read big-endian, are the 64-bit seed.
 * - Doubles: the top 53 bits of one output times 2^-53, uniform on [0, 1).
 * - Integers in [0, n), n ≤ 2^32: Lemire's nearly-divisionless method ("Fast random integer generation in an
 *   interval", ACM TOMS 29(1), 2019) on the top 32 bits of one output — unbiased.
 * - Shuffle: Fisher–Yates (Durstenfeld), i = n−1 down to 1, j = int(i + 1), swap a[i] and a[j].
 * `packages/core/fixtures/reference.c` implements exactly this in C; its output is the golden file the tests read.
 *
 * The 64-bit words are kept as pairs of unsigned 32-bit halves so that drawing needs no BigInt.
 */
import { createHash } from 'node:crypto';
import { coreErrors } from './errors.js';

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

export type Seed = number | bigint | string;

/** The 64-bit seed a user's seed stands for (see the header for the rule). */
export function seedToBigInt(seed: Seed): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > MASK64) throw coreErrors.badSeed(seed);
    return seed;
  }
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw coreErrors.badSeed(seed);
    return BigInt(seed);
  }
  if (typeof seed !== 'string' || seed.length === 0) throw coreErrors.badSeed(seed);
  if (/^[0-9]+$/.test(seed)) {
    const value = BigInt(seed);
    if (value > MASK64) throw coreErrors.badSeed(seed);
    return value;
  }
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  return digest.readBigUInt64BE(0);
}

/** SplitMix64 (Steele, Lea & Flood 2014), used only to seed xoshiro256**. Returns [next state, output]. */
export function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

// xoshiro256** jump polynomial: 2^128 calls to next(); gives non-overlapping substreams.
const JUMP = [0x180ec6d33cfd0aban, 0xd5a61266f0c9392cn, 0xa9582618e03fc9aan, 0x39abdc4529b1661cn];

export class Rng {
  // state words s0..s3 as (hi, lo) unsigned 32-bit halves
  private h0 = 0; private l0 = 0;
  private h1 = 0; private l1 = 0;
  private h2 = 0; private l2 = 0;
  private h3 = 0; private l3 = 0;
  // last output, set by step()
  private outHi = 0;
  private outLo = 0;

  private constructor(words: readonly bigint[]) {
    this.setWords(words);
  }

  /** A generator seeded from an integer or text seed. */
  static fromSeed(seed: Seed): Rng {
    let state = seedToBigInt(seed);
    const words: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitMix64(state);
      state = next;
      words.push(out);
    }
    return new Rng(words);
  }

  /** Restore a generator from `state()` (64 hex digits: s0‖s1‖s2‖s3). */
  static fromState(hex: string): Rng {
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/i.test(hex) || /^0+$/.test(hex)) throw coreErrors.badRngState(hex);
    const words = [0, 1, 2, 3].map((i) => BigInt(`0x${hex.slice(16 * i, 16 * i + 16)}`));
    return new Rng(words);
  }

  /** The full generator state as 64 hex digits; `Rng.fromState` continues the stream exactly. */
  state(): string {
    return this.words().map((w) => w.toString(16).padStart(16, '0')).join('');
  }

  /** An independent copy of this generator at its current position. */
  clone(): Rng {
    return new Rng(this.words());
  }

  /** Advance the stream by 2^128 draws (the reference `jump()`): for non-overlapping parallel substreams. */
  jump(): this {
    const acc = [0n, 0n, 0n, 0n];
    for (const j of JUMP) {
      for (let b = 0n; b < 64n; b++) {
        if ((j >> b) & 1n) {
          const w = this.words();
          for (let i = 0; i < 4; i++) acc[i] = (acc[i] as bigint) ^ (w[i] as bigint);
        }
        this.step();
      }
    }
    this.setWords(acc);
    return this;
  }

  /** The next raw 64-bit output. */
  nextBigUint64(): bigint {
    this.step();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** The top 32 bits of the next output, as an unsigned integer. */
  nextUint32(): number {
    this.step();
    return this.outHi;
  }

  /** A uniform double on [0, 1) with 53 random bits. */
  nextDouble(): number {
    this.step();
    return (this.outHi * 2097152 + (this.outLo >>> 11)) * TWO_POW_MINUS_53;
  }

  /** An unbiased integer on [0, n), 1 ≤ n ≤ 2^32 (Lemire 2019). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw coreErrors.badRange(n);
    if (n === TWO_POW_32) return this.nextUint32();
    let x = this.nextUint32();
    let low = Math.imul(x, n) >>> 0;
    if (low < n) {
      const threshold = (TWO_POW_32 - n) % n;
      while (low < threshold) {
        x = this.nextUint32();
        low = Math.imul(x, n) >>> 0;
      }
    }
    return mulHigh32(x, n);
  }

  /** Shuffle `items` in place by Fisher–Yates and return it. */
  shuffle<T>(items: T[]): T[];
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A;
  shuffle(items: { length: number; [i: number]: unknown }): unknown {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly random permutation of 0..n−1 (the shuffle of the identity). */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  private words(): bigint[] {
    const w = (h: number, l: number): bigint => (BigInt(h) << 32n) | BigInt(l);
    return [w(this.h0, this.l0), w(this.h1, this.l1), w(this.h2, this.l2), w(this.h3, this.l3)];
  }

  private setWords(words: readonly bigint[]): void {
    const hi = (i: number): number => Number(((words[i] as bigint) >> 32n) & 0xffffffffn);
    const lo = (i: number): number => Number((words[i] as bigint) & 0xffffffffn);
    this.h0 = hi(0); this.l0 = lo(0);
    this.h1 = hi(1); this.l1 = lo(1);
    this.h2 = hi(2); this.l2 = lo(2);
    this.h3 = hi(3); this.l3 = lo(3);
    if ((this.h0 | this.l0 | this.h1 | this.l1 | this.h2 | this.l2 | this.h3 | this.l3) === 0) {
      throw coreErrors.badRngState('0'.repeat(64));
    }
  }

  /**
   * Fill `out` with the top 32 bits of the next out.length outputs — exactly what as many `nextUint32()` calls
   * would return, leaving the generator where they would — but with the state in local variables, about 4× faster
   * per draw (for bulk use: resampling, randomisation inference).
   */
  fillUint32(out: Uint32Array): Uint32Array {
    let h0 = this.h0 | 0, l0 = this.l0 | 0, h1 = this.h1 | 0, l1 = this.l1 | 0;
    let h2 = this.h2 | 0, l2 = this.l2 | 0, h3 = this.h3 | 0, l3 = this.l3 | 0;
    for (let k = 0; k < out.length; k++) {
      // output = rotl(s1 · 5, 7) · 9, with the carries of the 64-bit additions done by unsigned comparison
      const a4l = l1 << 2;
      const al = (a4l + l1) | 0;
      const ah = (((h1 << 2) | (l1 >>> 30)) + h1 + ((al >>> 0) < (a4l >>> 0) ? 1 : 0)) | 0;
      const rh = (ah << 7) | (al >>> 25);
      const rl = (al << 7) | (ah >>> 25);
      const r8l = rl << 3;
      const ol = (r8l + rl) | 0;
      out[k] = (((rh << 3) | (rl >>> 29)) + rh + ((ol >>> 0) < (r8l >>> 0) ? 1 : 0)) >>> 0;
      // t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
      const th = (h1 << 17) | (l1 >>> 15);
      const tl = l1 << 17;
      h2 ^= h0; l2 ^= l0;
      h3 ^= h1; l3 ^= l1;
      h1 ^= h2; l1 ^= l2;
      h0 ^= h3; l0 ^= l3;
      h2 ^= th; l2 ^= tl;
      const sh = l3;
      const sl = h3;
      h3 = (sh << 13) | (sl >>> 19);
      l3 = (sl << 13) | (sh >>> 19);
    }
    this.h0 = h0 >>> 0; this.l0 = l0 >>> 0; this.h1 = h1 >>> 0; this.l1 = l1 >>> 0;
    this.h2 = h2 >>> 0; this.l2 = l2 >>> 0; this.h3 = h3 >>> 0; this.l3 = l3 >>> 0;
    return out;
  }

  /** One xoshiro256** step: output = rotl(s1·5, 7)·9, then the linear state update. */
  private step(): void {
    const h1 = this.h1;
    const l1 = this.l1;
    // a = s1 * 5 = (s1 << 2) + s1
    let al = ((l1 << 2) >>> 0) + l1;
    let ah = (((h1 << 2) | (l1 >>> 30)) >>> 0) + h1 + (al > 0xffffffff ? 1 : 0);
    al >>>= 0;
    ah >>>= 0;
    // r = rotl(a, 7)
    const rh = ((ah << 7) | (al >>> 25)) >>> 0;
    const rl = ((al << 7) | (ah >>> 25)) >>> 0;
    // out = r * 9 = (r << 3) + r
    let ol = ((rl << 3) >>> 0) + rl;
    const oh = ((((rh << 3) | (rl >>> 29)) >>> 0) + rh + (ol > 0xffffffff ? 1 : 0)) >>> 0;
    ol >>>= 0;
    this.outHi = oh;
    this.outLo = ol;

    // t = s1 << 17
    const th = ((h1 << 17) | (l1 >>> 15)) >>> 0;
    const tl = (l1 << 17) >>> 0;
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    this.h2 = (this.h2 ^ this.h0) >>> 0; this.l2 = (this.l2 ^ this.l0) >>> 0;
    this.h3 = (this.h3 ^ h1) >>> 0; this.l3 = (this.l3 ^ l1) >>> 0;
    this.h1 = (h1 ^ this.h2) >>> 0; this.l1 = (l1 ^ this.l2) >>> 0;
    this.h0 = (this.h0 ^ this.h3) >>> 0; this.l0 = (this.l0 ^ this.l3) >>> 0;
    this.h2 = (this.h2 ^ th) >>> 0; this.l2 = (this.l2 ^ tl) >>> 0;
    // rotl by 45 = swap halves, then rotl by 13
    const sh = this.l3;
    const sl = this.h3;
    this.h3 = ((sh << 13) | (sl >>> 19)) >>> 0;
    this.l3 = ((sl << 13) | (sh >>> 19)) >>> 0;
  }
}

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers, exactly. */
function mulHigh32(x: number, n: number): number {
  const nHigh = n >>> 16;
  const nLow = n & 0xffff;
  const a = x * nLow; // < 2^48, exact
  const b = x * nHigh; // < 2^48, exact
  const bHigh = Math.floor(b / 65536);
  const bLow = b - bHigh * 65536;
  return bHigh + Math.floor((bLow * 65536 + a) / TWO_POW_32);
}

/** Convenience: a generator from a seed. */
export function createRng(seed: Seed): Rng {
  return Rng.fromSeed(seed);
}
