/**
 * Risk ratio (Katz), odds ratio (Woolf), Newcombe hybrid score interval and Wilson limits against R
 * (fixtures/contamination/make-fixtures.R: glm log-binomial / logistic Wald, prop.test(correct = FALSE), Newcombe
 * 1998 Table II), and the zero-cell convention against its closed form.
 */
import { describe, expect, it } from 'vitest';
import {
  BinaryErrorCode,
  newcombeFromCounts,
  newcombeRiskDifference,
  oddsRatio,
  oddsRatioFromCounts,
  riskRatio,
  riskRatioFromCounts,
  wilsonInterval,
} from '../../src/binary/index.js';
import type { TrialkitError } from '@trialkit/core';
import { CoreErrorCode, estimateToJSON } from '@trialkit/core';
import { expectClose, readFixture } from '../fixtures.js';
import { fixtureTrial, makeTrial } from '../contamination/make-trial.js';
import type { FixtureTrial } from '../contamination/make-trial.js';

interface WaldFixture {
  estimate: number; logEstimate: number; stdError: number; statistic: number; pValue: number; confLow: number; confHigh: number;
}
interface BinaryFixture {
  twoByTwo: { a: number; n1: number; c: number; n0: number; riskRatio: WaldFixture; oddsRatio: WaldFixture; propTest: { statistic: number; pValue: number } }[];
  newcombeTable2: { a: number; n1: number; c: number; n0: number; published: [number, number]; confLow: number; confHigh: number; confLow90: number; confHigh90: number }[];
  wilson: { x: number; n: number; ci95: [number, number]; ci80: [number, number] }[];
}
const fixture = readFixture<BinaryFixture>('contamination/binary.json');

function catchError(f: () => unknown): TrialkitError {
  try {
    f();
  } catch (error) {
    return error as TrialkitError;
  }
  throw new Error('expected a TrialkitError');
}

describe('Katz risk ratio and Woolf odds ratio match the saturated GLM Wald results in R', () => {
  for (const t of fixture.twoByTwo) {
    const table = { eventsTreatment: t.a, nTreatment: t.n1, eventsControl: t.c, nControl: t.n0 };
    it(`${t.a}/${t.n1} vs ${t.c}/${t.n0}`, () => {
      for (const [estimate, expected] of [
        [riskRatioFromCounts(table), t.riskRatio],
        [oddsRatioFromCounts(table), t.oddsRatio],
      ] as const) {
        // glm converges to ~1e-12 (epsilon 1e-14), so 1e-8 relative is well within its accuracy.
        expectClose(estimate.estimate, expected.estimate, 1e-8, 1e-12, 'estimate');
        expectClose(estimate['logEstimate'] as number, expected.logEstimate, 1e-8, 1e-12, 'log estimate');
        expectClose(estimate.stdError, expected.stdError, 1e-8, 1e-12, 'SE (log scale)');
        expectClose(estimate.statistic, expected.statistic, 1e-8, 1e-12, 'z');
        expectClose(estimate.pValue, expected.pValue, 1e-8, 1e-15, 'p');
        expectClose(estimate.confLow, expected.confLow, 1e-8, 1e-12, 'CI low');
        expectClose(estimate.confHigh, expected.confHigh, 1e-8, 1e-12, 'CI high');
        expect(estimate.diagnostics).toEqual([]);
        expect(estimate['stdErrorScale']).toBe('log');
      }
    });
  }

  it('reads the 2×2 table from a trial and names the estimate after its columns', () => {
    const data = readFixture<{ trial: FixtureTrial }>('contamination/compliance.json').trial;
    const trial = fixtureTrial(data, 'yb');
    const expected = fixture.twoByTwo[3]!;
    const rr = riskRatio(trial);
    const or = oddsRatio(trial, { level: 0.95 });
    expectClose(rr.estimate, expected.riskRatio.estimate, 1e-8, 1e-12, 'RR');
    expectClose(or.confHigh, expected.oddsRatio.confHigh, 1e-8, 1e-12, 'OR high');
    expect(rr.estimator).toBe('risk_ratio');
    expect(or.estimator).toBe('odds_ratio');
    expect(rr.term).toBe('z');
    expect(rr.outcome).toBe('yb');
    expect(rr.nObs).toBe(500);
    // JSON: the infinite df (normal reference) becomes null, as R's NA in jsonlite.
    expect(JSON.parse(JSON.stringify(estimateToJSON(rr)))['df']).toBeNull();
  });
});

