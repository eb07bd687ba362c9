import { describe, expect, it } from 'vitest';
import { isTrialkitError } from '@trialkit/core';
import { coxph } from '../src/cox.js';
import { SurvivalErrorCode } from '../src/errors.js';
import { caseNames, completeRows, expectAllClose, readCase, type CoxFixture } from './helpers.js';

function check(name: string, result: ReturnType<typeof coxph>, expected: CoxFixture, robust: boolean): void {
  expectAllClose(result.coefficients, expected.coef, `${name} coef`);
  expectAllClose(result.stdErrors, expected.se, `${name} se`);
  expectAllClose(result.z, expected.z, `${name} z`);
  expectAllClose(result.pValues, expected.p, `${name} p`);
  expectAllClose(result.hazardRatios, expected.hr, `${name} exp(coef)`);
  expectAllClose(result.confLow, expected.lower, `${name} lower .95`);
  expectAllClose(result.confHigh, expected.upper, `${name} upper .95`);
  expectAllClose(result.logLik, expected.loglik, `${name} loglik`);
  expect(result.iterations, `${name} iterations`).toBe(expected.iter);
  if (robust) expectAllClose(result.naiveStdErrors, expected.naiveSe, `${name} naive se`);
}

describe.each(caseNames())('Cox (Efron) vs coxph: %s', (name) => {
  const c = readCase(name);
  const rows = completeRows(c);
  const armColumn = rows.arm.map((a) => (a === c.arms.treatment ? 1 : 0));
  const strata = rows.strata === undefined ? {} : { strata: rows.strata };
  it('assignment only', () => {
    check(name, coxph(rows.time, rows.event, [armColumn], { level: c.level }), c.coxArmOnly, false);
  });
  it('assignment + covariates (+ strata)', () => {
    const result = coxph(rows.time, rows.event, [armColumn, ...rows.covariates], { level: c.level, ...strata });
    check(name, result, c.cox, false);
  });
  it('robust variance (robust = TRUE)', () => {
    const result = coxph(rows.time, rows.event, [armColumn, ...rows.covariates], { level: c.level, robust: true, ...strata });
    check(name, result, c.coxRobust, true);
  });
  it('Breslow ties (ties = "breslow"), model-based and robust SEs', () => {
    const result = coxph(rows.time, rows.event, [armColumn, ...rows.covariates],
      { level: c.level, robust: true, ties: 'breslow', ...strata });
    expect(result.ties).toBe('breslow');
    check(name, result, c.coxBreslow, true);
  });
  if (c.coxCluster !== null) {
    it('clustered robust variance (cluster())', () => {
      const result = coxph(rows.time, rows.event, [armColumn, ...rows.covariates],
        { level: c.level, cluster: rows.cluster!, ...strata });
      check(name, result, c.coxCluster!, true);
      expect(result.nClusters).toBe(new Set(rows.cluster).size);
    });
  }
});

describe('Cox input checks', () => {
  it('a constant covariate makes the information singular', () => {
    try {
      coxph([1, 2, 3, 4], [1, 1, 0, 1], [[0, 1, 0, 1], [1, 1, 1, 1]]);
      expect.unreachable();
    } catch (error) {
      expect(isTrialkitError(error) && error.code).toBe(SurvivalErrorCode.singularInformation);
    }
  });
  it('a covariate of the wrong length is an error', () => {
    try {
      coxph([1, 2, 3], [1, 1, 0], [[0, 1]]);
      expect.unreachable();
    } catch (error) {
      expect(isTrialkitError(error) && error.code).toBe(SurvivalErrorCode.lengthMismatch);
    }
  });
  it('monotone likelihood (no events in one arm) reports non-convergence as a diagnostic', () => {
    const result = coxph([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], [[1, 1, 1, 0, 0, 0]]);
    // coxph(Surv(1:6, c(1,1,1,0,0,0)) ~ c(1,1,1,0,0,0)) warns "Loglik converged before variable 1"
    expect(result.coefficients[0]!).toBeGreaterThan(5);
    expect(result.diagnostics.map((d) => d.code)).toContain(
      result.converged ? 'SURVIVAL_COX_INFINITE_COEFFICIENT' : 'SURVIVAL_COX_NOT_CONVERGED');
  });
});
