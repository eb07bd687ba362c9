/**
 * Fieller's confidence set for a ratio θ = N/D of two jointly normal estimates (Fieller 1954, JRSS B 16:175):
 *     { θ : (N − θD)² ≤ z²·(Var N − 2θ·Cov(N, D) + θ²·Var D) },
 * i.e. Aθ² − 2Bθ + C ≤ 0 with A = D² − z²Var D, B = N·D − z²Cov, C = N² − z²Var N. For the Wald estimate with the
 * delta-method (HC2) moments this is the Anderson–Rubin-type set, valid when the denominator is weak:
 * - A > 0 (the denominator's interval excludes 0): a bounded interval [low, high];
 * - A < 0 and B² − AC > 0: the complement of an interval, (−∞, low] ∪ [high, ∞);
 * - A < 0 and B² − AC ≤ 0: the whole line (low = high = null);
 * - A = 0: a ray (one end null).
 * JSON-safe: unbounded ends are null, never ±Infinity.
 */

export interface FiellerSet {
  readonly kind: 'interval' | 'complement' | 'whole-line' | 'ray';
  /** interval: lower end; complement: the set is (−∞, low] ∪ [high, ∞); ray: null on the unbounded side. */
  readonly low: number | null;
  readonly high: number | null;
}

export function fiellerSet(
  numerator: number,
  denominator: number,
  numeratorVariance: number,
  denominatorVariance: number,
  covariance: number,
  z: number,
): FiellerSet {
  const z2 = z * z;
  const a = denominator * denominator - z2 * denominatorVariance;
  const b = numerator * denominator - z2 * covariance;
  const c = numerator * numerator - z2 * numeratorVariance;
  if (a === 0) {
    // −2Bθ + C ≤ 0
    // With B = 0 too, the set is everything (C ≤ 0) or, degenerate, nothing; report the whole line (uninformative).
    if (b === 0) return { kind: 'whole-line', low: null, high: null };
    const root = c / (2 * b);
    return b > 0 ? { kind: 'ray', low: root, high: null } : { kind: 'ray', low: null, high: root };
  }
  const discriminant = b * b - a * c;
  if (a > 0) {
    const half = Math.sqrt(Math.max(discriminant, 0));
    return { kind: 'interval', low: (b - half) / a, high: (b + half) / a };
  }
  if (discriminant <= 0) return { kind: 'whole-line', low: null, high: null };
  const half = Math.sqrt(discriminant);
  const r1 = (b - half) / a;
  const r2 = (b + half) / a;
  return { kind: 'complement', low: Math.min(r1, r2), high: Math.max(r1, r2) };
}
