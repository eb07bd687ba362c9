/**
 * Small numeric helpers for balance-based schemes: the χ² quantile (for re-randomisation thresholds, from core's
 * χ² distribution function, checked against R there) and a Cholesky solve for the Mahalanobis distance.
 */
import { chiSquareCdf } from '@trialkit/core';

export { chiSquareCdf };

/** The χ² quantile: the x with chiSquareCdf(x, df) = p, by bisection to machine precision. */
export function chiSquareQuantile(p: number, df: number): number {
  let low = 0;
  let high = Math.max(1, df);
  while (chiSquareCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (chiSquareCdf(mid, df) < p) low = mid;
    else high = mid;
    if (high - low <= 1e-15 * Math.max(1, high)) break;
  }
  return (low + high) / 2;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite K×K matrix, or undefined if not PD. */
export function cholesky(matrix: Float64Array, K: number): Float64Array | undefined {
  const L = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * K + j] as number;
      for (let k = 0; k < j; k++) sum -= (L[i * K + k] as number) * (L[j * K + k] as number);
      if (i === j) {
        // A pivot that is rounding noise relative to the diagonal means collinear columns.
        if (!(sum > 1e-10 * Math.abs(matrix[i * K + i] as number)) || sum <= 0) return undefined;
        L[i * K + i] = Math.sqrt(sum);
      } else L[i * K + j] = sum / (L[j * K + j] as number);
    }
  }
  return L;
}

/** vᵀ (L Lᵀ)⁻¹ v = ‖L⁻¹ v‖² by forward substitution. */
export function mahalanobisSquared(L: Float64Array, K: number, v: Float64Array): number {
  const y = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < K; i++) {
    let sum = v[i] as number;
    for (let k = 0; k < i; k++) sum -= (L[i * K + k] as number) * (y[k] as number);
    const value = sum / (L[i * K + i] as number);
    y[i] = value;
    total += value * value;
  }
  return total;
}
