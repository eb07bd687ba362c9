import { describe, expect, it } from 'vitest';
import type { Dataset } from '@trialkit/core';
import { estimate } from '../src/estimate.js';
import { caceRandomisationSet } from '../src/randomisation-inference/index.js';
import { prepareTrial } from '@trialkit/data';
import { estimatrCases, type TidyRow } from './cases.js';
import { expectClose, readCsv } from './fixtures.js';

// Expected values: the estimatr cases of fixtures/make-fixtures.R §3, reached through the high-level entry with a
// Dataset (so prepareTrial's na.omit, arm coding and grouping are in the path).
function dataset(file: string): Dataset {
  const table = readCsv(file);
  const columns = Object.entries(table)
    .filter(([name]) => name !== 'nRows')
    .map(([name, values]) =>
      values instanceof Float64Array
        ? { kind: 'number' as const, name, values }
        : { kind: 'text' as const, name, values: (values as string[]).map((v) => (v === 'NA' ? null : v)) },
    );
  return { nRows: table.nRows, columns };
}

function expected(name: string): NonNullable<(typeof estimatrCases)[number]['expected']> {
  const c = estimatrCases.find((x) => x.name === name);
  if (c?.expected === undefined) throw new Error(`no case ${name}`);
  return c.expected;
}

function expectEstimate(actual: { estimate: number; stdError: number; df: number; pValue: number; confLow: number; confHigh: number; statistic: number }, row: TidyRow, label: string): void {
  expectClose(actual.estimate, row.estimate, 1e-8, 1e-12, `${label} estimate`);
  expectClose(actual.stdError, row.std_error, 1e-8, 1e-12, `${label} std error`);
  expectClose(actual.statistic, row.statistic, 1e-8, 1e-12, `${label} statistic`);
  expectClose(actual.df, row.df, 1e-8, 1e-12, `${label} df`);
  expectClose(actual.pValue, row.p_value, 1e-8, 0, `${label} p`);
  expectClose(actual.confLow, row.conf_low, 1e-8, 1e-12, `${label} conf low`);
  expectClose(actual.confHigh, row.conf_high, 1e-8, 1e-12, `${label} conf high`);
}

const term = (rows: TidyRow[], name: string): TidyRow => rows.find((r) => r.term === name)!;

