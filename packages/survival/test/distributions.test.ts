import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareUpper, logGamma, normalCdf, normalQuantile, normalUpper } from '../src/distributions.js';
import { expectClose, readFixture } from './helpers.js';

interface DistributionFixture {
  pnorm: { x: number[]; lower: number[]; upper: number[] };
  qnorm: { p: number[]; q: number[] };
  pchisq: { x: number[]; df: number[]; upper: number[]; lower: number[] };
}
const fixture = readFixture<DistributionFixture>('distributions.json');

describe('normal distribution (R pnorm/qnorm)', () => {
  it('pnorm, both tails, to 1e-14 relative', () => {
    fixture.pnorm.x.forEach((x, i) => {
      expectClose(normalCdf(x), fixture.pnorm.lower[i]!, `pnorm(${x})`, 1e-14);
      expectClose(normalUpper(x), fixture.pnorm.upper[i]!, `pnorm(${x}, lower = FALSE)`, 1e-14);
    });
  });
  it('qnorm to 1e-14 relative', () => {
    fixture.qnorm.p.forEach((p, i) => expectClose(normalQuantile(p), fixture.qnorm.q[i]!, `qnorm(${p})`, 1e-14));
  });
  it('qnorm edge values', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
    expect(Number.isNaN(normalQuantile(1.5))).toBe(true);
  });
});

describe('chi-square distribution (R pchisq)', () => {
  it('upper and lower tails to 1e-13 relative', () => {
    fixture.pchisq.x.forEach((x, i) => {
      const df = fixture.pchisq.df[i]!;
      expectClose(chiSquareUpper(x, df), fixture.pchisq.upper[i]!, `pchisq(${x}, ${df}, lower = FALSE)`, 1e-13);
      expectClose(chiSquareCdf(x, df), fixture.pchisq.lower[i]!, `pchisq(${x}, ${df})`, 1e-13);
    });
  });
  it('log-gamma matches closed forms (Γ(n) = (n−1)!, Γ(1/2) = √π)', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expectClose(logGamma(10), Math.log(362880), 'lgamma(10)', 1e-15);
    expectClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 'lgamma(0.5)', 1e-15);
    expectClose(logGamma(30), Math.log(8841761993739701954543616000000), 'lgamma(30)', 1e-15);
  });
});
