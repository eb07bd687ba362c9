/** Small pieces the WHP analysis needs around the packages' calls: column access, row subsets, picking estimates. */
import type { Column, Dataset, Estimate } from '@trialkit/core';

export function column(data: Dataset, name: string): Column {
  const found = data.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`whp-rct: the data have no column "${name}"`);
  return found;
}

export function numbers(data: Dataset, name: string): Float64Array {
  const c = column(data, name);
  if (c.kind !== 'number') throw new Error(`whp-rct: column "${name}" is not numeric`);
  return c.values;
}

export function texts(data: Dataset, name: string): string[] {
  const c = column(data, name);
  return c.kind === 'text' ? c.values.map((v) => v ?? '') : Array.from(c.values, (v) => String(v));
}

/** The rows of `data` for which `keep(row)` is true (every column subset alike). */
export function subset(data: Dataset, keep: (row: number) => boolean): Dataset {
  const rows: number[] = [];
  for (let i = 0; i < data.nRows; i++) if (keep(i)) rows.push(i);
  const columns: Column[] = data.columns.map((c) =>
    c.kind === 'number'
      ? { kind: 'number', name: c.name, values: Float64Array.from(rows, (i) => c.values[i]!) }
      : { kind: 'text', name: c.name, values: rows.map((i) => c.values[i] ?? null) },
  );
  return { nRows: rows.length, columns };
}

/** Randomisation inference by the trial's own allocation scheme (see whp.ts). */
export interface SchemeRandomisationTest {
  /** The blocked difference in means on the observed assignment (the ITT estimate). */
  readonly observed: number;
  readonly draws: number;
  /** (1 + #{|T*| ≥ |T|}) / (1 + draws): a valid p-value for the sharp null of no effect. */
  readonly pValue: number;
  readonly scheme: string;
}

export function covers(e: { confLow: number; confHigh: number }, truth: number): boolean {
  return e.confLow <= truth && truth <= e.confHigh;
}

export function pick(estimates: readonly Estimate[], test: (e: Estimate) => boolean, what: string): Estimate {
  const found = estimates.find(test);
  if (found === undefined) throw new Error(`whp-rct: no ${what} estimate was produced`);
  return found;
}