describe('estimate() defaults are estimatr\'s', () => {
  it('no covariates → difference_in_means (NSW)', () => {
    const result = estimate(dataset('nsw.csv'), { roles: { outcome: 're78', assignment: 'treat' } });
    expect(result.estimates).toHaveLength(1);
    const itt = result.estimates[0]!;
    expect(itt).toMatchObject({ estimand: 'ITT', estimator: 'difference_in_means', term: 'treat', seType: 'Welch', design: 'Standard', nObs: 445, outcome: 're78' });
    expectEstimate(itt, expected('dim nsw re78').terms[0]!, 'ITT');
    expect(result.compliance).toBeNull();
  });
  it('blocks → blocked difference in means', () => {
    const result = estimate(dataset('blocked.csv'), { roles: { outcome: 'y', assignment: 'z', blocks: 'block' } });
    expect(result.estimates[0]).toMatchObject({ design: 'Blocked', nBlocks: 7 });
    expectEstimate(result.estimates[0]!, expected('dim blocked').terms[0]!, 'blocked');
  });
  it('covariates → lm_robust HC2 (NSW)', () => {
    const covariates = ['age', 'educ', 'black', 'hisp', 'married', 'nodegr', 're74', 're75'];
    const result = estimate(dataset('nsw.csv'), { roles: { outcome: 're78', assignment: 'treat', covariates } });
    expect(result.estimates[0]).toMatchObject({ estimator: 'lm_robust', seType: 'HC2', term: 'treat' });
    expectEstimate(result.estimates[0]!, term(expected('lm nsw HC2').terms, 'treat'), 'ITT');
  });
  it('lin → lm_lin', () => {
    const result = estimate(dataset('nsw.csv'), { roles: { outcome: 're78', assignment: 'treat', covariates: ['age', 'educ', 're74', 're75'] }, lin: true });
    expect(result.estimates[0]).toMatchObject({ estimator: 'lm_lin' });
    expectEstimate(result.estimates[0]!, term(expected('lin nsw HC2').terms, 'treat'), 'Lin');
  });
  it('received + covariates + cluster → ITT, first stage, CACE (CR2) and the Anderson–Rubin set', () => {
    const result = estimate(dataset('clusters.csv'), {
      roles: { outcome: 'y', assignment: 'z', received: 'd', covariates: ['x1', 'x2'], cluster: 'cluster' },
    });
    const e = expected('iv clusters CR2');
    expect(result.estimates.map((x) => x.estimand)).toEqual(['ITT', 'first-stage', 'CACE']);
    expect(result.estimates.map((x) => x.seType)).toEqual(['CR2', 'CR2', 'CR2']);
    expect(result.estimates[2]!.nClusters).toBe(16);
    expectEstimate(result.estimates[0]!, term(e.itt_terms!, 'z'), 'ITT');
    expectEstimate(result.estimates[1]!, term(e.first_stage_terms!, 'z'), 'first stage');
    expectEstimate(result.estimates[2]!, term(e.terms, 'd'), 'CACE');
    expectClose(result.estimates[2]!['firstStageF'] as number, e.first_stage_f!.value, 1e-8, 0, 'F');
    const ar = result.estimates[2]!['andersonRubin'] as { shape: string; lower: number; upper: number };
    expect(ar.shape).toBe('interval');
    expectClose(ar.lower, e.anderson_rubin!.roots![0]!, 1e-8, 0, 'AR lower');
    expectClose(ar.upper, e.anderson_rubin!.roots![1]!, 1e-8, 0, 'AR upper');
    expect(result.compliance).not.toBeNull();
  });
  it('ri with received: the ITT gains its randomisation p-value and the CACE its randomisation set, on the same assignments', () => {
    const data = dataset('clusters.csv');
    const roles = { outcome: 'y', assignment: 'z', received: 'd', cluster: 'cluster' };
    const result = estimate(data, { roles, ri: { draws: 3000, seed: 'cace-set' }, level: 0.9 });
    const cace = result.estimates.find((e) => e.estimand === 'CACE')!;
    const set = cace['riSet'] as { shape: string; intervals: { lower: number | null; upper: number | null }[]; level: number; exact: boolean; draws: number; waldRatio: number };
    const direct = caceRandomisationSet(prepareTrial(data, roles), { draws: 3000, seed: 'cace-set', level: 0.9 });
    expect(set.shape).toBe(direct.shape);
    expect(set.level).toBe(0.9);
    expect(set.draws).toBe(direct.riDraws);
    expect(set.exact).toBe(direct.exact);
    expect(set.intervals).toEqual(direct.intervals.map((i) => ({ lower: Number.isFinite(i.lower) ? i.lower : null, upper: Number.isFinite(i.upper) ? i.upper : null })));
    // Without covariates the Wald ratio is the 2SLS point estimate; a bounded set contains it.
    expectClose(set.waldRatio, cace.estimate, 1e-10, 0, 'Wald ratio');
    if (set.shape === 'interval') {
      expect(set.intervals[0]!.lower!).toBeLessThan(cace.estimate);
      expect(set.intervals[0]!.upper!).toBeGreaterThan(cace.estimate);
    }
    expect(typeof result.estimates[0]!['riPValue']).toBe('number');
    expect(JSON.parse(JSON.stringify(cace))['riSet']).toEqual(set);
  });
  it('missing values are dropped as na.omit over the used columns', () => {
    const result = estimate(dataset('missing.csv'), { roles: { outcome: 'y', assignment: 'z', received: 'd', covariates: ['x1'] } });
    const e = expected('iv missing HC2');
    expect(result.estimates[0]!.nObs).toBe(e.nobs);
    expectEstimate(result.estimates[0]!, term(e.itt_terms!, 'z'), 'ITT');
    expectEstimate(result.estimates[2]!, term(e.terms, 'd'), 'CACE');
  });
  it('a weak instrument: F < 10 and an unbounded Anderson–Rubin set are diagnosed', () => {
    const result = estimate(dataset('weakiv.csv'), { roles: { outcome: 'y', assignment: 'z', received: 'd', covariates: ['x1'] } });
    expect(result.estimates[2]!.diagnostics.map((d) => d.code)).toContain('EST_WEAK_INSTRUMENT');
    expect(result.diagnostics.map((d) => d.code)).toContain('EST_AR_SET_UNBOUNDED');
    expect((result.estimates[2]!['andersonRubin'] as { shape: string }).shape).toBe('whole-line');
  });
  it('binary outcome: --measure rr adds a risk ratio after the risk difference', () => {
    const result = estimate(dataset('nsw.csv'), { roles: { outcome: 'employed78', assignment: 'treat' }, measure: 'rr', newcombe: true });
    expect(result.estimates.map((x) => x.estimator)).toEqual(['difference_in_means', 'risk_ratio', 'newcombe']);
    expectEstimate(result.estimates[0]!, expected('dim nsw employed78 (binary)').terms[0]!, 'RD');
  });
});
