import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrialkitError } from '@trialkit/core';
import { coxInteractionTest, CoxInteractionCode } from '../src/cox-interaction.js';
import { SurvivalErrorCode } from '../src/errors.js';
import { expectAllClose, expectClose, fixturesDir, readFixture } from './helpers.js';

interface LevelFixture { level: string | number; logHr: number; se: number; hr: number; lower: number; upper: number; z: number; p: number }
interface InteractionFixture {
  name: string; ties: 'efron' | 'breslow'; level: number; cluster: boolean; robust: boolean; strata: boolean;
  data: { time: number[]; event: number[]; z: number[]; g: (string | number)[]; office?: string[]; site?: string[] };
  kept: (string | number)[]; coefNames: string[]; coef: number[]; vcov: number[];
  interactionCoef: number[]; interactionVcov: number[]; levels: LevelFixture[]; referenceLevel: string | number;
  wald: number; df: number; p: number; loglik: number[]; iter: number; nEvents: number; n: number;
  contrast?: { ratio: number; logRatio: number; se: number; lower: number; upper: number; z: number; p: number };
}

const names = readdirSync(join(fixturesDir, 'cox-interaction')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

function run(c: InteractionFixture) {
  return coxInteractionTest(c.data.time, c.data.event, c.data.z, c.data.g, {
    ties: c.ties,
    level: c.level,
    ...(c.cluster ? { cluster: c.data.office! } : {}),
    ...(c.robust ? { robust: true } : {}),
    ...(c.strata ? { strata: c.data.site! } : {}),
  });
}

describe('coxInteractionTest vs coxph(Surv ~ z * factor(g))', () => {
  it('has the fixtures', () => expect(names.length).toBeGreaterThanOrEqual(7));
  describe.each(names)('%s', (name) => {
    const c = readFixture<InteractionFixture>(`cox-interaction/${name}.json`);
    const result = run(c);
    it('fits the same model (coef, vcov, loglik, iterations)', () => {
      expect(result.cox).not.toBeNull();
      expect(result.cox!.terms.map((t) => t.replace(/^g/, 'gf').replace(/:g/, ':gf'))).toEqual(c.coefNames);
      expectAllClose(result.cox!.coefficients, c.coef, `${name} coef`);
      expectAllClose(result.cox!.vcov, c.vcov, `${name} vcov`);
      expectAllClose(result.cox!.logLik, c.loglik, `${name} loglik`);
      expect(result.cox!.iterations).toBe(c.iter);
      expect(result.nObs).toBe(c.n);
      expect(result.nEvents).toBe(c.nEvents);
      expect(result.ties).toBe(c.ties);
      expect(result.seType).toBe(c.cluster ? 'robust_cluster' : c.robust ? 'robust' : 'classical');
    });
    it('joint Wald test of the interaction coefficients (W = b′V⁻¹b, χ²(q))', () => {
      const test = result.test!;
      expectAllClose(test.coefficients, c.interactionCoef, `${name} interaction coef`);
      expectAllClose(test.vcov, c.interactionVcov, `${name} interaction vcov`);
      expectClose(test.wald, c.wald, `${name} W`);
      expect(test.df).toBe(c.df);
      expectClose(test.pValue, c.p, `${name} p`);
      expect(test.referenceLevel).toBe(String(c.referenceLevel));
      expect(test.levelsTested).toEqual(c.kept.map(String));
    });
    it('per-level hazard ratios from the same model', () => {
      const tested = result.levels.filter((l) => l.tested);
      expect(tested.map((l) => l.level)).toEqual(c.levels.map((l) => String(l.level)));
      c.levels.forEach((e, k) => {
        const l = tested[k]!;
        expectClose(l.logHazardRatio, e.logHr, `${name} ${e.level} log HR`);
        expectClose(l.stdError, e.se, `${name} ${e.level} se`);
        expectClose(l.hazardRatio, e.hr, `${name} ${e.level} HR`);
        expectClose(l.confLow, e.lower, `${name} ${e.level} lower`);
        expectClose(l.confHigh, e.upper, `${name} ${e.level} upper`);
        expectClose(l.z, e.z, `${name} ${e.level} z`);
        expectClose(l.pValue, e.p, `${name} ${e.level} p`);
      });
    });
    it('two levels: the ratio of the hazard ratios', () => {
      if (c.contrast === undefined) {
        expect(result.contrast).toBeNull();
        return;
      }
      const r = result.contrast!;
      expectClose(r.ratio, c.contrast.ratio, `${name} ratio`);
      expectClose(r.logRatio, c.contrast.logRatio, `${name} log ratio`);
      expectClose(r.stdError, c.contrast.se, `${name} ratio se`);
      expectClose(r.confLow, c.contrast.lower, `${name} ratio lower`);
      expectClose(r.confHigh, c.contrast.upper, `${name} ratio upper`);
      expectClose(r.pValue, c.contrast.p, `${name} ratio p`);
      // one restriction: the Wald χ²(1) p equals the z-test p of the coefficient
      expectClose(result.test!.pValue, r.pValue, `${name} χ²(1) vs z`, 1e-10);
    });
  });

  it('a level without events in an arm is left out with a diagnostic, and the test is over the rest', () => {
    const c = readFixture<InteractionFixture>('cox-interaction/level_left_out.json');
    const result = run(c);
    const b = result.levels.find((l) => l.level === 'b')!;
    expect(b.tested).toBe(false);
    expect(b.eventsTreatment).toBe(0);
    expect(b.reason).toMatch(/no events in the treatment arm/);
    expect(b.hazardRatio).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toContain(CoxInteractionCode.levelLeftOut);
    expect(result.test!.levelsTested).toEqual(['a', 'c']);
  });

  it('a subgroup nested in the strata: its main effects are left out (coxph\'s NA) with an info diagnostic', () => {
    const c = readFixture<InteractionFixture>('cox-interaction/nested_in_strata.json');
    const result = run(c);
    expect(result.cox!.terms).toEqual(['z', 'z:gsouth', 'z:gwest']);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([[CoxInteractionCode.absorbedByStrata, 'info']]);
    expect(result.test!.df).toBe(2);
  });

  it('a level too small in an arm is left out; one level left → no test, a diagnostic', () => {
    const time = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const event = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1];
    const z = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0];
    const g = ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'y', 'y'];
    const result = coxInteractionTest(time, event, z, g);
    expect(result.test).toBeNull();
    expect(result.contrast).toBeNull();
    expect(result.levels.find((l) => l.level === 'y')!.reason).toMatch(/0 participants in its smaller arm/);
    expect(result.diagnostics.map((d) => d.code)).toEqual([CoxInteractionCode.levelLeftOut, CoxInteractionCode.noTest]);
  });

  it('with clusters, a level with fewer than 2 clusters in an arm is left out', () => {
    const c = readFixture<InteractionFixture>('cox-interaction/two_levels_cluster.json');
    // Make level "yes" one cluster per arm: its clustered variance would rest on single cluster sums.
    const office = c.data.office!.map((o, i) => (c.data.g[i] === 'yes' ? (c.data.z[i] === 1 ? 'T' : 'C') : o));
    const result = coxInteractionTest(c.data.time, c.data.event, c.data.z, c.data.g, { cluster: office });
    expect(result.levels.find((l) => l.level === 'yes')!.reason).toMatch(/1 cluster in its smaller arm/);
    expect(result.test).toBeNull();
  });

  it('a clustered variance with fewer clusters than needed for the test: levels’ HRs, no test, a diagnostic', () => {
    const c = readFixture<InteractionFixture>('cox-interaction/three_levels_efron.json');
    // 2 clusters (each with both arms in every level): the clustered V has rank ≤ 1 < q = 2.
    const cluster = c.data.time.map((_, i) => (i % 2 === 0 ? 'A' : 'B'));
    const result = coxInteractionTest(c.data.time, c.data.event, c.data.z, c.data.g, { cluster });
    expect(result.test).toBeNull();
    expect(result.levels.filter((l) => l.tested)).toHaveLength(3);
    expect(result.diagnostics.map((d) => d.code)).toContain(CoxInteractionCode.singularVariance);
  });

  it('bad input is a TrialkitError with code and row', () => {
    const expectError = (f: () => unknown, code: string, row?: number) => {
      try {
        f();
        expect.unreachable('no error');
      } catch (error) {
        expect(isTrialkitError(error)).toBe(true);
        expect((error as { code: string }).code).toBe(code);
        if (row !== undefined) expect((error as { row?: number }).row).toBe(row);
      }
    };
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [0, 2, 1], ['a', 'b', 'a']), CoxInteractionCode.badAssignment, 2);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [1, 1, 1], ['a', 'b', 'a']), CoxInteractionCode.badAssignment);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [0, 1], ['a', 'b', 'a']), SurvivalErrorCode.lengthMismatch);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [0, 1, 0], ['a', null, 'a']), SurvivalErrorCode.missingValue, 2);
    expectError(() => coxInteractionTest([1, -2, 3], [1, 1, 0], [0, 1, 0], ['a', 'b', 'a']), SurvivalErrorCode.negativeTime, 2);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 2, 0], [0, 1, 0], ['a', 'b', 'a']), SurvivalErrorCode.badEvent, 2);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [0, 1, NaN], ['a', 'b', 'a']), SurvivalErrorCode.missingValue, 3);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [0, 1, 0], ['a', 'b', 'a'], { minimumArmSize: 0 }), CoxInteractionCode.badMinimumArmSize);
    expectError(() => coxInteractionTest([1, 2, 3], [1, 1, 0], [0, 1, 0], ['a', 'b', 'a'], { level: 2 }), SurvivalErrorCode.badLevel);
  });
});
