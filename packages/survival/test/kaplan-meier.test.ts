import { describe, expect, it } from 'vitest';
import { isTrialkitError } from '@trialkit/core';
import { kaplanMeier, type ConfType } from '../src/kaplan-meier.js';
import { SurvivalErrorCode } from '../src/errors.js';
import { caseNames, completeRows, expectAllClose, expectClose, readCase } from './helpers.js';

function armRows(name: string, arm: string) {
  const rows = completeRows(readCase(name));
  const idx = rows.arm.map((a, i) => (a === arm ? i : -1)).filter((i) => i >= 0);
  return { time: idx.map((i) => rows.time[i]!), event: idx.map((i) => rows.event[i]!) };
}

describe.each(caseNames())('Kaplan–Meier vs survfit: %s', (name) => {
  const c = readCase(name);
  for (const confType of ['log', 'log-log', 'plain'] as ConfType[]) {
    it(`curve, Greenwood SE, ${confType} CIs and median with CI`, () => {
      for (const expected of c.km[confType]) {
        const { time, event } = armRows(name, expected.arm);
        const curve = kaplanMeier(time, event, { confType, level: c.level });
        const label = `${name}/${expected.arm}/${confType}`;
        expect(curve.n).toBe(expected.n);
        expect(curve.events).toBe(expected.events);
        expect(curve.time).toEqual(expected.time);
        expect(curve.nRisk).toEqual(expected.nRisk);
        expect(curve.nEvent).toEqual(expected.nEvent);
        expect(curve.nCensor).toEqual(expected.nCensor);
        expectAllClose(curve.survival, expected.surv, `${label} surv`);
        expectAllClose(curve.stdErr, expected.stdErr, `${label} std.err`);
        expectAllClose(curve.lower, expected.lower, `${label} lower`);
        expectAllClose(curve.upper, expected.upper, `${label} upper`);
        expectClose(curve.median, expected.median, `${label} median`);
        expectClose(curve.medianLow, expected.medianLow, `${label} median LCL`);
        expectClose(curve.medianHigh, expected.medianHigh, `${label} median UCL`);
        if (expected.median === null) expect(curve.median).toBeNull();
      }
    });
  }
  it('number at risk, S(t), its SE and CI at chosen times (summary(fit, times =, extend = TRUE))', () => {
    for (const expected of c.atTimes) {
      const { time, event } = armRows(name, expected.arm);
      const curve = kaplanMeier(time, event, { times: c.times, level: c.level });
      const label = `${name}/${expected.arm}`;
      expect(curve.atTimes.map((a) => a.time)).toEqual(expected.time);
      expect(curve.atTimes.map((a) => a.nRisk)).toEqual(expected.nRisk);
      expectAllClose(curve.atTimes.map((a) => a.survival), expected.surv, `${label} surv`);
      expectAllClose(curve.atTimes.map((a) => a.stdError), expected.stdErr, `${label} std.err`);
      expectAllClose(curve.atTimes.map((a) => a.lower), expected.lower, `${label} lower`);
      expectAllClose(curve.atTimes.map((a) => a.upper), expected.upper, `${label} upper`);
    }
  });
});

describe('Kaplan–Meier medians: the rules that matter', () => {
  it('a flat stretch exactly at 0.5 gives the midpoint (print.survfit)', () => {
    const c = readCase('flat_half');
    expect(c.km.log.map((k) => k.median)).toEqual([2.5, 8]);
    const curve = kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]);
    expect(curve.median).toBe(2.5);
  });
  it('a curve at 0.5 to the end of follow-up: print.survfit\'s median (the event time), not quantile()\'s', () => {
    const c = readCase('flat_half_to_end');
    expect(c.km.log[0]!.median).toBe(2);
    expect(c.km.log[0]!.quantileMedian).toBe(3);
    const { time, event } = armRows('flat_half_to_end', '0');
    expect(kaplanMeier(time, event).median).toBe(2);
  });
  it('a median not reached is null', () => {
    const c = readCase('median_not_reached');
    expect(c.km.log[0]!.median).toBeNull();
    const { time, event } = armRows('median_not_reached', 'a');
    expect(kaplanMeier(time, event).median).toBeNull();
  });
});

describe('Kaplan–Meier input checks', () => {
  const code = (f: () => unknown): string | undefined => {
    try { f(); } catch (error) { return isTrialkitError(error) ? error.code : 'not a TrialkitError'; }
    return undefined;
  };
  it('rejects negative times, non-0/1 events, missing values, bad options', () => {
    expect(code(() => kaplanMeier([1, -2], [1, 0]))).toBe(SurvivalErrorCode.negativeTime);
    expect(code(() => kaplanMeier([1, Infinity], [1, 0]))).toBe(SurvivalErrorCode.negativeTime);
    expect(code(() => kaplanMeier([1, 2], [1, 2]))).toBe(SurvivalErrorCode.badEvent);
    expect(code(() => kaplanMeier([1, NaN], [1, 0]))).toBe(SurvivalErrorCode.missingValue);
    expect(code(() => kaplanMeier([1, 2], [1]))).toBe(SurvivalErrorCode.lengthMismatch);
    expect(code(() => kaplanMeier([1, 2], [1, 0], { level: 95 }))).toBe(SurvivalErrorCode.badLevel);
    expect(code(() => kaplanMeier([1, 2], [1, 0], { confType: 'logit' as ConfType }))).toBe(SurvivalErrorCode.badConfType);
    expect(code(() => kaplanMeier([1, 2], [1, 0], { times: [-1] }))).toBe(SurvivalErrorCode.badTimes);
  });
  it('reports the 1-based row of the bad value', () => {
    try { kaplanMeier([1, 2, -3], [1, 0, 1]); } catch (error) {
      expect(isTrialkitError(error) && error.row).toBe(3);
    }
  });
});
