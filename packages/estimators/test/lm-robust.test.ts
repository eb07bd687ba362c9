import { describe, expect, it } from 'vitest';
import { lmRobust } from '../src/lm-robust.js';
import { lmLin } from '../src/lm-lin.js';
import { EstimatorsErrorCode } from '../src/errors.js';
import { caseData, estimatrCases, expectRows } from './cases.js';

// Expected values: estimatr::lm_robust and estimatr::lm_lin (fixtures/make-fixtures.R §3.2, §3.3).
describe('lm_robust against estimatr 1.0.0', () => {
  for (const c of estimatrCases.filter((x) => x.call === 'lm_robust')) {
    it(c.name, () => {
      const data = caseData(c);
      const result = lmRobust({
        outcome: data.numeric(c.args.outcome),
        columns: [c.args.assignment, ...(c.args.covariates ?? [])].map((name) => ({ name, values: data.numeric(name) })),
        ...(c.args.se === undefined ? {} : { seType: c.args.se }),
        ...(c.args.cluster === undefined ? {} : { cluster: data.grouping(c.args.cluster) }),
      });
      expectRows(result.terms, c.expected!.terms, c.name);
      expect(result.nObs).toBe(c.expected!.nobs);
      const expectedDropped = c.expected!.terms.filter((t) => t.estimate === null).map((t) => t.term);
      expect([...result.dropped].sort()).toEqual(expectedDropped.sort());
      expect(result.diagnostics.some((d) => d.code === 'EST_COLLINEAR_DROPPED')).toBe(expectedDropped.length > 0);
      for (const name of expectedDropped) {
        expect(result.diagnostics.find((d) => d.code === 'EST_COLLINEAR_DROPPED')!.message).toContain(`"${name}"`);
      }
    });
  }
  it('refuses HC types with clusters, CR types without, unknown types', () => {
    const outcome = Float64Array.of(1, 2, 3, 4, 5, 7);
    const columns = [{ name: 'z', values: Float64Array.of(0, 1, 0, 1, 0, 1) }];
    const cluster = { codes: Int32Array.of(0, 0, 1, 1, 2, 2), labels: ['a', 'b', 'c'] };
    expect(() => lmRobust({ outcome, columns, seType: 'HC2', cluster })).toThrow(expect.objectContaining({ code: EstimatorsErrorCode.heteroSeWithCluster }));
    expect(() => lmRobust({ outcome, columns, seType: 'CR2' })).toThrow(expect.objectContaining({ code: EstimatorsErrorCode.clusterSeWithoutCluster }));
    expect(() => lmRobust({ outcome, columns, seType: 'HC4' })).toThrow(expect.objectContaining({ code: EstimatorsErrorCode.badSeType }));
    expect(() => lmRobust({ outcome: Float64Array.of(1, NaN, 3, 4, 5, 6), columns })).toThrow(expect.objectContaining({ code: EstimatorsErrorCode.nonFinite, row: 2 }));
  });
});

describe('lm_lin against estimatr 1.0.0', () => {
  for (const c of estimatrCases.filter((x) => x.call === 'lm_lin')) {
    it(c.name, () => {
      const data = caseData(c);
      const result = lmLin({
        outcome: data.numeric(c.args.outcome),
        assignment: { name: c.args.assignment, values: data.numeric(c.args.assignment) },
        covariates: (c.args.covariates ?? []).map((name) => ({ name, values: data.numeric(name) })),
        ...(c.args.se === undefined ? {} : { seType: c.args.se }),
        ...(c.args.cluster === undefined ? {} : { cluster: data.grouping(c.args.cluster) }),
      });
      expectRows(result.terms, c.expected!.terms, c.name);
    });
  }
});
