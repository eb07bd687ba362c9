/**
 * Standard normal quantile and tail probability for the binary-outcome and contamination modules.
 *
 * TEMPORARY local implementation until the package's shared `src/distributions.ts` lands; then this file becomes a
 * re-export of it, so every module here keeps importing `normalQuantile` / `normalUpperTail` from one place.
 *
 * - Quantile: Wichura (1988), "Algorithm AS 241: The percentage points of the normal distribution", Applied
 *   Statistics 37:477–484 (PPND16, ~1e-16 relative).
 * - Upper tail Q(x) = 1 − Φ(x): the Taylor series Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(2k+1)!! for |x| < 3 and the
 *   Laplace continued fraction for the Mills ratio (modified Lentz) for |x| ≥ 3; relative error below 1e-13.
 */

const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852545925,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

function poly(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + (coefficients[i] as number);
  return value;
}

/** Φ⁻¹(p) for 0 < p < 1 (AS 241). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    value = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -value : value;
}

const INV_SQRT_2PI = 0.3989422804014327;

/** 1 − Φ(x). */
export function normalUpperTail(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 1;
  const density = INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  const ax = Math.abs(x);
  if (ax < 3) {
    // Φ(x) − ½ = φ(x) Σ_k x^(2k+1)/(1·3·…·(2k+1))  (Abramowitz & Stegun 26.2.11)
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (x * x) / (2 * k + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return 0.5 - density * sum;
  }
  // Mills ratio R(a) = Q(a)/φ(a) = 1/(a + 1/(a + 2/(a + 3/(a + …))))  (A&S 26.2.14), modified Lentz.
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = ax + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = ax + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const upper = density / f;
  return x > 0 ? upper : 1 - upper;
}

/** Two-sided p-value of a z statistic: 2·(1 − Φ(|z|)). */
export function normalTwoSidedP(z: number): number {
  return 2 * normalUpperTail(Math.abs(z));
}
