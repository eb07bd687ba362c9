/**
 * Small numeric helpers for balance-based schemes: the χ² quantile (for re-randomisation thresholds), the
 * regularised incomplete gamma function, and a Cholesky solve for the Mahalanobis distance.
 */

/** ln Γ(x), Lanczos approximation (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1 coefficients), |error| < 1e-14. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Regularised lower incomplete gamma P(a, x): series for x < a + 1, Lentz continued fraction otherwise
 * (Numerical Recipes 3rd ed. §6.2, gser / gcf).
 */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(lnPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnPrefix) * h;
}

/** The χ² distribution function with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  return regularizedGammaP(df / 2, x / 2);
}

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
