/** Fixture loading and relative comparison for the survival tests (fixtures from fixtures/make-fixtures.R). */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function readFixture<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(fixturesDir, relativePath), 'utf8')) as T;
}

export function caseNames(): string[] {
  return readdirSync(join(fixturesDir, 'cases'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** |actual − expected| ≤ tolerance·max(|expected|, floor); R's NA/NaN/±Inf (JSON null) must be non-finite or null. */
export function expectClose(actual: number | null | undefined, expected: number | null, label: string,
  tolerance = 1e-8, floor = 1e-300): void {
  if (expected === null) {
    expect(actual === null || actual === undefined || !Number.isFinite(actual), `${label}: expected NA, got ${actual}`)
      .toBe(true);
    return;
  }
  expect(typeof actual === 'number' && Number.isFinite(actual), `${label}: expected ${expected}, got ${actual}`)
    .toBe(true);
  const a = actual as number;
  const scale = Math.max(Math.abs(expected), floor);
  expect(Math.abs(a - expected) / scale, `${label}: ${a} vs R ${expected}`).toBeLessThanOrEqual(tolerance);
}

export function expectAllClose(actual: ArrayLike<number | null>, expected: readonly (number | null)[], label: string,
  tolerance = 1e-8, floor = 1e-300): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expectClose(actual[i] ?? null, expected[i] ?? null, `${label}[${i}]`, tolerance, floor);
  }
}

export interface KmFixture {
  arm: string; n: number; events: number; time: number[]; nRisk: number[]; nEvent: number[]; nCensor: number[];
  surv: number[]; stdErr: (number | null)[]; lower: (number | null)[]; upper: (number | null)[];
  median: number | null; medianLow: number | null; medianHigh: number | null;
  quantileMedian: number | null; quantileLow: number | null; quantileHigh: number | null;
  rmean: number; rmeanSe: number;
}
export interface CoxFixture {
  terms: string[]; coef: number[]; se: number[]; z: number[]; p: number[]; hr: number[]; lower: number[];
  upper: number[]; loglik: number[]; iter: number; naiveSe: number[];
}
export interface LogRankFixture { statistic: number; df: number; pValue: number; observed: number[]; expected: number[] }
export interface ContrastFixture { horizon: number; difference: number; stdError: number; z: number; p: number }
export interface SurvivalCase {
  name: string; level: number; arms: { control: string; treatment: string }; strata: string | null;
  covariates: string[]; horizon: number; times: number[]; nUsed: number; nDropped: number;
  data: { time: (number | null)[]; event: (number | null)[]; arm: string[]; strata?: string[]; cluster?: string[] } &
    Record<string, unknown>;
  km: Record<'log' | 'log-log' | 'plain', KmFixture[]>;
  atTimes: { arm: string; time: number[]; nRisk: number[]; surv: number[]; stdErr: (number | null)[];
    lower: (number | null)[]; upper: (number | null)[] }[];
  logRank: LogRankFixture; logRankStratified: LogRankFixture | null;
  cox: CoxFixture; coxRobust: CoxFixture; coxArmOnly: CoxFixture; coxBreslow: CoxFixture; cluster: string | null; coxCluster: CoxFixture | null;
  rmst: ContrastFixture & { rmean: number[]; se: number[]; lower: number; upper: number };
  cumulativeIncidence: ContrastFixture & { incidence: number[]; se: number[]; lower: number[]; upper: number[];
    differenceLower: number; differenceUpper: number };
}

export function readCase(name: string): SurvivalCase {
  return readFixture<SurvivalCase>(`cases/${name}.json`);
}

/** The complete rows of a case (the na.omit R applied), as plain arrays. */
export function completeRows(c: SurvivalCase): {
  time: number[]; event: number[]; arm: string[]; strata?: string[]; cluster?: string[]; covariates: number[][];
} {
  const used = ['time', 'event', ...c.covariates];
  const n = c.data.time.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const ok = used.every((name) => (c.data[name] as (number | null)[])[i] !== null) &&
      (c.data.strata === undefined || c.data.strata[i] !== null);
    if (ok) keep.push(i);
  }
  const out = {
    time: keep.map((i) => c.data.time[i]!),
    event: keep.map((i) => c.data.event[i]!),
    arm: keep.map((i) => c.data.arm[i]!),
    covariates: c.covariates.map((name) => keep.map((i) => (c.data[name] as number[])[i]!)),
  };
  return {
    ...out,
    ...(c.data.strata === undefined ? {} : { strata: keep.map((i) => c.data.strata![i]!) }),
    ...(c.data.cluster === undefined ? {} : { cluster: keep.map((i) => c.data.cluster![i]!) }),
  };
}
