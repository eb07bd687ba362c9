/**
 * The noncentral t distribution function, as R computes it (nmath/pnt.c: Lenth 1989, AS 243, with Guenther's
 * (1978) twin series), so that power from a noncentral t agrees with R's `pt(q, df, ncp)` to about 1e-12.
 *
 *   P(T ≤ t; ν, δ), t ≥ 0:  Φ(−δ) + ½ Σⱼ [ pⱼ I_x(j + ½, ν/2) + qⱼ I_x(j + 1, ν/2) ],  x = t²/(t² + ν)
 *     pⱼ = e^{−δ²/2} (δ²/2)ʲ / j!,   qⱼ = e^{−δ²/2} (δ²/2)ʲ δ / (√2 Γ(j + 3/2))
 *   the incomplete beta terms follow by recurrence from I_x(½, ν/2) and I_x(1, ν/2) = 1 − (1 − x)^{ν/2};
 *   t < 0 by reflection: P(T ≤ t; δ) = 1 − P(T ≤ −t; −δ).
 *   Stops when the bound 2·s·(xodd − godd) on the remaining terms is below 1e-12 (s = the Poisson mass not yet
 *   used), as R does. For ν > 4·10⁵ or δ² > 2·log 2·1021 (δ > 37.62), R's normal approximation
 *   (Abramowitz & Stegun 26.7.10) is used, again as R does.
 *
 * R accumulates in long double; this does so in double, which changes results in about the 15th digit.
 */
import { incompleteBeta, logGamma, normalCdf, normalSurvival, studentTCdf, studentTSurvival } from '@trialkit/core';

const ITERATION_MAX = 1000;
const ERROR_MAX = 1e-12;
const DBL_EPSILON = 2.220446049250313e-16;
const LN_SQRT_PI = 0.5723649429247001;
const SQRT_2_OVER_PI = 0.7978845608028654;
/** 2·log(2)·(−DBL_MIN_EXP): beyond this δ² the series underflows (R: `del*del > 2*M_LN2*(-(DBL_MIN_EXP))`). */
const NCP_SQUARED_LIMIT = 2 * Math.LN2 * 1021;

/** Normal approximation of R's pnt for large df or ncp (A&S 26.7.10); returns the lower or upper tail. */
function normalApproximation(tt: number, df: number, del: number, lowerTail: boolean): number {
  const s = 1 / (4 * df);
  const z = (tt * (1 - s) - del) / Math.sqrt(1 + tt * tt * 2 * s);
  return lowerTail ? normalCdf(z) : normalSurvival(z);
}

/**
 * P(T ≤ t) (or P(T > t) with `lowerTail = false`) for T noncentral t with `df` > 0 degrees of freedom (non-integer
 * allowed) and noncentrality `ncp`: R's `pt(t, df, ncp, lower.tail)`. Returns NaN for df ≤ 0 or NaN arguments.
 */
export function noncentralTCdf(t: number, df: number, ncp: number, lowerTail = true): number {
  if (Number.isNaN(t) || Number.isNaN(df) || Number.isNaN(ncp) || !(df > 0)) return Number.NaN;
  if (ncp === 0) return lowerTail ? studentTCdf(t, df) : studentTSurvival(t, df);
  if (!Number.isFinite(t)) return (t < 0) === lowerTail ? 0 : 1;
  let negdel: boolean;
  let tt: number;
  let del: number;
  if (t >= 0) {
    negdel = false;
    tt = t;
    del = ncp;
  } else {
    // pt(t, df, ncp) ≤ pt(0, df, ncp) = Φ(−ncp): R returns 0 for the lower tail when ncp > 40.
    if (ncp > 40) return lowerTail ? 0 : 1;
    negdel = true;
    tt = -t;
    del = -ncp;
  }
  const lower = lowerTail !== negdel; // which tail of the reflected distribution is asked for
  if (df > 4e5 || del * del > NCP_SQUARED_LIMIT) return normalApproximation(tt, df, del, lower);

  let tnc: number;
  const x0 = t * t;
  const x = x0 / (x0 + df); // in [0, 1)
  if (x > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    if (p === 0) return lower ? 0 : 1; // underflow (R warns and returns 0 on its scale)
    let q = SQRT_2_OVER_PI * p * del;
    let s = 0.5 - p;
    if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    // 1 − x = df / (t² + df), formed without cancellation.
    const oneMinusX = df / (x0 + df);
    const rxb = Math.pow(oneMinusX, b);
    const albeta = LN_SQRT_PI + logGamma(b) - logGamma(0.5 + b);
    let xodd = incompleteBeta(x, oneMinusX, a, b, Math.log(x), Math.log(oneMinusX))[0];
    let godd = 2 * rxb * Math.exp(a * Math.log(x) - albeta);
    const bx = b * x;
    let xeven = bx < DBL_EPSILON ? bx : 1 - rxb;
    let geven = bx * rxb;
    tnc = p * xodd + q * xeven;
    for (let it = 1; it <= ITERATION_MAX; it++) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= (x * (a + b - 1)) / a;
      geven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) break; // rounding: R warns that full precision may not have been achieved
      if (s <= 0 && it > 1) break;
      const errbd = 2 * s * (xodd - godd);
      if (Math.abs(errbd) < ERROR_MAX) break;
    }
  } else {
    tnc = 0;
  }
  tnc += normalCdf(-del);
  const result = Math.min(tnc, 1);
  return lower ? result : 0.5 - result + 0.5;
}
