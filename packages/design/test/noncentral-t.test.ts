/**
 * noncentralTCdf against R's pt(q, df, ncp) on a 1,200-point grid (fixtures/noncentral-t.json, written by
 * fixtures/make-fixtures.R): both tails, t from −6 to 30, df from 1 to 5·10⁵ (R's normal approximation above
 * 4·10⁵), ncp from −3 to 45 (above 37.62 R's normal approximation too).
 * Tolerance 1e-10 relative, or 1e-12 absolute: R's series stops when its error bound is below 1e-12 (errmax in
 * pnt.c), so tiny tail probabilities are only that accurate in R too. Against 40-digit quadrature (mpmath) at the
 * seven grid points where the two differ by more than 1e-14 (df 1000–20000, tails below 1e-4), this code is
 * within 6e-14 of the truth and R within 1.3e-13. Every probability above 1e-3 agrees to 1e-10 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noncentralTCdf } from '../src/index.js';

interface Point { t: number; df: number; ncp: number; lower: number; upper: number }
const grid = JSON.parse(readFileSync(new URL('../fixtures/noncentral-t.json', import.meta.url), 'utf8')) as { cases: Point[] };

function agree(actual: number, expected: number): boolean {
  const diff = Math.abs(actual - expected);
  return diff <= 1e-10 * Math.abs(expected) || diff <= 1e-12;
}

describe('noncentralTCdf equals R pt(q, df, ncp)', () => {
  it('has the full grid', () => {
    expect(grid.cases.length).toBe(1200);
  });
  it('lower and upper tails agree at every grid point', () => {
    const bad: string[] = [];
    let worstRelative = 0;
    for (const p of grid.cases) {
      const lower = noncentralTCdf(p.t, p.df, p.ncp, true);
      const upper = noncentralTCdf(p.t, p.df, p.ncp, false);
      if (!agree(lower, p.lower)) bad.push(`lower t=${p.t} df=${p.df} ncp=${p.ncp}: ${lower} vs R ${p.lower}`);
      if (!agree(upper, p.upper)) bad.push(`upper t=${p.t} df=${p.df} ncp=${p.ncp}: ${upper} vs R ${p.upper}`);
      for (const [a, e] of [[lower, p.lower], [upper, p.upper]] as const) {
        if (e > 1e-3) worstRelative = Math.max(worstRelative, Math.abs(a - e) / e);
      }
    }
    expect(bad).toEqual([]);
    expect(worstRelative).toBeLessThan(1e-10);
  });
  it('reduces to the central t at ncp 0 and handles infinities and bad input', () => {
    expect(noncentralTCdf(2, 10, 0)).toBeCloseTo(0.963305982615, 11); // pt(2, 10)
    expect(noncentralTCdf(Infinity, 5, 1)).toBe(1);
    expect(noncentralTCdf(-Infinity, 5, 1)).toBe(0);
    expect(noncentralTCdf(Infinity, 5, 1, false)).toBe(0);
    expect(noncentralTCdf(0, 7, 1.3)).toBeCloseTo(0.0968004845856103, 14); // pnorm(-1.3)
    expect(noncentralTCdf(1, 0, 1)).toBeNaN();
    expect(noncentralTCdf(Number.NaN, 3, 1)).toBeNaN();
  });
});
