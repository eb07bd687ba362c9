/**
 * The few distribution functions survival inference needs: the normal CDF and quantile, and the chi-square upper
 * tail (log-rank p-values). Accurate to ~1e-14 relative; checked against R's pnorm/qnorm/pchisq
 * (fixtures/distributions.json).
 */

const SQRT_32 = 5.656854249492380195206754896838;
const ONE_OVER_SQRT_2PI = 0.398942280401432677939946059934;
const LOG_SQRT_2PI = 0.918938533204672741780329736406;

const CODY_A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
  0.065682337918207449113] as const;
const CODY_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const;
const CODY_C = [0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
  1.0765576773720192317e-8] as const;
const CODY_D = [22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727] as const;
const CODY_P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
  2.9112874951168792e-5, 0.02307344176494017303] as const;
const CODY_Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
  7.29751555083966205e-5] as const;

/**
 * Both tails of the standard normal at x: [P(X ≤ x), P(X > x)].
 * Cody, W. J. (1993), ALGORITHM 715 (ACM TOMS 19:22–32), as in R's nmath/pnorm.c (pnorm_both), which splits
 * exp(−x²/2) into exactly representable parts to keep the relative accuracy in the tails.
 */
export function normalTails(x: number): [lower: number, upper: number] {
  if (Number.isNaN(x)) return [NaN, NaN];
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let numerator = 0;
    let denominator = 0;
    if (y > Number.EPSILON * 0.5) {
      const xsq = x * x;
      numerator = CODY_A[4] * xsq;
      denominator = xsq;
      for (let i = 0; i < 3; i++) {
        numerator = (numerator + CODY_A[i]!) * xsq;
        denominator = (denominator + CODY_B[i]!) * xsq;
      }
    }
    const temp = (x * (numerator + CODY_A[3])) / (denominator + CODY_B[3]);
    return [0.5 + temp, 0.5 - temp];
  }
  let tail: number; // P(X > |x|)
  if (y <= SQRT_32) {
    let numerator = CODY_C[8] * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + CODY_C[i]!) * y;
      denominator = (denominator + CODY_D[i]!) * y;
    }
    const ratio = (numerator + CODY_C[7]) / (denominator + CODY_D[7]);
    tail = splitGaussian(y) * ratio;
  } else if (y < 37.5193) {
    const xsq = 1 / (x * x);
    let numerator = CODY_P[5] * xsq;
    let denominator = xsq;
    for (let i = 0; i < 4; i++) {
      numerator = (numerator + CODY_P[i]!) * xsq;
      denominator = (denominator + CODY_Q[i]!) * xsq;
    }
    let ratio = (xsq * (numerator + CODY_P[4])) / (denominator + CODY_Q[4]);
    ratio = (ONE_OVER_SQRT_2PI - ratio) / y;
    tail = splitGaussian(y) * ratio;
  } else {
    tail = 0;
  }
  return x > 0 ? [1 - tail, tail] : [tail, 1 - tail];
}

/** exp(−y²/2) computed as exp(−s²/2)·exp(−(y−s)(y+s)/2) with s = y rounded down to 1/16 (Cody; R's do_del). */
function splitGaussian(y: number): number {
  const rounded = Math.trunc(y * 16) / 16;
  const remainder = (y - rounded) * (y + rounded);
  return Math.exp(-rounded * rounded * 0.5) * Math.exp(-remainder * 0.5);
}

/** P(X ≤ x) for X ~ N(0, 1). */
export function normalCdf(x: number): number {
  return normalTails(x)[0];
}

/** P(X > x) for X ~ N(0, 1), accurate in the far upper tail. */
export function normalUpper(x: number): number {
  return normalTails(x)[1];
}

/** Two-sided normal p-value of a z statistic: 2·P(X > |z|). */
export function twoSidedNormalP(z: number): number {
  return 2 * normalUpper(Math.abs(z));
}

/**
 * The standard normal quantile. Wichura, M. J. (1988), Algorithm AS 241 (Applied Statistics 37:477–484),
 * PPND16, as in R's nmath/qnorm.c (R 4.2): relative accuracy about 1e-16.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    value =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -value : value;
}

/**
 * log Γ(a) for a > 0: the Stirling series with terms to z⁻¹³ at z ≥ 15 (error < 1e-17 relative there), reached
 * by the recurrence Γ(a) = Γ(a + k) / (a(a+1)…(a+k−1)). Abramowitz & Stegun 6.1.40.
 */
export function logGamma(a: number): number {
  if (!(a > 0)) return NaN;
  let shift = 0;
  let product = 1;
  let z = a;
  while (z < 15) {
    product *= z;
    z += 1;
    shift += 1;
  }
  const inverse = 1 / z;
  const inverse2 = inverse * inverse;
  const series =
    inverse *
    (1 / 12 +
      inverse2 *
        (-1 / 360 +
          inverse2 *
            (1 / 1260 + inverse2 * (-1 / 1680 + inverse2 * (1 / 1188 + inverse2 * (-691 / 360360 + inverse2 / 156))))));
  const stirling = (z - 0.5) * Math.log(z) - z + LOG_SQRT_2PI + series;
  return shift === 0 ? stirling : stirling - Math.log(product);
}

/**
 * Regularized incomplete gamma functions [P(a, x), Q(a, x)]: the power series for P when x < a + 1, else the
 * continued fraction for Q by the modified Lentz method (Press et al., Numerical Recipes, 3rd ed., §6.2).
 */
export function regularizedGamma(a: number, x: number): [lower: number, upper: number] {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0) return [NaN, NaN];
  if (x <= 0) return [0, 1];
  if (x === Infinity) return [1, 0];
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    const lower = sum * Math.exp(logPrefactor);
    return [lower, 1 - lower];
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  const upper = Math.exp(logPrefactor) * h;
  return [1 - upper, upper];
}

/**
 * P(X > x) for X ~ χ²(df): Q(df/2, x/2). For df = 1 it is 2·P(Z > √x) and for df = 2 exp(−x/2), exactly.
 */
export function chiSquareUpper(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  if (df === 1) return 2 * normalUpper(Math.sqrt(x));
  if (df === 2) return Math.exp(-x / 2);
  return regularizedGamma(df / 2, x / 2)[1];
}

/** P(X ≤ x) for X ~ χ²(df). */
export function chiSquareCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 0;
  if (df === 1) {
    const [lower, upper] = normalTails(Math.sqrt(x));
    return lower - upper;
  }
  if (df === 2) return -Math.expm1(-x / 2);
  return regularizedGamma(df / 2, x / 2)[0];
}
