/**
 * The log-rank test, as R's survdiff(Surv(time, event) ~ group [+ strata(s)], rho = 0).
 */
import { chiSquareSurvival } from '@trialkit/core';
import { checkTimesAndEvents, codeLabels, orderByTime, splitOrder, type Labels, type Values } from './input.js';

export interface LogRankResult {
  /** The chi-square statistic (survdiff's chisq). */
  readonly statistic: number;
  /** Degrees of freedom: groups with a positive expected count, minus one. */
  readonly df: number;
  readonly pValue: number;
  readonly groups: readonly string[];
  /** Observed and expected events per group, summed over strata. */
  readonly observed: number[];
  readonly expected: number[];
  /** Variance matrix of observed − expected (row-major, groups × groups). */
  readonly variance: number[];
  readonly stratified: boolean;
}

/** Log-rank test of equal hazards across groups, stratified when `strata` is given. */
export function logRank(time: Values, event: Values, group: Labels, strata?: Labels): LogRankResult {
  const checked = checkTimesAndEvents(time, event);
  const groups = codeLabels(group, '--assignment');
  const strataCoding = strata === undefined ? undefined : codeLabels(strata, '--strata');
  const order = orderByTime(checked.time);
  return logRankSorted(checked.time, checked.event, groups.codes, groups.labels, order,
    strataCoding === undefined ? undefined : { codes: strataCoding.codes, count: strataCoding.labels.length });
}

/**
 * The kernel. Within each stratum, at each distinct event time with n at risk, d events, n_j at risk in group j:
 *   O_j += d_j,  E_j += d·n_j/n,  V_jk += d (n − d)/(n − 1) · (n_j/n)(δ_jk − n_k/n)      (n > 1)
 * then chisq = (O − E)′ V⁻ (O − E) over the groups with E > 0, dropping the first (survdiff's R code;
 * Peto & Peto 1972; survival's survdiff2.c for the variance).
 */
export function logRankSorted(time: Float64Array, event: Uint8Array, codes: Int32Array, labels: readonly string[],
  order: Uint32Array, strata?: { codes: Int32Array; count: number }): LogRankResult {
  const k = labels.length;
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const blocks = strata === undefined ? [order] : splitOrder(order, strata.codes, strata.count);
  const atRisk = new Float64Array(k);
  const deaths = new Float64Array(k);
  const leaving = new Float64Array(k);
  for (const block of blocks) {
    atRisk.fill(0);
    for (let r = 0; r < block.length; r++) atRisk[codes[block[r]!]!]! += 1;
    let nTotal = block.length;
    let r = 0;
    while (r < block.length) {
      const t = time[block[r]!]!;
      deaths.fill(0);
      leaving.fill(0);
      let d = 0;
      let m = 0;
      while (r < block.length && time[block[r]!] === t) {
        const i = block[r]!;
        const g = codes[i]!;
        leaving[g]! += 1;
        if (event[i] === 1) {
          deaths[g]! += 1;
          d += 1;
        }
        m += 1;
        r += 1;
      }
      if (d > 0) {
        const n = nTotal;
        const factor = n > 1 ? (d * (n - d)) / (n - 1) : 0;
        for (let j = 0; j < k; j++) {
          const share = atRisk[j]! / n;
          observed[j]! += deaths[j]!;
          expected[j]! += d * share;
          if (factor !== 0) {
            for (let l = 0; l < k; l++) {
              variance[j * k + l]! += factor * share * ((j === l ? 1 : 0) - atRisk[l]! / n);
            }
          }
        }
      }
      for (let j = 0; j < k; j++) atRisk[j]! -= leaving[j]!;
      nTotal -= m;
    }
  }
  const kept: number[] = [];
  for (let j = 0; j < k; j++) if (expected[j]! > 0) kept.push(j);
  let statistic = 0;
  if (kept.length >= 2) {
    const used = kept.slice(1);
    const m = used.length;
    const a = new Float64Array(m * m);
    const b = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      b[p] = observed[used[p]!]! - expected[used[p]!]!;
      for (let q = 0; q < m; q++) a[p * m + q] = variance[used[p]! * k + used[q]!]!;
    }
    const solution = solveSymmetric(a, b, m);
    for (let p = 0; p < m; p++) statistic += solution[p]! * b[p]!;
  }
  const df = kept.length - 1;
  return {
    statistic,
    df,
    pValue: df > 0 ? chiSquareSurvival(statistic, df) : NaN,
    groups: labels,
    observed: Array.from(observed),
    expected: Array.from(expected),
    variance: Array.from(variance),
    stratified: strata !== undefined,
  };
}

/** Solve A x = b for a small dense matrix by Gaussian elimination with partial pivoting. */
function solveSymmetric(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  const mat = Float64Array.from(a);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let row = col + 1; row < m; row++) {
      if (Math.abs(mat[row * m + col]!) > Math.abs(mat[pivot * m + col]!)) pivot = row;
    }
    if (pivot !== col) {
      for (let c = 0; c < m; c++) {
        const tmp = mat[col * m + c]!;
        mat[col * m + c] = mat[pivot * m + c]!;
        mat[pivot * m + c] = tmp;
      }
      const tmp = x[col]!;
      x[col] = x[pivot]!;
      x[pivot] = tmp;
    }
    const diag = mat[col * m + col]!;
    for (let row = col + 1; row < m; row++) {
      const f = mat[row * m + col]! / diag;
      if (f === 0) continue;
      for (let c = col; c < m; c++) mat[row * m + c]! -= f * mat[col * m + c]!;
      x[row]! -= f * x[col]!;
    }
  }
  for (let row = m - 1; row >= 0; row--) {
    let s = x[row]!;
    for (let c = row + 1; c < m; c++) s -= mat[row * m + c]! * x[c]!;
    x[row] = s / mat[row * m + row]!;
  }
  return x;
}
