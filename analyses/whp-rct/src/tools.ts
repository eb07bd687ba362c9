/**
 * Small pieces the WHP analysis needs around the packages' calls: column access, row subsets, and randomisation
 * inference that re-runs the trial's own allocation scheme (@trialkit/allocation) instead of an approximation to it.
 */
import type { Column, Dataset, Estimate } from '@trialkit/core';
import { assignArms, type AllocationRequest } from '@trialkit/allocation';

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

export interface SchemeRandomisationTest {
  readonly observed: number;
  readonly draws: number;
  readonly nAsExtreme: number;
  /** (1 + #{|T*| ≥ |T|}) / (1 + draws): a valid p-value for the sharp null of no effect. */
  readonly pValue: number;
  readonly scheme: string;
}

/** Block-weighted difference in means Σ_b (n_b/N)(ȳ₁_b − ȳ₀_b), the estimator of estimatr's blocked difference_in_means. */
export function blockedDifference(y: Float64Array, treated: (i: number) => boolean, block: Int32Array, nBlocks: number): number {
  const sum1 = new Float64Array(nBlocks);
  const sum0 = new Float64Array(nBlocks);
  const n1 = new Float64Array(nBlocks);
  const n0 = new Float64Array(nBlocks);
  for (let i = 0; i < y.length; i++) {
    const b = block[i]!;
    if (treated(i)) {
      sum1[b]! += y[i]!;
      n1[b]! += 1;
    } else {
      sum0[b]! += y[i]!;
      n0[b]! += 1;
    }
  }
  let total = 0;
  let n = 0;
  for (let b = 0; b < nBlocks; b++) {
    if (n1[b]! === 0 || n0[b]! === 0) continue;
    total += (n1[b]! + n0[b]!) * (sum1[b]! / n1[b]! - sum0[b]! / n0[b]!);
    n += n1[b]! + n0[b]!;
  }
  return total / n;
}

/**
 * Randomisation inference by re-running the allocation scheme the trial used: each redraw is the same request
 * (ids, strata, arms, block sizes) with seed `${seed}/ri/${k}`, so the reference distribution is that of the
 * actual design (permuted blocks of random size within office), not a stand-in such as complete randomisation
 * within block. Statistic: the block-weighted difference in means.
 */
export function schemeRandomisationTest(
  request: Omit<AllocationRequest, 'seed'>,
  treatmentArm: string,
  y: Float64Array,
  observedTreated: (i: number) => boolean,
  draws: number,
  seed: string,
): SchemeRandomisationTest {
  const labels = request.strata ?? request.ids.map(() => '');
  const codes = new Map<string, number>();
  const block = Int32Array.from(labels, (label) => {
    const s = label ?? '';
    if (!codes.has(s)) codes.set(s, codes.size);
    return codes.get(s)!;
  });
  const observed = blockedDifference(y, observedTreated, block, codes.size);
  let nAsExtreme = 0;
  let scheme = '';
  for (let k = 0; k < draws; k++) {
    const { arms, result } = assignArms({ ...request, seed: `${seed}/ri/${k}` });
    scheme = result.version;
    const t = arms.findIndex((a) => a.name === treatmentArm);
    const statistic = blockedDifference(y, (i) => result.armIndex[i] === t, block, codes.size);
    if (Math.abs(statistic) >= Math.abs(observed) - 1e-12) nAsExtreme += 1;
  }
  return { observed, draws, nAsExtreme, pValue: (1 + nAsExtreme) / (1 + draws), scheme };
}

export function covers(e: { confLow: number; confHigh: number }, truth: number): boolean {
  return e.confLow <= truth && truth <= e.confHigh;
}

export function pick(estimates: readonly Estimate[], test: (e: Estimate) => boolean, what: string): Estimate {
  const found = estimates.find(test);
  if (found === undefined) throw new Error(`whp-rct: no ${what} estimate was produced`);
  return found;
}
