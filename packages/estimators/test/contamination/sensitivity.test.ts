/**
 * τ(λ) = ITT/(p₁ − λp₀) against R (closed form, and SEs by a matrix delta method on the arm means of (Y, D) in
 * fixtures/contamination/make-fixtures.R), its end points, and its diagnostics.
 */
import { describe, expect, it } from 'vitest';
import type { TrialkitError } from '@trialkit/core';
import { ContaminationErrorCode, complierMeans, contaminationSensitivity } from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import type { ComplianceFixture } from './fixture-types.js';
import { fixtureTrial, makeTrial } from './make-trial.js';

const fixture = readFixture<ComplianceFixture>('contamination/compliance.json');
const Z = 1.959963984540054;

describe('τ(λ) on the two-sided fixture', () => {
  const expected = fixture.expected.trial;
  const trial = fixtureTrial(fixture.trial);
  const result = contaminationSensitivity(trial);

  it('default grid 0, 0.1, …, 1; estimates and SEs match R', () => {
    expect(result.rows.map((r) => r.lambda)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    for (const [k, row] of result.rows.entries()) {
      const r = expected.sensitivity[k]!;
      expectClose(row.estimate!, r.estimate, 1e-10, 0, `τ(${row.lambda})`);
      expectClose(row.stdError!, r.stdError, 1e-8, 0, `SE τ(${row.lambda})`);
      expectClose(row.denominator.estimate, r.denominator, 1e-12, 0, `den(${row.lambda})`);
      expectClose(row.denominator.stdError, r.denominatorStdError, 1e-10, 0, `SE den(${row.lambda})`);
      expect(row.confHigh! - row.estimate!).toBeCloseTo(Z * row.stdError!, 12);
      expect(row.denominatorCiIncludesZero).toBe(false);
    }
    expectClose(result.itt.estimate, expected.itt, 1e-10, 0, 'ITT');
  });

  it('closed form: τ(λ)·(p₁ − λp₀) = ITT at every λ', () => {
    for (const row of result.rows) {
      expectClose(row.estimate! * (expected.takeUp - row.lambda * expected.contamination), expected.itt, 1e-12, 0, `λ=${row.lambda}`);
    }
  });

  it('λ = 1 is the Wald CACE (AER::ivreg; SE = iv_robust HC2); λ = 0 is ITT / take-up (Bloom)', () => {
    const atOne = result.rows[10]!;
    expectClose(atOne.estimate!, expected.waldIvreg, 1e-8, 0, 'τ(1) vs ivreg');
    expectClose(atOne.stdError!, expected.waldSeHC2, 1e-8, 0, 'SE τ(1) vs iv_robust HC2');
    const cace = complierMeans(trial).cace;
    expectClose(atOne.estimate!, cace.estimate, 1e-12, 0, 'τ(1) vs complierMeans');
    expectClose(result.rows[0]!.estimate!, expected.itt / expected.takeUp, 1e-12, 0, 'τ(0) = ITT/p₁');
  });

  it('τ(λ) grows with λ when ITT > 0 (the denominator shrinks)', () => {
    for (let k = 1; k < result.rows.length; k++) expect(result.rows[k]!.estimate!).toBeGreaterThan(result.rows[k - 1]!.estimate!);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('one-sided: no contamination, τ does not depend on λ', () => {
  it('every row equals the Wald estimate', () => {
    const expected = fixture.expected.onesided;
    const result = contaminationSensitivity(fixtureTrial(fixture.onesided), { lambdas: [0, 0.5, 1] });
    for (const row of result.rows) expectClose(row.estimate!, expected.waldIvreg, 1e-8, 0, `λ=${row.lambda}`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ESTIMATORS_SENSITIVITY_NO_CONTAMINATION']);
  });
});

describe('diagnostics and refusals', () => {
  it('flags λ where the interval of p₁ − λp₀ includes 0, and returns null where it is exactly 0', () => {
    // p₁ = 0.3, p₀ = 0.3: the denominator is 0.3(1 − λ), exactly 0 at λ = 1.
    const z = [...Array(10).fill(1), ...Array(10).fill(0)];
    const d = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const y = z.map((zi, i) => zi + (i % 3));
    const result = contaminationSensitivity(makeTrial({ z, d, y }), { lambdas: [0, 0.9, 1] });
    const [atZero, atNine, atOne] = result.rows;
    expect(atZero?.denominatorCiIncludesZero).toBe(false);
    expect(atNine?.denominatorCiIncludesZero).toBe(true);
    expect(atOne?.estimate).toBeNull();
    expect(atOne?.denominatorCiIncludesZero).toBe(true);
    const warning = result.diagnostics.find((x) => x.code === 'ESTIMATORS_SENSITIVITY_DENOMINATOR_NEAR_ZERO');
    expect(warning?.message).toContain('λ = 0.9, 1');
    expect(JSON.parse(JSON.stringify(result)).rows[2].estimate).toBeNull();
  });
  it('refuses a non-finite λ', () => {
    let caught: TrialkitError | undefined;
    try {
      contaminationSensitivity(fixtureTrial(fixture.trial), { lambdas: [0, Number.NaN] });
    } catch (error) {
      caught = error as TrialkitError;
    }
    expect(caught?.code).toBe(ContaminationErrorCode.badLambda);
  });
});

describe("Fieller's confidence set for τ(λ)", () => {
  it('is a bounded interval around τ when the denominator is strong, equal to R (root-finding)', () => {
    const result = contaminationSensitivity(fixtureTrial(fixture.trial));
    for (const [k, row] of result.rows.entries()) {
      const r = fixture.expected.trial.sensitivity[k]!.fieller;
      expect(row.fieller.kind).toBe('interval');
      expectClose(row.fieller.low!, r.low, 1e-8, 0, `λ=${row.lambda} low`);
      expectClose(row.fieller.high!, r.high, 1e-8, 0, `λ=${row.lambda} high`);
      expect(row.fieller.low!).toBeLessThan(row.estimate!);
      expect(row.fieller.high!).toBeGreaterThan(row.estimate!);
    }
  });
  it('is unbounded exactly where the denominator interval includes 0 (weak take-up difference), equal to R', () => {
    const result = contaminationSensitivity(makeTrial(fixture.weak), { lambdas: [0, 0.5, 0.9] });
    for (const [k, row] of result.rows.entries()) {
      const r = fixture.weakSensitivity[k]!;
      expectClose(row.estimate!, r.estimate, 1e-10, 0, `τ(${row.lambda})`);
      expectClose(row.stdError!, r.stdError, 1e-8, 0, `SE τ(${row.lambda})`);
      expect(row.fieller.kind).toBe(r.fieller.kind);
      expectClose(row.fieller.low!, r.fieller.low, 1e-8, 0, `λ=${row.lambda} low`);
      expectClose(row.fieller.high!, r.fieller.high, 1e-8, 0, `λ=${row.lambda} high`);
      expect(row.fieller.kind === 'interval').toBe(!row.denominatorCiIncludesZero);
    }
    // For a complement set, the point estimate lies in the unbounded part: outside (low, high).
    const complement = result.rows[2]!;
    expect(complement.estimate! > complement.fieller.high! || complement.estimate! < complement.fieller.low!).toBe(true);
  });
});

describe('fiellerSet closed forms', () => {
  it('whole line when the quadratic has no real roots and opens downward; a ray when A = 0', async () => {
    const { fiellerSet } = await import('../../src/contamination/index.js');
    expect(fiellerSet(1, 0, 1, 1, 0, 1.96)).toEqual({ kind: 'whole-line', low: null, high: null });
    // A = 1.96² − 1.96²·1 = 0, B = 1·1.96, C = 1 − 1.96²·0.1: −2Bθ + C ≤ 0 ⇔ θ ≥ C/(2B)
    const ray = fiellerSet(1, 1.96, 0.1, 1, 0, 1.96);
    expect(ray.kind).toBe('ray');
    expect(ray.high).toBeNull();
    expect(ray.low).toBeCloseTo((1 - 1.96 ** 2 * 0.1) / (2 * 1.96), 14);
  });
});
