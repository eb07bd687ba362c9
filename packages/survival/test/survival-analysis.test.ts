import { describe, expect, it } from 'vitest';
import { isTrialkitError, type Column, type Dataset } from '@trialkit/core';
import { survivalAnalysis, type SurvivalSpec } from '../src/survival-analysis.js';
import { SurvivalErrorCode } from '../src/errors.js';
import { caseNames, expectAllClose, expectClose, readCase, type SurvivalCase } from './helpers.js';

/** The case's raw data (missing values included) as a Dataset, the way readData gives it. */
function datasetOf(c: SurvivalCase): Dataset {
  const numeric = (name: string, values: (number | null)[]): Column =>
    ({ kind: 'number', name, values: Float64Array.from(values, (v) => (v === null ? NaN : v)) });
  const columns: Column[] = [
    numeric('time', c.data.time),
    numeric('event', c.data.event),
    { kind: 'text', name: 'arm', values: c.data.arm },
    ...c.covariates.map((name) => numeric(name, c.data[name] as (number | null)[])),
  ];
  if (c.strata !== null && c.data.strata !== undefined) columns.push({ kind: 'text', name: c.strata, values: c.data.strata });
  if (c.cluster !== null && c.data.cluster !== undefined) columns.push({ kind: 'text', name: c.cluster, values: c.data.cluster });
  return { nRows: c.data.time.length, columns };
}

function specOf(c: SurvivalCase): SurvivalSpec {
  return {
    time: 'time', event: 'event', assignment: 'arm', covariates: c.covariates, horizon: c.horizon, times: c.times,
    level: c.level, ...(c.strata === null ? {} : { strata: c.strata }),
  };
}

describe.each(caseNames())('survivalAnalysis vs R: %s', (name) => {
  const c = readCase(name);
  const result = survivalAnalysis(datasetOf(c), specOf(c));
  it('drops incomplete rows (na.omit) with a diagnostic', () => {
    expect(result.nObs).toBe(c.nUsed);
    expect(result.nDropped).toBe(c.nDropped);
    expect(result.diagnostics.some((d) => d.code === 'SURVIVAL_MISSING_ROWS')).toBe(c.nDropped > 0);
  });
  it('KM per arm with median and CI, and the risk table', () => {
    expect(result.arms).toEqual(c.arms);
    result.km.forEach((arm, a) => {
      const expected = c.km.log[a]!;
      expect(arm.arm).toBe(expected.arm);
      expect(arm.n).toBe(expected.n);
      expect(arm.events).toBe(expected.events);
      expect(arm.times).toEqual(expected.time);
      expectAllClose(arm.survival, expected.surv, `${name} surv`);
      expectAllClose(arm.lower, expected.lower, `${name} lower`);
      expectAllClose(arm.upper, expected.upper, `${name} upper`);
      expectClose(arm.median, expected.median, `${name} median`);
      expectClose(arm.medianLow, expected.medianLow, `${name} medianLow`);
      expectClose(arm.medianHigh, expected.medianHigh, `${name} medianHigh`);
      expect(arm.atTimes.map((t) => t.nRisk)).toEqual(c.atTimes[a]!.nRisk);
    });
  });
  it('log-rank (stratified when strata are given)', () => {
    const expected = c.logRankStratified ?? c.logRank;
    expect(result.logRank.stratified).toBe(c.logRankStratified !== null);
    expectClose(result.logRank.statistic, expected.statistic, `${name} chisq`);
    expectClose(result.logRank.pValue, expected.pValue, `${name} p`);
    expect(result.logRank.df).toBe(expected.df);
  });
  it('the coxph Estimate: HR, SE of log HR, z, p, CI on the HR scale', () => {
    const cox = result.estimates.find((e) => e.estimator === 'coxph')!;
    expect(cox.estimand).toBe('ITT');
    expect(cox.df).toBe(Infinity);
    expect(cox.nObs).toBe(c.nUsed);
    expectClose(cox.estimate, c.cox.hr[0]!, `${name} HR`);
    expectClose(cox['logHazardRatio'] as number, c.cox.coef[0]!, `${name} log HR`);
    expectClose(cox.stdError, c.cox.se[0]!, `${name} se`);
    expectClose(cox.statistic, c.cox.z[0]!, `${name} z`);
    expectClose(cox.pValue, c.cox.p[0]!, `${name} p`);
    expectClose(cox.confLow, c.cox.lower[0]!, `${name} lower`);
    expectClose(cox.confHigh, c.cox.upper[0]!, `${name} upper`);
    expect(Object.isFrozen(cox)).toBe(true);
  });
  it('RMST and cumulative-incidence Estimates at the horizon', () => {
    const rmst = result.estimates.find((e) => e.estimator === 'rmst')!;
    expectClose(rmst.estimate, c.rmst.difference, `${name} rmst`, 1e-8, 1e-8);
    expectClose(rmst.stdError, c.rmst.stdError, `${name} rmst se`);
    expectClose(rmst.confLow, c.rmst.lower, `${name} rmst lower`);
    expect(rmst['horizon']).toBe(c.horizon);
    const inc = result.estimates.find((e) => e.estimator === 'km_cumulative_incidence')!;
    expectClose(inc.estimate, c.cumulativeIncidence.difference, `${name} incidence`, 1e-8, 1e-12);
    expectClose(inc.confHigh, c.cumulativeIncidence.differenceUpper, `${name} incidence upper`, 1e-8, 1e-12);
  });
  it('is JSON-serialisable with NA as null', () => {
    const json = JSON.parse(JSON.stringify(result)) as { km: { lower: (number | null)[] }[] };
    expect(json.km.length).toBe(2);
  });
});

