/**
 * Complier characteristics by Abadie's κ: against R (κ written out directly, and a matrix delta method for the SE),
 * the exact sample identities of ESTIMATORS-MATH.md §7, and a simulated population (seeded core Rng) with known
 * complier means, including the coverage of the intervals.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import { abadieKappa, complierCharacteristics } from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import type { ComplianceFixture } from './fixture-types.js';
import { fixtureTrial, makeTrial } from './make-trial.js';

const fixture = readFixture<ComplianceFixture>('contamination/compliance.json');

for (const name of ['trial', 'onesided'] as const) {
  describe(`κ-weighted covariate means on the ${name} fixture`, () => {
    const expected = fixture.expected[name];
    const result = complierCharacteristics(fixtureTrial(fixture[name]));
    it('match R for every covariate and stratum', () => {
      expect(result.covariates.map((c) => c.name)).toEqual(['age', 'female']);
      for (const covariate of result.covariates) {
        const r = expected.covariates[covariate.name as 'age' | 'female'];
        expectClose(covariate.compliers.estimate, r.kappa, 1e-10, 1e-14, `${covariate.name} complier mean`);
        expectClose(covariate.compliers.stdError, r.kappaSe, 1e-8, 0, `${covariate.name} complier SE`);
        expectClose(covariate.overall.estimate, r.overall, 1e-12, 1e-14, `${covariate.name} overall`);
        expectClose(covariate.overall.stdError, r.overallSe, 1e-10, 0, `${covariate.name} overall SE`);
        expectClose(covariate.neverTakers!.estimate, r.neverTakers, 1e-12, 1e-14, `${covariate.name} never-takers`);
        expectClose(covariate.neverTakers!.stdError, r.neverTakersSe, 1e-10, 0, `${covariate.name} never-takers SE`);
        if (r.alwaysTakers === null) expect(covariate.alwaysTakers).toBeNull();
        else {
          expectClose(covariate.alwaysTakers!.estimate, r.alwaysTakers, 1e-12, 1e-14, `${covariate.name} always-takers`);
          expectClose(covariate.alwaysTakers!.stdError, r.alwaysTakersSe!, 1e-10, 0, `${covariate.name} always-takers SE`);
        }
      }
      expectClose(result.complierShare, expected.complierShare, 1e-12, 0, 'mean κ');
    });
    it('mean κ = mean κ₀ = mean κ₁ = take-up − contamination (exact identity)', () => {
      const r = expected.covariates.age;
      expectClose(r.meanKappa, expected.complierShare, 1e-12, 0, 'κ');
      expectClose(r.meanKappa0, expected.complierShare, 1e-12, 0, 'κ₀');
      expectClose(r.meanKappa1, expected.complierShare, 1e-12, 0, 'κ₁');
    });
  });
}

describe('κ values (Abadie 2003 §3)', () => {
  it('are 1 for (D,Z) = (1,1) or (0,0), 1 − 1/(1−π) for (1,0), 1 − 1/π for (0,1)', () => {
    const z = Float64Array.from([1, 1, 1, 0, 0]);
    const d = Float64Array.from([1, 0, 1, 1, 0]);
    const pi = 3 / 5;
    expect(Array.from(abadieKappa(z, d))).toEqual([1, 1 - 1 / pi, 1, 1 - 1 / (1 - pi), 1]);
  });
});

describe('simulated population with known complier means (seeded Rng)', () => {
  // Strata: compliers 55%, always-takers 15%, never-takers 30%. Covariate x = stratum mean + U(−1, 1) noise, so
  // E[x | complier] = 2, E[x | always] = 5, E[x | never] = −1 exactly.
  const strataMeans = { complier: 2, always: 5, never: -1 };
  function simulate(n: number, seed: number): ReturnType<typeof makeTrial> {
    const rng = createRng(seed);
    const z: number[] = [];
    const d: number[] = [];
    const x: number[] = [];
    const assignment = rng.permutation(n);
    for (let i = 0; i < n; i++) {
      const zi = (assignment[i] as number) < n * 0.45 ? 1 : 0; // unequal arms: 45% treated
      const u = rng.nextDouble();
      const stratum = u < 0.55 ? 'complier' : u < 0.7 ? 'always' : 'never';
      z.push(zi);
      d.push(stratum === 'always' ? 1 : stratum === 'never' ? 0 : zi);
      x.push(strataMeans[stratum] + 2 * rng.nextDouble() - 1);
    }
    return makeTrial({ z, d, y: x, covariates: { x } });
  }

  it('recovers the complier, always-taker and never-taker means in a large sample', () => {
    const result = complierCharacteristics(simulate(100_000, 20261124));
    const x = result.covariates[0]!;
    // Within 4 standard errors of the truth (the SEs are ~0.014 here).
    expect(Math.abs(x.compliers.estimate - strataMeans.complier)).toBeLessThan(4 * x.compliers.stdError);
    expect(Math.abs(x.alwaysTakers!.estimate - strataMeans.always)).toBeLessThan(4 * x.alwaysTakers!.stdError);
    expect(Math.abs(x.neverTakers!.estimate - strataMeans.never)).toBeLessThan(4 * x.neverTakers!.stdError);
    expect(x.compliers.stdError).toBeLessThan(0.025);
    expect(Math.abs(result.complierShare - 0.55)).toBeLessThan(0.01);
  }, 60_000); // heavy (seeded simulation); a generous timeout for loaded CI machines

  it('95% intervals for the complier mean cover the truth at about the nominal rate', () => {
    const replicates = 400;
    let covered = 0;
    for (let r = 0; r < replicates; r++) {
      const x = complierCharacteristics(simulate(1_000, 1_000 + r)).covariates[0]!;
      if (x.compliers.confLow <= strataMeans.complier && strataMeans.complier <= x.compliers.confHigh) covered++;
    }
    // Binomial(400, 0.95): SD 0.011; accept 0.91–0.99 (≈ ±3.6 SD). Deterministic given the seeds.
    expect(covered / replicates).toBeGreaterThan(0.91);
    expect(covered / replicates).toBeLessThan(0.99);
  }, 60_000); // heavy (seeded simulation); a generous timeout for loaded CI machines
});

describe('diagnostics', () => {
  it('no covariates, and clusters ignored', () => {
    const trial = makeTrial({ z: [1, 1, 1, 0, 0, 0], d: [1, 1, 0, 0, 0, 1], y: [0, 0, 0, 0, 0, 0], cluster: ['a', 'a', 'b', 'b', 'c', 'c'] });
    const result = complierCharacteristics(trial);
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).toContain('ESTIMATORS_COMPLIERS_NO_COVARIATES');
    expect(codes).toContain('ESTIMATORS_COMPLIERS_CLUSTER_ROBUST');
    expect(codes).toContain('ESTIMATORS_COMPLIERS_STRATUM_TOO_SMALL');
  });
});
