import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adjustPValues, P_ADJUST_METHODS } from '../src/index.js';

// Expected values: R's p.adjust (fixtures/multiplicity/make-fixtures.R); null is R's NA.
interface Case {
  name: string;
  p: number | (number | null)[];
  holm: number | (number | null)[];
  bonferroni: number | (number | null)[];
  hochberg: number | (number | null)[];
  BH: number | (number | null)[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/multiplicity/cases.json', import.meta.url), 'utf8'),
) as { cases: Case[] };
// jsonlite writes a length-1 vector as a scalar; NA as null.
const vector = (x: number | (number | null)[]): number[] => (Array.isArray(x) ? x : [x]).map((v) => (v === null ? Number.NaN : v));

describe('adjustPValues against R p.adjust', () => {
  for (const c of fixture.cases) {
    it.each(['holm', 'bonferroni', 'hochberg', 'BH'] as const)(`${c.name}: %s`, (method) => {
      const actual = adjustPValues(vector(c.p), method);
      const expected = vector(c[method]);
      expect(actual).toHaveLength(expected.length);
      actual.forEach((value, i) => {
        if (Number.isNaN(expected[i]!)) expect(Number.isNaN(value), `${method}[${i}]`).toBe(true);
        else expect(Math.abs(value - expected[i]!), `${method}[${i}]: ${value} vs R ${expected[i]}`).toBeLessThanOrEqual(1e-15 * Math.max(1, expected[i]!));
      });
    });
  }
  it('leaves p-values alone with "none" and lists its methods', () => {
    expect(adjustPValues([0.01, Number.NaN, 0.2], 'none')).toEqual([0.01, Number.NaN, 0.2]);
    expect(P_ADJUST_METHODS).toEqual(['none', 'holm', 'bonferroni', 'hochberg', 'BH']);
  });
  it('refuses a p-value outside [0, 1] and an unknown method', () => {
    expect(() => adjustPValues([0.2, 1.5], 'holm')).toThrow(/position 2 is not between 0 and 1/);
    expect(() => adjustPValues([0.2], 'sidak' as never)).toThrow(/not a p-value adjustment method/);
  });
});
