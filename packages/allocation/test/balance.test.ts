import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareQuantile, cholesky, mahalanobisSquared } from '../src/balance.js';

describe('χ² distribution (closed forms)', () => {
  it('df = 2: F(x) = 1 − exp(−x/2), quantile −2 ln(1 − p)', () => {
    for (const x of [0.01, 0.5, 2, 7.3, 30]) expect(chiSquareCdf(x, 2)).toBeCloseTo(1 - Math.exp(-x / 2), 13);
    for (const p of [0.001, 0.1, 0.5, 0.95]) expect(chiSquareQuantile(p, 2)).toBeCloseTo(-2 * Math.log(1 - p), 10);
  });
  it('df = 4: F(x) = 1 − exp(−x/2)(1 + x/2); df = 6 adds x²/8', () => {
    for (const x of [0.2, 1, 4, 9.5, 25]) {
      expect(chiSquareCdf(x, 4)).toBeCloseTo(1 - Math.exp(-x / 2) * (1 + x / 2), 13);
      expect(chiSquareCdf(x, 6)).toBeCloseTo(1 - Math.exp(-x / 2) * (1 + x / 2 + (x * x) / 8), 13);
    }
  });
  it('quantile inverts the distribution function for odd df', () => {
    for (const df of [1, 3, 5, 11]) for (const p of [0.01, 0.1, 0.5, 0.9]) expect(chiSquareCdf(chiSquareQuantile(p, df), df)).toBeCloseTo(p, 12);
  });
});

describe('Cholesky and Mahalanobis', () => {
  it('vᵀ S⁻¹ v for a 2×2 matrix equals the closed-form inverse', () => {
    const S = Float64Array.from([4, 1, 1, 3]);
    const L = cholesky(S, 2)!;
    const v = Float64Array.from([1, 2]);
    // S⁻¹ = [[3, −1], [−1, 4]] / 11
    expect(mahalanobisSquared(L, 2, v)).toBeCloseTo((3 * 1 - 2 * 1 * 2 + 4 * 4) / 11, 14);
    expect(cholesky(Float64Array.from([1, 1, 1, 1]), 2)).toBeUndefined();
  });
});
