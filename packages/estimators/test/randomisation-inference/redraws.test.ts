import { describe, expect, it } from 'vitest';
import { createRng, isTrialkitError, type Rng } from '@trialkit/core';
import {
  caceRandomisationSetFromRedraws,
  randomisationInferenceFromRedraws,
  RandomisationInferenceErrorCode,
} from '../../src/randomisation-inference/index.js';
import { makeTrial, readRiFixture, trialOfCase } from './helpers.js';

// Randomisation inference with a caller's redraw of the assignment (the trial's own allocation scheme in the CLI's
// --allocation-dir): checked against R's exact enumeration when the redraw is the design's own, and the CACE set
// against the ITT test of Y − τD on the same redraws.

/** A redraw of "k of the rows of each block treated", seeded per draw r so that a redraw is a function of r. */
function blockPermutations(block: readonly (string | number)[] | null, z: ArrayLike<number>, seed: string): (r: number, out: Uint8Array) => void {
  const labels = block ?? Array.from({ length: z.length }, () => 'all');
  const groups = new Map<string, number[]>();
  labels.forEach((b, i) => groups.set(String(b), [...(groups.get(String(b)) ?? []), i]));
  return (r, out) => {
    const rng = createRng(`${seed}:${r}`);
    for (const rows of groups.values()) {
      const k = rows.filter((i) => z[i] === 1).length;
      const perm = rng.permutation(rows.length);
      rows.forEach((row, j) => (out[row] = perm[j]! < k ? 1 : 0));
    }
  };
}

function normal(rng: Rng): number {
  const u = 1 - rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
}

