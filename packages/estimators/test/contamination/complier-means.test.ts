/**
 * Complier means E[Y(1)|C], E[Y(0)|C] and the Wald CACE against R: closed forms and κ₁/κ₀ weighting, AER::ivreg,
 * estimatr::iv_robust HC2/HC0 standard errors, and a matrix delta method (fixtures/contamination/make-fixtures.R).
 */
import { describe, expect, it } from 'vitest';
import type { TrialkitError } from '@trialkit/core';
import { ContaminationErrorCode, armRatio, complierMeans } from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import type { ComplianceFixture } from './fixture-types.js';
import { fixtureTrial, makeTrial } from './make-trial.js';

const fixture = readFixture<ComplianceFixture>('contamination/compliance.json');

for (const name of ['trial', 'onesided'] as const) {
  describe(`complier means on the ${name} fixture`, () => {
    const expected = fixture.expected[name];
    const trial = fixtureTrial(fixture[name]);
    const result = complierMeans(trial);

    it('E[Y(1)|C] and E[Y(0)|C] equal the closed forms and the κ₁/κ₀-weighted means', () => {
      expectClose(result.treatedComplierMean.estimate, expected.treatedComplierMean, 1e-10, 0, 'E[Y(1)|C]');
      expectClose(result.untreatedComplierMean.estimate, expected.untreatedComplierMean, 1e-10, 0, 'E[Y(0)|C]');
      expectClose(result.treatedComplierMean.estimate, expected.treatedComplierMeanKappa1, 1e-10, 0, 'κ₁');
      expectClose(result.untreatedComplierMean.estimate, expected.untreatedComplierMeanKappa0, 1e-10, 0, 'κ₀');
      expectClose(result.complierShare, expected.complierShare, 1e-12, 0, 'π_c');
    });

    it('their SEs equal the matrix delta method in R', () => {
      expectClose(result.treatedComplierMean.stdError, expected.treatedComplierMeanSe, 1e-8, 0, 'SE E[Y(1)|C]');
      expectClose(result.untreatedComplierMean.stdError, expected.untreatedComplierMeanSe, 1e-8, 0, 'SE E[Y(0)|C]');
    });

    it('their difference is the Wald / IV estimate (AER::ivreg), with iv_robust HC2 SE', () => {
      const difference = result.treatedComplierMean.estimate - result.untreatedComplierMean.estimate;
      // The same number by two routes: equal up to floating-point rounding of the sums (1e-12 relative).
      expectClose(difference, result.cace.estimate, 1e-12, 0, 'difference vs Wald');
      expectClose(result.cace.estimate, expected.waldIvreg, 1e-8, 0, 'Wald vs ivreg');
      expectClose(result.cace.stdError, expected.waldSeHC2, 1e-8, 0, 'Wald SE vs iv_robust HC2');
    });

    it('always-taker and never-taker means', () => {
      expectClose(result.neverTakerMean!.estimate, expected.neverTakerMean, 1e-12, 0, 'μ_n');
      if (expected.alwaysTakerMean === null) expect(result.alwaysTakerMean).toBeNull();
      else expectClose(result.alwaysTakerMean!.estimate, expected.alwaysTakerMean, 1e-12, 0, 'μ_a');
    });
  });
}

describe('the delta-method kernel', () => {
  it('with the n_a divisor would be HC0; with n_a − 1 it is HC2 (the ratio of the two is the arm-size correction)', () => {
    // On a design where both arms have the same size n_a, Var_HC2/Var_HC0 = n_a/(n_a − 1).
    const z = [1, 1, 1, 1, 0, 0, 0, 0];
    const d = [1, 1, 1, 0, 0, 1, 0, 0];
    const y = [3, 5, 4, 1, 2, 6, 1, 0];
    const u = Float64Array.from(y, (v, i) => (z[i] === 1 ? v : -v));
    const v = Float64Array.from(d, (x, i) => (z[i] === 1 ? x : -x));
    const ratio = armRatio(Float64Array.from(z), u, v);
    // Closed form: ITT = 13/4 − 9/4 = 1, π_c = 3/4 − 1/4 = 1/2, Wald = 2.
    expect(ratio.estimate).toBeCloseTo(2, 14);
    // Structural residuals e = y − α − 2d with α from the control arm: mean(y0) − 2·mean(d0) = 9/4 − 1/2 = 7/4.
    const residuals = y.map((value, i) => value - 1.75 - 2 * (d[i] as number));
    const arm = (a: number): number[] => residuals.filter((_, i) => z[i] === a);
    const sumSquares = (r: number[]): number => r.reduce((s, e) => s + e * e, 0);
    const hc2 = (sumSquares(arm(1)) / (4 * 3) + sumSquares(arm(0)) / (4 * 3)) / 0.25;
    expect(ratio.stdError ** 2).toBeCloseTo(hc2, 12);
  });
});

describe('refusals', () => {
  it('no compliers: assignment did not change take-up', () => {
    let caught: TrialkitError | undefined;
    try {
      complierMeans(makeTrial({ z: [1, 1, 0, 0], d: [1, 0, 1, 0], y: [1, 2, 3, 4] }));
    } catch (error) {
      caught = error as TrialkitError;
    }
    expect(caught?.code).toBe(ContaminationErrorCode.noCompliers);
  });
  it('an arm with one participant', () => {
    let caught: TrialkitError | undefined;
    try {
      complierMeans(makeTrial({ z: [1, 0, 0], d: [1, 0, 0], y: [1, 2, 3] }));
    } catch (error) {
      caught = error as TrialkitError;
    }
    expect(caught?.code).toBe(ContaminationErrorCode.armTooSmall);
  });
});
