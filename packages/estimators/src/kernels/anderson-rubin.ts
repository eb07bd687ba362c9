/**
 * Anderson–Rubin confidence set for the coefficient τ of one endogenous regressor d with one excluded instrument z
 * (Anderson & Rubin 1949; with a robust variance as in e.g. Andrews, Stock & Sun 2019, Annu. Rev. Econ. §5).
 * For each τ, regress y − τd on the instrument design [1, z, covariates] and test the z coefficient with the same
 * variance type: t(τ) = (a − τb)/√V(τ), where a and b are the z coefficients of y and d (ITT and first stage) and,
 * because every variance here is a quadratic form in the residuals, V(τ) = V_yy − 2τV_yd + τ²V_dd with
 * V_yd = (V(e_y + e_d) − V_yy − V_dd)/2 (polarisation). The df of the z coefficient does not depend on the
 * outcome (N − k, G − 1, or Bell–McCaffrey, which depends on the design only), so the set
 * {τ : (a − τb)² ≤ c²V(τ)}, c = t_{1−α/2, df}, is the solution of a quadratic inequality Aτ² − 2Hτ + C ≤ 0 with
 * A = b² − c²V_dd, H = ab − c²V_yd, C = a² − c²V_yy:
 *   A > 0: a bounded interval;  A < 0 and H² − AC > 0: the union of two rays;  A < 0, H² − AC ≤ 0: the whole line.
 */
export type AndersonRubinShape = 'interval' | 'two-rays' | 'whole-line' | 'empty' | 'ray';

export interface AndersonRubinSet {
  readonly shape: AndersonRubinShape;
  /** interval: [lower, upper]; two-rays: (−∞, lower] ∪ [upper, ∞); ray: one of them infinite; else NaN. */
  readonly lower: number;
  readonly upper: number;
  readonly critical: number;
}

export function andersonRubinSet(
  itt: number,
  firstStage: number,
  varianceYY: number,
  varianceDD: number,
  varianceYD: number,
  critical: number,
): AndersonRubinSet {
  const c2 = critical * critical;
  const a = firstStage * firstStage - c2 * varianceDD;
  const h = itt * firstStage - c2 * varianceYD;
  const c = itt * itt - c2 * varianceYY;
  const discriminant = h * h - a * c;
  if (a === 0) {
    // Linear: −2Hτ + C ≤ 0.
    if (h === 0) return c <= 0 ? { shape: 'whole-line', lower: -Infinity, upper: Infinity, critical } : { shape: 'empty', lower: NaN, upper: NaN, critical };
    const root = c / (2 * h);
    return h > 0 ? { shape: 'ray', lower: root, upper: Infinity, critical } : { shape: 'ray', lower: -Infinity, upper: root, critical };
  }
  if (discriminant <= 0) {
    return a > 0 ? { shape: 'empty', lower: NaN, upper: NaN, critical } : { shape: 'whole-line', lower: -Infinity, upper: Infinity, critical };
  }
  // Stable roots of Aτ² − 2Hτ + C: q = H + sign(H)√D, roots q/A and C/q.
  const q = h + (h >= 0 ? 1 : -1) * Math.sqrt(discriminant);
  const r1 = q / a;
  const r2 = c / q;
  const lower = Math.min(r1, r2);
  const upper = Math.max(r1, r2);
  return a > 0 ? { shape: 'interval', lower, upper, critical } : { shape: 'two-rays', lower, upper, critical };
}
