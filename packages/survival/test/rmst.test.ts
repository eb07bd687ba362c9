import { describe, expect, it } from 'vitest';
import { kaplanMeier } from '../src/kaplan-meier.js';
import {
  cumulativeIncidence, cumulativeIncidenceDifference, restrictedMean, rmst, rmstDifference,
} from '../src/rmst.js';
import { caseNames, completeRows, expectAllClose, expectClose, readCase } from './helpers.js';

describe.each(caseNames())('RMST and cumulative incidence vs survival: %s', (name) => {
  const c = readCase(name);
  const rows = completeRows(c);
  const curveOf = (arm: string) => {
    const idx = rows.arm.map((a, i) => (a === arm ? i : -1)).filter((i) => i >= 0);
    return kaplanMeier(idx.map((i) => rows.time[i]!), idx.map((i) => rows.event[i]!), { level: c.level });
  };
  const control = { arm: c.arms.control, curve: curveOf(c.arms.control) };
  const treatment = { arm: c.arms.treatment, curve: curveOf(c.arms.treatment) };

  it('rmean and se(rmean) per arm (summary(fit, rmean = τ)$table)', () => {
    const expectedArms = c.km.log;
    expectedArms.forEach((expected, a) => {
      const r = restrictedMean(a === 0 ? control.curve : treatment.curve, c.horizon);
      expectClose(r.rmean, c.rmst.rmean[a]!, `${name}/${expected.arm} rmean`);
      expectClose(r.stdError, c.rmst.se[a]!, `${name}/${expected.arm} se(rmean)`, 1e-8, 1e-12);
    });
  });
  it('RMST difference with normal CI', () => {
    const d = rmstDifference(control, treatment, c.horizon, c.level);
    expectClose(d.difference, c.rmst.difference, `${name} rmst difference`, 1e-8, 1e-8);
    expectClose(d.stdError, c.rmst.stdError, `${name} rmst se`);
    expectClose(d.confLow, c.rmst.lower, `${name} rmst lower`);
    expectClose(d.confHigh, c.rmst.upper, `${name} rmst upper`);
    expectClose(d.pValue, c.rmst.p, `${name} rmst p`);
  });
  it('cumulative incidence 1 − S(τ) per arm and the difference', () => {
    const d = cumulativeIncidenceDifference(control, treatment, c.horizon, c.level);
    const ci = c.cumulativeIncidence;
    expectAllClose(d.arms.map((a) => a.estimate), ci.incidence, `${name} incidence`, 1e-8, 1e-12);
    expectAllClose(d.arms.map((a) => a.stdError), ci.se, `${name} incidence se`, 1e-8, 1e-12);
    expectAllClose(d.arms.map((a) => a.lower), ci.lower, `${name} incidence lower`, 1e-8, 1e-12);
    expectAllClose(d.arms.map((a) => a.upper), ci.upper, `${name} incidence upper`, 1e-8, 1e-12);
    expectClose(d.difference, ci.difference, `${name} incidence difference`, 1e-8, 1e-12);
    expectClose(d.stdError, ci.stdError, `${name} incidence difference se`, 1e-8, 1e-12);
    expectClose(d.confLow, ci.differenceLower, `${name} incidence difference lower`, 1e-8, 1e-12);
    expectClose(d.confHigh, ci.differenceUpper, `${name} incidence difference upper`, 1e-8, 1e-12);
  });
});

describe.each(caseNames())('rmst() and cumulativeIncidence() from raw arrays: %s', (name) => {
  const c = readCase(name);
  const rows = completeRows(c);
  it('equal R', () => {
    const r = rmst(rows.time, rows.event, rows.arm, c.horizon, { level: c.level, control: c.arms.control });
    expect(r.control).toBe(c.arms.control);
    expectClose(r.difference, c.rmst.difference, `${name} rmst difference`, 1e-8, 1e-8);
    expectClose(r.stdError, c.rmst.stdError, `${name} rmst se`);
    const inc = cumulativeIncidence(rows.time, rows.event, rows.arm, c.horizon, { level: c.level });
    expectClose(inc.difference, c.cumulativeIncidence.difference, `${name} incidence difference`, 1e-8, 1e-12);
    expectClose(inc.confLow, c.cumulativeIncidence.differenceLower, `${name} incidence lower`, 1e-8, 1e-12);
  });
  it('swapping control negates the difference', () => {
    const r = rmst(rows.time, rows.event, rows.arm, c.horizon, { control: c.arms.treatment });
    expect(r.control).toBe(c.arms.treatment);
    expectClose(r.difference, -c.rmst.difference, `${name} swapped`, 1e-8, 1e-8);
  });
});

describe('RMST closed forms', () => {
  it('no events: the area is the horizon, with zero variance', () => {
    const r = restrictedMean(kaplanMeier([5, 10], [0, 0]), 8);
    expect(r.rmean).toBe(8);
    expect(r.stdError).toBe(0);
  });
  it('horizon before the first time', () => {
    expect(restrictedMean(kaplanMeier([5, 10], [1, 1]), 2).rmean).toBe(2);
  });
  it('times 1..4 all events: area to 4 is 1 + 0.75 + 0.5 + 0.25', () => {
    expect(restrictedMean(kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]), 4).rmean).toBeCloseTo(2.5, 14);
  });
});
