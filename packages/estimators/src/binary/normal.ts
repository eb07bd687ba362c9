/**
 * The normal distribution functions the binary-outcome and contamination modules use, taken from the package's
 * shared distributions.ts (accurate to ~1e-12, checked against R's pnorm/qnorm there), under the names used here.
 */
import { normalQuantile, normalSurvival } from '../distributions.js';

export { normalQuantile };

/** 1 − Φ(x). */
export function normalUpperTail(x: number): number {
  return normalSurvival(x);
}

/** Two-sided p-value of a z statistic: 2·(1 − Φ(|z|)). */
export function normalTwoSidedP(z: number): number {
  return 2 * normalSurvival(Math.abs(z));
}