describe('survivalAnalysis: clustered Cox variance', () => {
  it('cluster → robust clustered SE as coxph(... + cluster(office))', () => {
    const c = readCase('unequal');
    const result = survivalAnalysis(datasetOf(c), { ...specOf(c), cluster: c.cluster! });
    const cox = result.estimates[0]!;
    expect(cox.seType).toBe('robust_cluster');
    expect(cox.nClusters).toBe(12);
    expectClose(cox.stdError, c.coxCluster!.se[0]!, 'clustered se');
    expectClose(cox.confHigh, c.coxCluster!.upper[0]!, 'clustered upper');
  });
});

describe('survivalAnalysis: Breslow ties', () => {
  it('ties: "breslow" → coxph(ties = "breslow")', () => {
    const c = readCase('larger');
    const result = survivalAnalysis(datasetOf(c), { ...specOf(c), ties: 'breslow' });
    const cox = result.estimates[0]!;
    expect(cox['ties']).toBe('breslow');
    expectClose(cox.estimate, c.coxBreslow.hr[0]!, 'breslow HR');
    expectClose(cox.stdError, c.coxBreslow.naiveSe[0]!, 'breslow se');
  });
});

describe('survivalAnalysis: arrays instead of a Dataset, and arm choice', () => {
  it('takes plain arrays and an explicit control arm', () => {
    const c = readCase('aml');
    const result = survivalAnalysis(
      { time: c.data.time as number[], event: c.data.event as number[], assignment: c.data.arm },
      { time: 'time', event: 'status', assignment: 'x', arms: { control: 'Nonmaintained' }, horizon: 30 });
    expect(result.arms).toEqual({ control: 'Nonmaintained', treatment: 'Maintained' });
    const cox = result.estimates[0]!;
    // swapping the arms inverts the hazard ratio and keeps its SE
    expectClose(cox.estimate, 1 / c.coxArmOnly.hr[0]!, 'inverted HR');
    expectClose(cox.stdError, c.coxArmOnly.se[0]!, 'same SE');
  });
  it('names numeric arms as numbers ("1.0" is arm 1)', () => {
    const c = readCase('ties');
    const base = datasetOf(c);
    const numericArm: Dataset = {
      nRows: base.nRows,
      columns: base.columns.map((col) => (col.name === 'arm'
        ? { kind: 'number', name: 'arm', values: Float64Array.from(c.data.arm, Number) } : col)),
    };
    const result = survivalAnalysis(numericArm,
      { time: 'time', event: 'event', assignment: 'arm', horizon: 10, arms: { control: '1.0' } });
    expect(result.arms).toEqual({ control: '1', treatment: '0' });
  });
  it('defaults the horizon to the shorter last follow-up, with a diagnostic', () => {
    const c = readCase('ties');
    const result = survivalAnalysis(datasetOf(c), { time: 'time', event: 'event', assignment: 'arm' });
    expect(result.horizon).toBe(15);
    expect(result.diagnostics.map((d) => d.code)).toContain('SURVIVAL_DEFAULT_HORIZON');
  });
  it('says when a median is not reached', () => {
    const c = readCase('median_not_reached');
    const result = survivalAnalysis(datasetOf(c), specOf(c));
    expect(result.km[0]!.median).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toContain('SURVIVAL_MEDIAN_NOT_REACHED');
  });
});

