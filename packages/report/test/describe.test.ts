/** describe.ts against R (fixtures/make-fixtures.R → fixtures/describe.json; R version recorded there). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intraclassCorrelation, moments, niceBinWidth, quantileSorted, standardisedMeanDifference } from '../src/describe.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/describe.json', import.meta.url), 'utf8')) as {
  continuous: { treatment: number[]; control: number[]; mean_t: number; mean_c: number; sd_t: number; sd_c: number; smd: number };
  binary: { treatment: number[]; control: number[]; smd: number };
  quantiles: { x: number[]; probs: number[]; type7: number[] };
  icc: { y: number[]; cluster: number[]; icc: number };
};

describe('descriptive statistics match R', () => {
  it('mean and sd (n − 1) as R mean() and sd()', () => {
    const t = moments(fixture.continuous.treatment);
    expect(t.mean).toBeCloseTo(fixture.continuous.mean_t, 12);
    expect(t.sd).toBeCloseTo(fixture.continuous.sd_t, 12);
    expect(moments(fixture.continuous.control).sd).toBeCloseTo(fixture.continuous.sd_c, 12);
  });

  it('SMD with the pooled SD, continuous and binary (Austin 2009)', () => {
    const { continuous, binary } = fixture;
    expect(standardisedMeanDifference(moments(continuous.treatment), moments(continuous.control), false)).toBeCloseTo(continuous.smd, 12);
    expect(standardisedMeanDifference(moments(binary.treatment), moments(binary.control), true)).toBeCloseTo(binary.smd, 12);
  });

  it('quantiles as R quantile(type = 7)', () => {
    const sorted = Float64Array.from(fixture.quantiles.x).sort();
    fixture.quantiles.probs.forEach((p, index) => expect(quantileSorted(sorted, p)).toBeCloseTo(fixture.quantiles.type7[index]!, 10));
  });


  it('the one-way ANOVA ICC for unbalanced clusters as R aov() gives it', () => {
    expect(intraclassCorrelation(fixture.icc.y, fixture.icc.cluster)).toBeCloseTo(fixture.icc.icc, 12);
    expect(Number.isNaN(intraclassCorrelation([1, 2, 3], [1, 1, 1]))).toBe(true);
  });

  it('degenerate cases: no variance gives SMD 0 for equal means; empty input gives NaN moments', () => {
    expect(standardisedMeanDifference({ n: 3, mean: 1, sd: 0 }, { n: 3, mean: 1, sd: 0 }, false)).toBe(0);
    expect(Number.isNaN(moments([]).mean)).toBe(true);
  });

  it('nice bin widths are 1, 2 or 5 × 10^k', () => {
    expect(niceBinWidth(10_000, 20)).toBe(500);
    expect(niceBinWidth(37, 20)).toBe(2);
    expect(niceBinWidth(0.9, 10)).toBeCloseTo(0.1, 15);
  });
});
