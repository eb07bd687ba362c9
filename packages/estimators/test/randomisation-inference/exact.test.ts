import { describe, expect, it } from 'vitest';
import * as estimators from '@trialkit/estimators';
import { differenceInMeans } from '../../src/difference-in-means.js';
import { randomisationInference } from '../../src/randomisation-inference/index.js';
import { binomial, nextCombination } from '../../src/randomisation-inference/randomisation-inference.js';
import { expectClose } from '../fixtures.js';
import { makeTrial, readRiFixture, trialOfCase } from './helpers.js';

// Expected values: exact enumeration of every assignment in base R (fixtures/randomisation-inference/make-fixtures.R,
// combn per block, expand.grid over blocks), p = mean(|T| ≥ |T_obs|·(1 − 1e-12)) as ri2 reports it.
const fixture = readRiFixture();

describe('exact randomisation p-values against enumeration in R', () => {
  it('records the R version', () => {
    expect(fixture.r_version).toMatch(/^R version 4\./);
    expect(fixture.tie_tolerance).toBe(1e-12);
  });
  for (const c of fixture.cases) {
    it(`${c.name}: ${c.design}, ${c.nPossible} assignments`, () => {
      const trial = trialOfCase(c);
      const statistic = c.statistic === 't' ? 't' : 'difference-in-means';
      const result = randomisationInference(trial, { draws: 10_000, seed: 1, statistic });
      expect(result.exact).toBe(true);
      expect(result.design).toBe(c.design); // the default follows the trial's blocks and clusters
      expect(result.nPossibleAssignments).toBe(c.nPossible);
      expect(result.riDraws).toBe(c.nPossible);
      expect(result.nAsExtreme).toBe(c.nAsExtreme);
      expectClose(result.riPValue, c.pValue, 1e-14, 0, 'p');
      expectClose(result.observed, c.observed, 1e-10, 1e-14, 'observed');
      expect(result.monteCarloStdError).toBe(0);
      expect(result.method).toContain('exact');
    });
  }

  it('asks for exactly C(n, k) draws: still exact; one fewer: sampled', () => {
    const c = fixture.cases.find((x) => x.name === 'gerber-green-2.2')!;
    const trial = trialOfCase(c);
    expect(randomisationInference(trial, { draws: 21, seed: 1 }).exact).toBe(true);
    const sampled = randomisationInference(trial, { draws: 20, seed: 1 });
    expect(sampled.exact).toBe(false);
    expect(sampled.riDraws).toBe(20);
    expect(sampled.riPValue).toBe((1 + sampled.nAsExtreme) / 21);
  });

  it('the observed statistic is the difference_in_means estimate', () => {
    for (const c of fixture.cases.filter((x) => x.statistic === 'dim')) {
      const trial = trialOfCase(c);
      const dim = differenceInMeans({
        outcome: trial.outcome.values,
        assignment: trial.assignment.values,
        ...(trial.blocks === undefined ? {} : { blocks: trial.blocks }),
        ...(trial.cluster === undefined ? {} : { cluster: trial.cluster }),
      });
      const result = randomisationInference(trial, { draws: 10_000, seed: 1 });
      expectClose(result.observed, dim.estimate, 1e-12, 1e-14, c.name);
    }
  });

  it('the t statistic is difference_in_means’ t', () => {
    const c = fixture.cases.find((x) => x.name === 'blocked-4-5-6-t')!;
    const trial = trialOfCase(c);
    const dim = differenceInMeans({ outcome: trial.outcome.values, assignment: trial.assignment.values, blocks: trial.blocks! });
    expect(randomisationInference(trial, { draws: 10_000, seed: 1, statistic: 't' }).observed).toBe(dim.statistic);
  });
});

describe('package entry', () => {
  it('exports randomisationInference and its codes from @trialkit/estimators', () => {
    expect(estimators.randomisationInference).toBe(randomisationInference);
    expect(estimators.RandomisationInferenceErrorCode.badDraws).toBe('RI_BAD_DRAWS');
    expect(estimators.RI_DESIGNS).toEqual(['complete', 'blocked', 'clustered', 'block-clustered']);
  });
});

describe('counting and listing assignments', () => {
  it('binomial is exact below 2^53', () => {
    expect(binomial(7, 2)).toBe(21);
    expect(binomial(12, 6)).toBe(924);
    expect(binomial(50, 25)).toBe(126410606437752); // closed form, R: choose(50, 25)
    expect(binomial(10, 0)).toBe(1);
    expect(binomial(3, 4)).toBe(0);
  });

  it('nextCombination lists every k-subset once, in lexicographic order', () => {
    const combo = Int32Array.from([0, 1, 2]);
    const seen: string[] = [combo.join(',')];
    while (nextCombination(combo, 6)) seen.push(combo.join(','));
    expect(seen.length).toBe(binomial(6, 3));
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe('0,1,2');
    expect(seen.at(-1)).toBe('3,4,5');
    expect(combo.join(',')).toBe('0,1,2'); // reset after the last
  });
});

describe('the t statistic when both arms are constant', () => {
  it('is infinite (SE 0, means apart) and counts as extreme — brute force over the 20 assignments of 3 of 6', () => {
    // y = (0, 0, 0, 1, 1, 1): treating the three zeros (or the three ones) leaves both arms without variation:
    // Welch's SE is 0 and t = ±∞, more extreme than any finite t; it is not an undefined (0/0) statistic.
    const y = [0, 0, 0, 1, 1, 1];
    const z = [1, 0, 1, 0, 1, 0];
    const welch = (treated: readonly number[]): number => {
      const a = y.filter((_, i) => treated.includes(i));
      const b = y.filter((_, i) => !treated.includes(i));
      const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
      const variance = (v: number[]): number => v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1);
      return (mean(a) - mean(b)) / Math.sqrt(variance(a) / a.length + variance(b) / b.length);
    };
    const observed = welch([0, 2, 4]);
    let extreme = 0;
    let infinite = 0;
    for (let i = 0; i < 6; i++)
      for (let j = i + 1; j < 6; j++)
        for (let k = j + 1; k < 6; k++) {
          const t = welch([i, j, k]);
          if (!Number.isFinite(t)) infinite++;
          if (Math.abs(t) >= Math.abs(observed) * (1 - 1e-12)) extreme++;
        }
    expect(infinite).toBe(2);
    const result = randomisationInference(makeTrial({ y, z }), { draws: 1000, seed: 1, statistic: 't' });
    expect(result.exact).toBe(true);
    expect(result.riDraws).toBe(20);
    expect(result.nAsExtreme).toBe(extreme);
    expect(result.riPValue).toBeCloseTo(extreme / 20, 15);
    expect(result.diagnostics.map((d) => d.code)).not.toContain('RI_UNDEFINED_DRAWS');
  });
});