describe('survivalAnalysis input checks', () => {
  const base: Dataset = {
    nRows: 4,
    columns: [
      { kind: 'number', name: 't', values: Float64Array.from([1, 2, 3, 4]) },
      { kind: 'number', name: 'e', values: Float64Array.from([1, 0, 1, 1]) },
      { kind: 'text', name: 'z', values: ['a', 'b', 'a', 'b'] },
    ],
  };
  const spec: SurvivalSpec = { time: 't', event: 'e', assignment: 'z' };
  const withColumn = (name: string, column: Column): Dataset =>
    ({ nRows: 4, columns: base.columns.map((c) => (c.name === name ? column : c)) });
  const failure = (data: Dataset, s: SurvivalSpec = spec) => {
    try { survivalAnalysis(data, s); } catch (error) { if (isTrialkitError(error)) return error; throw error; }
    throw new Error('expected a TrialkitError');
  };
  it('a missing column', () => {
    const error = failure(base, { ...spec, time: 'days' });
    expect(error.code).toBe(SurvivalErrorCode.missingColumn);
    expect(error.argument).toBe('--time');
  });
  it('a negative time, with its row and column', () => {
    const error = failure(withColumn('t', { kind: 'number', name: 't', values: Float64Array.from([1, 2, -3, 4]) }));
    expect(error.code).toBe(SurvivalErrorCode.negativeTime);
    expect(error.row).toBe(3);
    expect(error.column).toBe('t');
  });
  it('an event that is not 0/1', () => {
    const error = failure(withColumn('e', { kind: 'number', name: 'e', values: Float64Array.from([1, 2, 1, 1]) }));
    expect(error.code).toBe(SurvivalErrorCode.badEvent);
    expect(error.row).toBe(2);
  });
  it('a text time column', () => {
    const error = failure(withColumn('t', { kind: 'text', name: 't', values: ['1', '2', 'three', '4'] }));
    expect(error.code).toBe(SurvivalErrorCode.notNumeric);
    expect(error.row).toBe(3);
  });
  it('an arm without events', () => {
    const error = failure(withColumn('e', { kind: 'number', name: 'e', values: Float64Array.from([1, 0, 1, 0]) }));
    expect(error.code).toBe(SurvivalErrorCode.armWithoutEvents);
    expect(error.value).toBe('b');
  });
  it('one or three arms', () => {
    expect(failure(withColumn('z', { kind: 'text', name: 'z', values: ['a', 'a', 'a', 'a'] })).code)
      .toBe(SurvivalErrorCode.armCount);
    expect(failure(withColumn('z', { kind: 'text', name: 'z', values: ['a', 'b', 'c', 'a'] })).code)
      .toBe(SurvivalErrorCode.armCount);
  });
  it('an unknown arm name', () => {
    expect(failure(base, { ...spec, arms: { control: 'x' } }).code).toBe(SurvivalErrorCode.unknownArm);
  });
  it('a bad horizon, report times, level', () => {
    expect(failure(base, { ...spec, horizon: -1 }).code).toBe(SurvivalErrorCode.badHorizon);
    expect(failure(base, { ...spec, times: [Number.NaN] }).code).toBe(SurvivalErrorCode.badTimes);
    expect(failure(base, { ...spec, level: 1.2 }).code).toBe(SurvivalErrorCode.badLevel);
  });
  it('all rows missing', () => {
    const error = failure(withColumn('t', { kind: 'number', name: 't', values: Float64Array.from([NaN, NaN, NaN, NaN]) }));
    expect(error.code).toBe(SurvivalErrorCode.noRows);
  });
});
