import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng, TrialkitError, seedToBigInt, splitMix64 } from '../src/index.js';

// Golden vectors written by fixtures/reference.c: the xoshiro256** and splitmix64 reference C code of Blackman &
// Vigna, with Lemire's bounded draw and Fisher–Yates as specified in src/prng.ts.
interface GoldenSeed {
  seed: string;
  state: string;
  u64: string[];
  doubles: number[];
  bounded: Record<string, number[]>;
  shuffle20: number[];
  afterJump: string[];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/golden.json', import.meta.url), 'utf8')) as {
  splitmix64_1234567: string[];
  xoshiro_state_1234: string[];
  seeds: GoldenSeed[];
};

describe('published vectors', () => {
  it('splitmix64 from seed 1234567 matches the reference output', () => {
    let state = 1234567n;
    const out: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [next, value] = splitMix64(state);
      state = next;
      out.push(value.toString());
    }
    expect(out).toEqual(golden.splitmix64_1234567);
    // Also the widely published first value (e.g. rand_xoshiro's SplitMix64 test).
    expect(out[0]).toBe('6457827717110365317');
  });

  it('xoshiro256** from state {1,2,3,4} gives the published sequence', () => {
    const state = [1n, 2n, 3n, 4n].map((w) => w.toString(16).padStart(16, '0')).join('');
    const rng = Rng.fromState(state);
    const out = golden.xoshiro_state_1234.map(() => rng.nextBigUint64().toString());
    expect(out).toEqual(golden.xoshiro_state_1234);
    expect(out.slice(0, 4)).toEqual(['11520', '0', '1509978240', '1215971899390074240']);
  });
});

describe.each(golden.seeds)('seed $seed', (g) => {
  const seed = BigInt(g.seed);
  it('expands the seed through splitmix64 into the reference state', () => {
    expect(Rng.fromSeed(seed).state()).toBe(g.state);
  });
  it('draws the reference 64-bit outputs', () => {
    const rng = Rng.fromSeed(seed);
    expect(g.u64.map(() => rng.nextBigUint64().toString())).toEqual(g.u64);
  });
  it('fillUint32 gives the top 32 bits of the reference outputs and leaves the stream where they end', () => {
    const rng = Rng.fromSeed(seed);
    const out = rng.fillUint32(new Uint32Array(g.u64.length));
    expect([...out]).toEqual(g.u64.map((o) => Number(BigInt(o) >> 32n)));
    const stepped = Rng.fromSeed(seed);
    for (let i = 0; i < g.u64.length; i++) stepped.nextBigUint64();
    expect(rng.state()).toBe(stepped.state());
  });

  it('draws the reference doubles bit for bit', () => {
    const rng = Rng.fromSeed(seed);
    expect(g.doubles.map(() => rng.nextDouble())).toEqual(g.doubles);
  });
  it.each(Object.entries(g.bounded))('draws the reference integers below %s (Lemire)', (range, expected) => {
    const rng = Rng.fromSeed(seed);
    expect(expected.map(() => rng.nextInt(Number(range)))).toEqual(expected);
  });
  it('shuffles 0..19 as the reference Fisher–Yates does', () => {
    expect(Array.from(Rng.fromSeed(seed).permutation(20))).toEqual(g.shuffle20);
    const items = Array.from({ length: 20 }, (_, i) => `p${i}`);
    expect(Rng.fromSeed(seed).shuffle(items)).toEqual(g.shuffle20.map((i) => `p${i}`));
  });
  it('jumps 2^128 draws ahead as the reference jump() does', () => {
    const rng = Rng.fromSeed(seed).jump();
    expect(g.afterJump.map(() => rng.nextBigUint64().toString())).toEqual(g.afterJump);
  });
});

describe('seeds', () => {
  it('hashes a text seed to the first 8 bytes of its SHA-256 (FIPS 180-2 "abc" vector)', () => {
    expect(seedToBigInt('abc')).toBe(0xba7816bf8f01cfean);
    const abc = golden.seeds.find((s) => s.seed === BigInt('0xba7816bf8f01cfea').toString());
    expect(abc).toBeDefined();
    expect(Rng.fromSeed('abc').state()).toBe(abc?.state);
  });
  it('reads a string of digits, a number and a bigint as the same integer seed', () => {
    const a = Rng.fromSeed('20261124').state();
    expect(Rng.fromSeed(20261124).state()).toBe(a);
    expect(Rng.fromSeed(20261124n).state()).toBe(a);
  });
  it.each([[-1], [1.5], [''], [2n ** 64n], ['18446744073709551616'], [Number.NaN]])(
    'refuses the seed %s with CORE_BAD_SEED',
    (bad) => {
      expect(() => Rng.fromSeed(bad as never)).toThrow(TrialkitError);
      try {
        Rng.fromSeed(bad as never);
      } catch (error) {
        expect((error as TrialkitError).code).toBe('CORE_BAD_SEED');
        expect((error as TrialkitError).argument).toBe('--seed');
      }
    },
  );
});

describe('fillUint32', () => {
  it('equals nextUint32 call for call over 100,003 draws in uneven batches, for text and integer seeds', () => {
    for (const seed of ['fill-a', 7, 'another seed']) {
      const bulk = Rng.fromSeed(seed);
      const single = Rng.fromSeed(seed);
      for (const size of [1, 4096, 95_903, 3]) {
        const out = bulk.fillUint32(new Uint32Array(size));
        for (let i = 0; i < size; i++) expect(out[i]).toBe(single.nextUint32());
      }
      expect(bulk.state()).toBe(single.state());
      expect(bulk.nextDouble()).toBe(single.nextDouble());
    }
  });
});

describe('state, clone and ranges', () => {
  it('restores a saved state and continues the stream exactly', () => {
    const rng = Rng.fromSeed('whp-trial');
    for (let i = 0; i < 37; i++) rng.nextDouble();
    const saved = rng.state();
    const copy = rng.clone();
    const expected = [rng.nextInt(6), rng.nextDouble(), rng.nextInt(1000)];
    expect([copy.nextInt(6), copy.nextDouble(), copy.nextInt(1000)]).toEqual(expected);
    const restored = Rng.fromState(saved);
    expect([restored.nextInt(6), restored.nextDouble(), restored.nextInt(1000)]).toEqual(expected);
  });
  it('refuses an all-zero or malformed state', () => {
    expect(() => Rng.fromState('0'.repeat(64))).toThrow(/all zero/);
    expect(() => Rng.fromState('xyz')).toThrow(TrialkitError);
  });
  it('refuses ranges outside 1..2^32', () => {
    const rng = Rng.fromSeed(1);
    for (const n of [0, -3, 2.5, 2 ** 32 + 1]) expect(() => rng.nextInt(n)).toThrow(/Cannot draw an integer/);
    expect(rng.nextInt(1)).toBe(0);
    expect(rng.nextInt(2 ** 32)).toBeLessThan(2 ** 32);
  });
  it('gives each face of a die with probability 1/6 (chi-square, 60,000 draws, seeded)', () => {
    const rng = Rng.fromSeed(7);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.nextInt(6)]! += 1;
    const chiSquare = counts.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    // 99.9th percentile of chi-square with 5 df is 20.515 (R: qchisq(0.999, 5)).
    expect(chiSquare).toBeLessThan(20.515);
  });
});
