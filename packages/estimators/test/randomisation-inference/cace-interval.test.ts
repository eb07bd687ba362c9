import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '@trialkit/core';
import { caceRandomisationSet, extremeSet } from '../../src/randomisation-inference/cace-interval.js';
import { randomisationInference } from '../../src/randomisation-inference/index.js';
import { makeTrial } from './helpers.js';

// The CACE set by test inversion, checked against the ITT randomisation test itself (exact against R enumeration
// in exact.test.ts) run on Y − τD at τ values across the set, with the same seed (hence the same assignments),
// plus a seeded coverage simulation.

function normal(rng: Rng): number {
  const u = 1 - rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
}

/** One-sided non-compliance: compliers (share `complierShare`) take the treatment when assigned; effect τ on them. */
function trialWithCompliance(rng: Rng, n: number, tau: number, complierShare: number, block = false) {
  const perm = rng.permutation(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n / 2; i++) z[perm[i]!] = 1;
  const d = new Float64Array(n);
  const y = new Float64Array(n);
  const blocks: string[] = [];
  for (let i = 0; i < n; i++) {
    const complier = rng.nextDouble() < complierShare;
    d[i] = complier && z[i] === 1 ? 1 : 0;
    y[i] = normal(rng) + tau * d[i]!;
    blocks.push(`b${i % 2}`);
  }
  const trial = makeTrial({ y, z, ...(block ? { block: blocks } : {}) });
  return { ...trial, received: { name: 'd', values: d } };
}

function pAt(set: ReturnType<typeof caceRandomisationSet>, tau: number): number {
  let s = 0;
  while (s < set.breaks.length && tau > set.breaks[s]!) s++;
  return set.pValues[s]!;
}

describe('CACE randomisation confidence set by test inversion', () => {
  it('p(τ) equals the randomisation test of Y − τD at every τ (sampled, same seed)', () => {
    const trial = trialWithCompliance(createRng('cace-1'), 60, 1.5, 0.6);
    const set = caceRandomisationSet(trial, { draws: 999, seed: 42 });
    expect(set.exact).toBe(false);
    const d = trial.received.values;
    const taus = [-5, -1, 0, 0.5, 1, 1.5, 2, 3, 5, 10, set.waldRatio];
    for (const b of set.breaks.filter((_, i) => i % 50 === 0)) taus.push(b + 1e-7, b - 1e-7);
    for (const tau of taus) {
      const adjusted = Float64Array.from(trial.outcome.values, (v, i) => v - tau * d[i]!);
      const direct = randomisationInference({ ...trial, outcome: { name: 'y', values: adjusted } }, { draws: 999, seed: 42 });
      expect(pAt(set, tau), `τ = ${tau}`).toBe(direct.riPValue);
    }
    expect(set.shape).toBe('interval');
    const [only] = set.intervals;
    expect(only!.lower).toBeLessThan(set.waldRatio);
    expect(only!.upper).toBeGreaterThan(set.waldRatio);
  });

  it('exact when every assignment is enumerated (blocked, 2 blocks of 6: 400 assignments)', () => {
    const trial = trialWithCompliance(createRng('cace-2'), 12, 2, 0.8, true);
    const set = caceRandomisationSet(trial, { draws: 1000, seed: 1 });
    expect(set.exact).toBe(true);
    expect(set.nPossibleAssignments).toBe(400);
    const d = trial.received.values;
    for (let tau = -6; tau <= 8; tau += 0.37) {
      const adjusted = Float64Array.from(trial.outcome.values, (v, i) => v - tau * d[i]!);
      const direct = randomisationInference({ ...trial, outcome: { name: 'y', values: adjusted } }, { draws: 1000, seed: 1 });
      expect(direct.exact).toBe(true);
      expect(pAt(set, tau), `τ = ${tau}`).toBeCloseTo(direct.riPValue, 14);
    }
  });

  it('a weak first stage gives an unbounded set', () => {
    const trial = trialWithCompliance(createRng('cace-weak'), 40, 1, 0.05);
    const set = caceRandomisationSet(trial, { draws: 499, seed: 3 });
    expect(['unbounded', 'whole-line']).toContain(set.shape);
  });

  it('covers the true CACE in about 95% of seeded trials', () => {
    const rng = createRng('cace-coverage');
    const trials = 200;
    let covered = 0;
    for (let s = 0; s < trials; s++) {
      const trial = trialWithCompliance(rng, 40, 2, 0.7);
      const set = caceRandomisationSet(trial, { draws: 199, seed: s });
      if (set.intervals.some((x) => x.lower <= 2 && 2 <= x.upper)) covered++;
    }
    // Binomial(200, 0.95): sd 0.0154; the test is exact for the sharp null τ = 2 (effect τ·D for everyone).
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(4 * 0.0154);
  });

  it('extremeSet: {τ : (a − τb)² ≥ (a0 − τb0)²}', () => {
    expect(extremeSet(1, 1, 1, 1)).toBe('all'); // the observed assignment
    // a = 0, b = 1 vs a0 = 2, b0 = 1: (−τ)² ≥ (2 − τ)² ⇔ τ ≥ 1
    expect(extremeSet(0, 1, 2, 1)).toEqual([[1, Infinity]]);
    // a = 3, b = 0 vs a0 = 1, b0 = 1: 9 ≥ (1 − τ)² ⇔ −2 ≤ τ ≤ 4
    expect(extremeSet(3, 0, 1, 1)).toEqual([[-2, 4]]);
    // a = 0, b = 0 vs a0 = 1, b0 = 1: 0 ≥ (1 − τ)² only at τ = 1 (measure zero)
    expect(extremeSet(0, 0, 1, 1)).toEqual([]);
    // a = 0, b = 2 vs a0 = 1, b0 = 0: 4τ² ≥ 1 ⇔ |τ| ≥ 1/2
    expect(extremeSet(0, 2, 1, 0)).toEqual([[-Infinity, -0.5], [0.5, Infinity]]);
  });
});
