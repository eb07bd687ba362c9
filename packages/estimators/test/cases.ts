/** The estimatr cases of fixtures/estimatr-cases.json (make-fixtures.R §3) and how to turn them into inputs. */
import type { GroupCodes } from '../src/checks.js';
import { readCsv, readFixture } from './fixtures.js';

export interface TidyRow {
  term: string;
  estimate: number | null;
  std_error: number | null;
  statistic: number | null;
  df: number | null;
  p_value: number | null;
  conf_low: number | null;
  conf_high: number | null;
}

export interface EstimatrCase {
  name: string;
  data: string;
  call: 'difference_in_means' | 'lm_robust' | 'lm_lin' | 'iv_robust';
  args: {
    outcome: string;
    assignment: string;
    received?: string;
    covariates?: string[];
    se?: string;
    cluster?: string;
    blocks?: string;
  };
  warning: string | null;
  error?: string;
  expected?: {
    terms: TidyRow[];
    nobs: number;
    design?: string;
    nclusters?: number;
    nblocks?: number;
    shifted_terms?: TidyRow[];
    itt_terms?: TidyRow[];
    first_stage_terms?: TidyRow[];
    first_stage_f?: { value: number; numdf: number; dendf: number; p_value: number };
    anderson_rubin?: { type: string; roots: number[] | null; critical: number };
  };
}

export const estimatrCases = readFixture<{ cases: EstimatrCase[] }>('estimatr-cases.json').cases;

/** Columns of a case's data with R's na.omit over the used columns applied. */
export interface CaseData {
  n: number;
  numeric(name: string): Float64Array;
  grouping(name: string): GroupCodes;
}

export function caseData(c: EstimatrCase): CaseData {
  const table = readCsv(c.data);
  const used = [c.args.outcome, c.args.assignment, c.args.received, ...(c.args.covariates ?? []), c.args.cluster, c.args.blocks].filter(
    (x): x is string => x !== undefined,
  );
  const keep: number[] = [];
  for (let i = 0; i < table.nRows; i++) {
    const complete = used.every((name) => {
      const col = table[name];
      if (col === undefined) throw new Error(`no column ${name} in ${c.data}`);
      return col instanceof Float64Array ? !Number.isNaN(col[i]!) : col[i] !== 'NA';
    });
    if (complete) keep.push(i);
  }
  return {
    n: keep.length,
    numeric(name) {
      const col = table[name];
      if (!(col instanceof Float64Array)) throw new Error(`${name} is not numeric`);
      return Float64Array.from(keep, (i) => col[i]!);
    },
    grouping(name) {
      const col = table[name]!;
      const values = keep.map((i) => String(col instanceof Float64Array ? col[i] : col[i]));
      // R's factor levels: sorted unique values.
      const labels = [...new Set(values)].sort();
      const index = new Map(labels.map((l, j) => [l, j]));
      return { name, codes: Int32Array.from(values, (v) => index.get(v)!), labels };
    },
  };
}

import { expect } from 'vitest';
import type { CoefficientRow } from '../src/checks.js';
import { expectClose } from './fixtures.js';

/** Compare tidy rows term by term (1e-8 relative; NA in R ⇔ NaN here). */
export function expectRows(actual: readonly CoefficientRow[], expected: readonly TidyRow[], label: string, rel = 1e-8): void {
  expect(actual.map((r) => r.term), label).toEqual(expected.map((r) => r.term));
  expected.forEach((row, i) => {
    const got = actual[i]!;
    const at = `${label} ${row.term}`;
    expectClose(got.estimate, row.estimate, rel, 1e-12, `${at} estimate`);
    expectClose(got.stdError, row.std_error, rel, 1e-12, `${at} std error`);
    expectClose(got.statistic, row.statistic, rel, 1e-10, `${at} statistic`);
    expectClose(got.df, row.df, rel, 1e-12, `${at} df`);
    expectClose(got.pValue, row.p_value, rel, 0, `${at} p`);
    expectClose(got.confLow, row.conf_low, rel, 1e-12, `${at} conf low`);
    expectClose(got.confHigh, row.conf_high, rel, 1e-12, `${at} conf high`);
  });
}