describe('randomisation inference from the trial\'s own redraws', () => {
  it('agrees with the exact p-value (R enumeration) within Monte Carlo error when the redraw is the design', () => {
    const fixture = readRiFixture();
    for (const name of ['binary-12-6', 'blocked-4-5-6']) {
      const c = fixture.cases.find((x) => x.name === name)!;
      const trial = trialOfCase(c);
      const draws = 3000;
      const result = randomisationInferenceFromRedraws(trial, { draws, sourceRows: trial.n, redraw: blockPermutations(c.block, c.z, name), mechanism: 'test permutations' });
      expect(result.exact).toBe(false);
      expect(result.riDraws).toBe(draws);
      expect(result.observed).toBeCloseTo(c.observed, 12);
      const se = Math.sqrt((c.pValue * (1 - c.pValue)) / draws);
      expect(Math.abs(result.riPValue - c.pValue), name).toBeLessThan(4 * se + 1 / draws);
      expect(result.riPValue).toBe((1 + result.nAsExtreme) / (1 + draws));
      expect(result.method).toContain('test permutations');
    }
  });

  it('maps source rows to the analysed rows (dropped rows are skipped)', () => {
    // Rows 2 and 5 of 8 source rows were dropped by na.omit; the redraw fills all 8.
    const trial = { ...makeTrial({ y: [1, 5, 2, 6, 3, 7], z: [0, 1, 0, 1, 0, 1] }), sourceRows: Uint32Array.of(1, 3, 4, 6, 7, 8) };
    const seen: number[][] = [];
    const result = randomisationInferenceFromRedraws(trial, {
      draws: 2,
      sourceRows: 8,
      mechanism: 'fixed',
      redraw: (r, out) => {
        out.set(r === 1 ? [1, 9, 1, 1, 9, 0, 0, 0] : [0, 9, 1, 0, 9, 1, 0, 1]);
        seen.push([...out]);
      },
    });
    // r = 1 → analysed z = (1, 1, 1, 0, 0, 0): mean(1, 5, 2) − mean(6, 3, 7) = −8/3, |·| < |observed| = 4.
    // r = 2 → analysed z = (0, 1, 0, 1, 0, 1): the observed assignment, as extreme.
    expect(result.observed).toBe(4);
    expect(result.nAsExtreme).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it('leaves out a redraw that leaves a block with one arm (the p-value is conditional on both arms in every block), and says so', () => {
    const trial = makeTrial({ y: [1, 2, 3, 4], z: [0, 1, 0, 1], block: ['a', 'a', 'b', 'b'] });
    const lopsided = randomisationInferenceFromRedraws(trial, { draws: 3, sourceRows: 4, mechanism: 'lopsided', redraw: (_r, out) => out.set([1, 1, 0, 0]) });
    expect(lopsided.nAsExtreme).toBe(0);
    expect(lopsided.riDraws).toBe(0);
    expect(lopsided.riPValue).toBe(1);
    expect(lopsided.diagnostics.map((d) => d.code)).toContain('RI_UNDEFINED_DRAWS');
    // Odd redraws undefined, even ones the observed assignment (as extreme): p = (1 + 2)/(1 + 2) over the 2 defined
    // redraws. Counting the undefined ones in the denominator gave (1 + 2)/(1 + 4) = 0.6.
    const half = randomisationInferenceFromRedraws(trial, {
      draws: 4, sourceRows: 4, mechanism: 'half', redraw: (r, out) => out.set(r % 2 === 1 ? [1, 1, 0, 0] : [0, 1, 0, 1]),
    });
    expect(half.nAsExtreme).toBe(2);
    expect(half.riDraws).toBe(2);
    expect(half.riPValue).toBe(1);
    const message = half.diagnostics.find((d) => d.code === 'RI_UNDEFINED_DRAWS')!.message;
    expect(message).toMatch(/2 of 4 redraws/);
  });

  it('keeps its size under the null when the mechanism often leaves a block with one arm (Bernoulli within pairs)', () => {
    // 4 pairs, each person treated with probability 1/2 independently: a redraw has both arms in every pair with
    // probability 1/16. The analysed trial always has (it was refused otherwise). Under the sharp null the p-value,
    // conditional on both arms in every pair, has P(p ≤ 0.05) ≤ 0.05; counting the 15/16 undefined redraws as "not
    // extreme" made p about 16 times too small (rejection in nearly every data set).
    const rng = createRng('bernoulli-pairs');
    const block = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'];
    let rejections = 0;
    const datasets = 150;
    for (let s = 0; s < datasets; s++) {
      const z = Array.from({ length: 4 }, () => (rng.nextDouble() < 0.5 ? [0, 1] : [1, 0])).flat();
      const y = Array.from({ length: 8 }, () => normal(rng));
      const trial = makeTrial({ y, z, block });
      const result = randomisationInferenceFromRedraws(trial, {
        draws: 400, sourceRows: 8, mechanism: 'Bernoulli(1/2) per person',
        redraw: (r, out) => {
          const g = createRng(`pairs:${s}:${r}`);
          for (let i = 0; i < 8; i++) out[i] = g.nextDouble() < 0.5 ? 1 : 0;
        },
      });
      if (result.riPValue <= 0.05) rejections++;
    }
    // 16 equally likely defined assignments, T symmetric: the conditional p is at least 2/16 up to MC error.
    expect(rejections / datasets).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / datasets));
  });

  it('refuses a redraw that leaves a row without an arm, naming the draw and row', () => {
    const trial = makeTrial({ y: [1, 2, 3, 4], z: [0, 1, 0, 1] });
    try {
      randomisationInferenceFromRedraws(trial, { draws: 2, sourceRows: 4, mechanism: 'broken', redraw: (_r, out) => out.set([1, 0, 1]) });
      expect.unreachable();
    } catch (error) {
      expect(isTrialkitError(error)).toBe(true);
      expect((error as { code: string }).code).toBe(RandomisationInferenceErrorCode.redrawIncomplete);
      expect((error as { row: number }).row).toBe(4);
    }
    expect(() => randomisationInferenceFromRedraws(trial, { draws: 0, sourceRows: 4, mechanism: 'x', redraw: () => undefined })).toThrow(/draws/);
    // A bad number of source rows was a RangeError from new Uint8Array (or a later 'incomplete redraw').
    for (const sourceRows of [-1, 2.5, Number.NaN, 3]) {
      expect(() => randomisationInferenceFromRedraws(trial, { draws: 2, sourceRows, mechanism: 'x', redraw: (_r, out) => out.fill(1, 0, 2) }))
        .toThrow(expect.objectContaining({ code: 'RI_BAD_SOURCE_ROWS' }));
    }
  });

  it('the CACE set from redraws inverts the ITT test of Y − τD on the same redraws', () => {
    const rng = createRng('cace-redraws');
    const n = 40;
    const z = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const d = z.map((zi) => (zi === 1 && rng.nextDouble() < 0.7 ? 1 : 0));
    const y = d.map((di) => normal(rng) + 1.2 * di);
    const trial = { ...makeTrial({ y, z }), received: { name: 'd', values: Float64Array.from(d) } };
    const redraw = blockPermutations(null, z, 'cace');
    const set = caceRandomisationSetFromRedraws(trial, { draws: 999, sourceRows: n, redraw, mechanism: 'test permutations', level: 0.9 });
    expect(set.exact).toBe(false);
    expect(set.riDraws).toBe(999);
    const pAt = (tau: number): number => {
      let s = 0;
      while (s < set.breaks.length && tau > set.breaks[s]!) s++;
      return set.pValues[s]!;
    };
    for (const tau of [-3, 0, 0.5, 1, 1.2, 2, 4, set.waldRatio]) {
      const adjusted = y.map((v, i) => v - tau * d[i]!);
      const direct = randomisationInferenceFromRedraws({ ...trial, outcome: { name: 'y', values: Float64Array.from(adjusted) } }, { draws: 999, sourceRows: n, redraw, mechanism: 'same' });
      expect(pAt(tau), `τ = ${tau}`).toBe(direct.riPValue);
    }
    expect(set.level).toBe(0.9);
    expect(set.intervals.length).toBeGreaterThan(0);
  });

  it('the CACE set from redraws leaves out redraws with a block of one arm, as the ITT test does', () => {
    const trial = { ...makeTrial({ y: [1, 5, 2, 6], z: [0, 1, 0, 1], block: ['a', 'a', 'b', 'b'] }), received: { name: 'd', values: Float64Array.of(0, 1, 0, 1) } };
    const redraw = (r: number, out: Uint8Array): void => out.set(r % 2 === 1 ? [1, 1, 0, 0] : r % 4 === 0 ? [0, 1, 0, 1] : [1, 0, 1, 0]);
    const set = caceRandomisationSetFromRedraws(trial, { draws: 8, sourceRows: 4, redraw, mechanism: 'x', level: 0.5 });
    expect(set.riDraws).toBe(4);
    // p(τ) at τ = 0 is the ITT test's p on the same redraws.
    const itt = randomisationInferenceFromRedraws(trial, { draws: 8, sourceRows: 4, redraw, mechanism: 'x' });
    let s = 0;
    while (s < set.breaks.length && 0 > set.breaks[s]!) s++;
    expect(set.pValues[s]).toBe(itt.riPValue);
    expect(itt.riPValue).toBe(1); // all 4 defined redraws are the observed assignment or its mirror
  });

  it('refuses a confidence level outside (0, 1) for the CACE set, as caceRandomisationSet does', () => {
    // Before: level 1.5 gave α = −0.5, so every τ was "in the set" (shape 'whole-line'), with no error.
    const trial = { ...makeTrial({ y: [1, 5, 2, 6, 3, 7], z: [0, 1, 0, 1, 0, 1] }), received: { name: 'd', values: Float64Array.of(0, 1, 0, 1, 0, 0) } };
    const redraw = blockPermutations(null, [0, 1, 0, 1, 0, 1], 'level');
    for (const level of [1.5, 0, 1, -0.2, Number.NaN, '0.95' as unknown as number]) {
      try {
        caceRandomisationSetFromRedraws(trial, { draws: 20, sourceRows: 6, redraw, mechanism: 'x', level });
        expect.unreachable(`level ${String(level)}`);
      } catch (error) {
        expect(isTrialkitError(error)).toBe(true);
        expect((error as { code: string }).code).toBe('RI_BAD_LEVEL');
      }
    }
    expect(caceRandomisationSetFromRedraws(trial, { draws: 20, sourceRows: 6, redraw, mechanism: 'x' }).level).toBe(0.95);
  });
});