describe('zero cells: Haldane–Anscombe +0.5 to all four cells, with a Diagnostic', () => {
  it('risk ratio 0/10 vs 5/10 follows the corrected closed form', () => {
    const rr = riskRatioFromCounts({ eventsTreatment: 0, nTreatment: 10, eventsControl: 5, nControl: 10 });
    // cells a=0.5, b=10.5, c=5.5, d=5.5; n₁ = n₀ = 11
    expect(rr.estimate).toBeCloseTo(0.5 / 11 / (5.5 / 11), 14);
    expect(rr.stdError).toBeCloseTo(Math.sqrt(1 / 0.5 - 1 / 11 + 1 / 5.5 - 1 / 11), 14);
    expect(rr['continuityCorrection']).toBe(0.5);
    expect(rr.diagnostics.map((d) => d.code)).toEqual(['ESTIMATORS_BINARY_ZERO_CELL_CORRECTED']);
  });
  it('odds ratio 10/10 vs 3/10 follows the corrected closed form', () => {
    const or = oddsRatioFromCounts({ eventsTreatment: 10, nTreatment: 10, eventsControl: 3, nControl: 10 });
    expect(or.estimate).toBeCloseTo((10.5 * 7.5) / (0.5 * 3.5), 12);
    expect(or.stdError).toBeCloseTo(Math.sqrt(1 / 10.5 + 1 / 0.5 + 1 / 3.5 + 1 / 7.5), 14);
    expect(or.diagnostics[0]?.severity).toBe('warning');
    expect(Number.isFinite(or.confLow) && Number.isFinite(or.confHigh)).toBe(true);
  });
});

describe('Newcombe hybrid score interval (method 10)', () => {
  for (const t of fixture.newcombeTable2) {
    it(`${t.a}/${t.n1} − ${t.c}/${t.n0} reproduces Newcombe (1998) Table II and R`, () => {
      const table = { eventsTreatment: t.a, nTreatment: t.n1, eventsControl: t.c, nControl: t.n0 };
      const estimate = newcombeFromCounts(table);
      expect(estimate.estimate).toBeCloseTo(t.a / t.n1 - t.c / t.n0, 15);
      expectClose(estimate.confLow, t.confLow, 1e-8, 1e-12, 'low');
      expectClose(estimate.confHigh, t.confHigh, 1e-8, 1e-12, 'high');
      // published to 4 decimal places
      expect(Math.abs(estimate.confLow - t.published[0])).toBeLessThanOrEqual(5e-5);
      expect(Math.abs(estimate.confHigh - t.published[1])).toBeLessThanOrEqual(5e-5);
      const at90 = newcombeFromCounts(table, { level: 0.9 });
      expectClose(at90.confLow, t.confLow90, 1e-8, 1e-12, 'low 90%');
      expectClose(at90.confHigh, t.confHigh90, 1e-8, 1e-12, 'high 90%');
      expect(estimate.estimator).toBe('newcombe');
    });
  }
  it("reports prop.test(correct = FALSE)'s score test as statistic and p-value", () => {
    for (const t of fixture.twoByTwo) {
      const estimate = newcombeFromCounts({ eventsTreatment: t.a, nTreatment: t.n1, eventsControl: t.c, nControl: t.n0 });
      expectClose(estimate.statistic ** 2, t.propTest.statistic, 1e-8, 1e-12, 'X-squared');
      expectClose(estimate.pValue, t.propTest.pValue, 1e-8, 1e-15, 'p');
    }
  });
  it('works on a trial', () => {
    const trial = makeTrial({ z: [1, 1, 1, 0, 0, 0, 0], y: [1, 1, 0, 0, 0, 1, 0] });
    const estimate = newcombeRiskDifference(trial);
    expect(estimate.estimate).toBeCloseTo(2 / 3 - 1 / 4, 15);
    expect(estimate.confLow).toBeLessThan(estimate.estimate);
    expect(estimate.term).toBe('z');
  });
});

describe('Wilson score limits equal prop.test(correct = FALSE)', () => {
  for (const w of fixture.wilson) {
    it(`${w.x}/${w.n}`, () => {
      const at95 = wilsonInterval(w.x, w.n, 0.95);
      const at80 = wilsonInterval(w.x, w.n, 0.8);
      expectClose(at95.confLow, w.ci95[0], 1e-8, 1e-14, '95 low');
      expectClose(at95.confHigh, w.ci95[1], 1e-8, 1e-14, '95 high');
      expectClose(at80.confLow, w.ci80[0], 1e-8, 1e-14, '80 low');
      expectClose(at80.confHigh, w.ci80[1], 1e-8, 1e-14, '80 high');
    });
  }
});

describe('bad input is refused', () => {
  it('a non-0/1 outcome, naming the source row and column', () => {
    const trial = makeTrial({ z: [1, 1, 0, 0], y: [1, 0, 2, 0] }, 'employed');
    for (const f of [riskRatio, oddsRatio, newcombeRiskDifference]) {
      const error = catchError(() => f(trial));
      expect(error.code).toBe(BinaryErrorCode.outcomeNotBinary);
      expect(error.row).toBe(3);
      expect(error.column).toBe('employed');
      expect(error.message).toContain('0/1');
    }
  });
  it('an empty arm', () => {
    const error = catchError(() => riskRatio(makeTrial({ z: [1, 1, 1], y: [1, 0, 1] })));
    expect(error.code).toBe(BinaryErrorCode.emptyArm);
  });
  it('impossible counts and levels', () => {
    expect(catchError(() => riskRatioFromCounts({ eventsTreatment: 11, nTreatment: 10, eventsControl: 1, nControl: 10 })).code)
      .toBe(BinaryErrorCode.badCounts);
    expect(catchError(() => oddsRatioFromCounts({ eventsTreatment: 1, nTreatment: 10, eventsControl: 1, nControl: 10 }, { level: 95 })).code)
      .toBe(CoreErrorCode.badLevel);
  });
});
