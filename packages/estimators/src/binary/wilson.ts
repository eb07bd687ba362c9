/**
 * Wilson score interval for one proportion (Wilson 1927, JASA 22:209), without continuity correction — the interval
 * R's `prop.test(x, n, correct = FALSE)` reports. As written in ESTIMATORS-MATH.md §6:
 *   (l, u) = [2x + z² ∓ z·√(z² + 4x(1 − x/n))] / [2(n + z²)],   z = Φ⁻¹(1 − α/2).
 */
import { binaryErrors, checkLevel } from './errors.js';
import { normalQuantile } from './normal.js';

export interface ProportionInterval {
  readonly count: number;
  readonly n: number;
  readonly estimate: number;
  /** Binomial standard error √(p(1−p)/n) (Wald). */
  readonly stdError: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly level: number;
  readonly ciMethod: 'wilson';
}

export function wilsonLimits(count: number, n: number, z: number): [number, number] {
  const p = count / n;
  const z2 = z * z;
  const centre = 2 * count + z2;
  const halfWidth = z * Math.sqrt(z2 + 4 * count * (1 - p));
  const denominator = 2 * (n + z2);
  // Clamp the exact ends (x = 0 or x = n) against rounding: prop.test gives exactly 0 and 1 there.
  const low = count === 0 ? 0 : (centre - halfWidth) / denominator;
  const high = count === n ? 1 : (centre + halfWidth) / denominator;
  return [low, high];
}

/** Proportion count/n with its Wilson score interval at `level`. */
export function wilsonInterval(count: number, n: number, level: number): ProportionInterval {
  checkLevel(level);
  if (!Number.isInteger(n) || n < 1) throw binaryErrors.badCounts(`arm size ${n} is not a whole number ≥ 1`, n);
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw binaryErrors.badCounts(`count ${count} is not a whole number between 0 and ${n}`, count);
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const estimate = count / n;
  const [confLow, confHigh] = wilsonLimits(count, n, z);
  return {
    count,
    n,
    estimate,
    stdError: Math.sqrt((estimate * (1 - estimate)) / n),
    confLow,
    confHigh,
    level,
    ciMethod: 'wilson',
  };
}
