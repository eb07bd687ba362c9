/**
 * Adjusted p-values across a family of tests, exactly as R's stats::p.adjust computes them (its source is quoted
 * beside each method): Holm (1979), Bonferroni, Hochberg (1988) and Benjamini–Hochberg (1995, "BH", the false
 * discovery rate). A missing p-value (NaN) stays missing and does not count in the family size, as p.adjust's NA.
 */
import { TrialkitError } from '@trialkit/core';

export const P_ADJUST_METHODS = ['none', 'holm', 'bonferroni', 'hochberg', 'BH'] as const;
export type PAdjustMethod = (typeof P_ADJUST_METHODS)[number];

export function adjustPValues(pValues: readonly number[], method: PAdjustMethod): number[] {
  if (!P_ADJUST_METHODS.includes(method)) {
    throw new TrialkitError({
      code: 'EST_BAD_P_ADJUST_METHOD',
      argument: 'method',
      value: method,
      what: `"${String(method)}" is not a p-value adjustment method`,
      hint: `Use one of ${P_ADJUST_METHODS.join(', ')}.`,
    });
  }
  pValues.forEach((p, index) => {
    if (!Number.isNaN(p) && !(p >= 0 && p <= 1)) {
      throw new TrialkitError({
        code: 'EST_BAD_P_VALUE',
        argument: `pValues[${index}]`,
        value: p,
        what: `The p-value ${p} at position ${index + 1} is not between 0 and 1`,
        hint: 'Pass p-values (or NaN for a missing one).',
      });
    }
  });
  const out = [...pValues];
  const present = pValues.flatMap((p, index) => (Number.isNaN(p) ? [] : [{ p, index }]));
  const n = present.length;
  if (method === 'none' || n <= 1) return out;
  if (method === 'bonferroni') {
    // pmin(1, n * p)
    for (const { p, index } of present) out[index] = Math.min(1, n * p);
    return out;
  }
  if (method === 'holm') {
    // i <- seq_len(n); o <- order(p); pmin(1, cummax((n - i + 1L) * p[o]))[order(o)]
    present.sort((a, b) => a.p - b.p || a.index - b.index);
    let running = 0;
    present.forEach(({ p, index }, rank) => {
      running = Math.max(running, (n - rank) * p);
      out[index] = Math.min(1, running);
    });
    return out;
  }
  // i <- n:1L; o <- order(p, decreasing = TRUE)
  // hochberg: pmin(1, cummin((n + 1L - i) * p[o]))[order(o)];  BH: pmin(1, cummin(n / i * p[o]))[order(o)]
  present.sort((a, b) => b.p - a.p || a.index - b.index);
  let running = Number.POSITIVE_INFINITY;
  present.forEach(({ p, index }, position) => {
    const i = n - position;
    running = Math.min(running, method === 'hochberg' ? (n + 1 - i) * p : (n / i) * p);
    out[index] = Math.min(1, running);
  });
  return out;
}
