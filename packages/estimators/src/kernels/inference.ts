/**
 * estimatr's shared inference step (`add_cis_pvals`, ESTIMATORS-MATH.md "Shared inference step"):
 * t = β̂/SE, p = 2·P(T_df > |t|), CI = β̂ ± t_{1−α/2, df}·SE; df ≤ 0 becomes NA.
 */
import { studentTQuantile, studentTTwoSidedP } from '@trialkit/core';

export interface Inference {
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly df: number;
}

export function tInference(estimate: number, stdError: number, df: number, level: number): Inference {
  const usableDf = df > 0 ? df : NaN;
  const statistic = estimate / stdError;
  const pValue = Number.isNaN(usableDf) ? NaN : studentTTwoSidedP(statistic, usableDf);
  const crit = Number.isNaN(usableDf) ? NaN : studentTQuantile(1 - (1 - level) / 2, usableDf);
  return {
    statistic,
    pValue,
    confLow: estimate - crit * stdError,
    confHigh: estimate + crit * stdError,
    df: usableDf,
  };
}
