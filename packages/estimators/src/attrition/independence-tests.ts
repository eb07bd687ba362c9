/**
 * Tests of independence of arm and response on the 2×2 table
 *
 *                 did not respond   responded
 *   control            a               b
 *   treatment          c               d
 *
 * - Pearson's χ² without continuity correction, as R's chisq.test(table, correct = FALSE) and
 *   prop.test(x, n, correct = FALSE) (the same statistic): X² = N(ad − bc)² / (r₀ r₁ c₀ c₁), df 1.
 * - Fisher's exact test, two-sided, as R's fisher.test (stats/R/fisher.test.R, 2×2 case): conditional on the
 *   margins the top-left count is hypergeometric; the p-value sums the probabilities of every table no more likely
 *   than the observed one, where "no more likely" allows R's relative tolerance d ≤ d_obs·(1 + 1e−7), so tables
 *   whose probabilities equal the observed one up to rounding count.
 */
import { chiSquareSurvival } from '@trialkit/core';

export interface ResponseTable {
  /** Control arm: did not respond, responded. */
  readonly controlNonResponders: number;
  readonly controlResponders: number;
  /** Treatment arm: did not respond, responded. */
  readonly treatmentNonResponders: number;
  readonly treatmentResponders: number;
}

export interface ChiSquareTest {
  /** X²; null when a margin is zero (no one, or everyone, responded), where the test is undefined (R: NaN). */
  readonly statistic: number | null;
  readonly df: 1;
  readonly pValue: number | null;
  /** Smallest expected count; below 5 the χ² approximation is doubtful (R warns) and Fisher's test is preferred. */
  readonly minExpected: number;
  readonly method: string;
}

export interface FisherTest {
  readonly pValue: number;
  readonly method: string;
}

/** R's fisher.test tolerance for "as or less likely than the observed table". */
export const FISHER_RELATIVE_TOLERANCE = 1 + 1e-7;

export function pearsonChiSquare(table: ResponseTable): ChiSquareTest {
  const a = table.controlNonResponders;
  const b = table.controlResponders;
  const c = table.treatmentNonResponders;
  const d = table.treatmentResponders;
  const n = a + b + c + d;
  const rows = [a + b, c + d];
  const cols = [a + c, b + d];
  let minExpected = Infinity;
  for (const r of rows) for (const k of cols) minExpected = Math.min(minExpected, (r * k) / n);
  const method = "Pearson's chi-squared test of arm × response without continuity correction (R: chisq.test(correct = FALSE), prop.test(correct = FALSE))";
  if (rows[0] === 0 || rows[1] === 0 || cols[0] === 0 || cols[1] === 0) {
    return { statistic: null, df: 1, pValue: null, minExpected, method };
  }
  const cross = a * d - b * c;
  const statistic = (n * cross * cross) / (rows[0]! * rows[1]! * cols[0]! * cols[1]!);
  return { statistic, df: 1, pValue: chiSquareSurvival(statistic, 1), minExpected, method };
}

export function fisherExact(table: ResponseTable): FisherTest {
  // R's notation: x = table[1, 1]; m, n = column totals; k = first row total.
  const x = table.controlNonResponders;
  const m = table.controlNonResponders + table.treatmentNonResponders;
  const n = table.controlResponders + table.treatmentResponders;
  const k = table.controlNonResponders + table.controlResponders;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const method = "Fisher's exact test, two-sided (R: fisher.test; tables with probability ≤ the observed one × (1 + 1e-7))";
  // log of the hypergeometric probabilities up to a constant, by the ratio
  // d(j + 1)/d(j) = (m − j)(k − j) / ((j + 1)(n − k + j + 1)) from the bottom of the support.
  const size = hi - lo + 1;
  const logD = new Float64Array(size);
  let maxLog = 0;
  for (let i = 1; i < size; i++) {
    const j = lo + i - 1;
    logD[i] = logD[i - 1]! + Math.log((m - j) * (k - j)) - Math.log((j + 1) * (n - k + j + 1));
    if (logD[i]! > maxLog) maxLog = logD[i]!;
  }
  let total = 0;
  const d = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    d[i] = Math.exp(logD[i]! - maxLog);
    total += d[i]!;
  }
  const observed = d[x - lo]! * FISHER_RELATIVE_TOLERANCE;
  let tail = 0;
  for (let i = 0; i < size; i++) if (d[i]! <= observed) tail += d[i]!;
  return { pValue: Math.min(1, tail / total), method };
}
