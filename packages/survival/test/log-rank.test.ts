import { describe, expect, it } from 'vitest';
import { logRank } from '../src/log-rank.js';
import { caseNames, completeRows, expectAllClose, expectClose, readCase } from './helpers.js';

describe.each(caseNames())('log-rank vs survdiff: %s', (name) => {
  const c = readCase(name);
  const rows = completeRows(c);
  it('unstratified: chisq, df, p, observed and expected', () => {
    const result = logRank(rows.time, rows.event, rows.arm);
    expect(result.groups).toEqual([c.arms.control, c.arms.treatment]);
    expectClose(result.statistic, c.logRank.statistic, `${name} chisq`);
    expect(result.df).toBe(c.logRank.df);
    expectClose(result.pValue, c.logRank.pValue, `${name} p`);
    expectAllClose(result.observed, c.logRank.observed, `${name} obs`);
    expectAllClose(result.expected, c.logRank.expected, `${name} exp`);
  });
  if (c.logRankStratified !== null) {
    it('stratified (strata()): chisq, df, p, observed and expected summed over strata', () => {
      const expected = c.logRankStratified!;
      const result = logRank(rows.time, rows.event, rows.arm, rows.strata);
      expect(result.stratified).toBe(true);
      expectClose(result.statistic, expected.statistic, `${name} stratified chisq`);
      expect(result.df).toBe(expected.df);
      expectClose(result.pValue, expected.pValue, `${name} stratified p`);
      expectAllClose(result.observed, expected.observed, `${name} stratified obs`);
      expectAllClose(result.expected, expected.expected, `${name} stratified exp`);
    });
  }
});

describe('log-rank with more than two groups', () => {
  it('three groups give df = 2 and the statistic is invariant to relabelling', () => {
    const time = [1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const event = [1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1];
    const group = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'];
    const relabelled = group.map((g) => ({ a: 'z', b: 'y', c: 'x' })[g]!);
    const first = logRank(time, event, group);
    const second = logRank(time, event, relabelled);
    expect(first.df).toBe(2);
    expectClose(second.statistic, first.statistic, 'relabelled chisq', 1e-12);
    // O − E sums to zero across groups
    const sum = first.observed.reduce((s, o, j) => s + o - first.expected[j]!, 0);
    expect(Math.abs(sum)).toBeLessThan(1e-12);
  });
});
