/**
 * Restricted mean survival time up to a horizon τ, and cumulative incidence 1 − S(τ), per arm and as differences.
 *
 * RMST is the area under the Kaplan–Meier curve from 0 to τ, with the variance print.survfit reports
 * (survival:::survmean, rmean = τ):
 *   Var = Σ_{event times t_j ≤ τ} A_j² · d_j / (n_j (n_j − d_j)),   A_j = ∫_{t_j}^{τ} S(u) du,
 * the Greenwood-type (delta-method) variance, which is also what survRM2::rmst2 uses; a term with n_j = d_j is 0.
 * The difference between arms is treated as normal with the two (independent) variances summed.
 */
import { normalQuantile, twoSidedNormalP } from '@trialkit/core';
import { survivalErrors } from './errors.js';
import { checkTimesAndEvents, codeLabels, orderByTime, splitOrder, type Labels, type Values } from './input.js';
import {
  checkConfType, checkLevel, kaplanMeierSorted, survivalAt, type ConfType, type KaplanMeierCurve,
} from './kaplan-meier.js';

export interface RestrictedMean {
  readonly horizon: number;
  readonly rmean: number;
  readonly stdError: number;
}

export interface TwoArmContrast {
  readonly control: string;
  readonly treatment: string;
  readonly horizon: number;
  /** Per arm, control first. */
  readonly arms: readonly { readonly arm: string; readonly estimate: number; readonly stdError: number;
    readonly lower: number; readonly upper: number }[];
  /** Treatment minus control. */
  readonly difference: number;
  readonly stdError: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly level: number;
}

/** Area under the curve to `horizon` and its SE, as survival:::survmean's pfun (start time 0). */
export function restrictedMean(curve: Pick<KaplanMeierCurve, 'time' | 'survival' | 'nRisk' | 'nEvent'>,
  horizon: number): RestrictedMean {
  const times: number[] = [];
  const survivals: number[] = [];
  const greenwood: number[] = [];
  for (let k = 0; k < curve.time.length && curve.time[k]! <= horizon; k++) {
    const n = curve.nRisk[k]!;
    const d = curve.nEvent[k]!;
    times.push(curve.time[k]!);
    survivals.push(curve.survival[k]!);
    greenwood.push(n - d === 0 ? 0 : d / (n * (n - d)));
  }
  // Rectangles: [0, t_1) at S = 1, then [t_k, t_{k+1}) at S(t_k), the last one ending at the horizon.
  const edges = [...times, horizon];
  const heights = [1, ...survivals];
  const m = edges.length;
  const rectangles = new Array<number>(m);
  let previous = 0;
  let rmean = 0;
  for (let k = 0; k < m; k++) {
    rectangles[k] = (edges[k]! - previous) * heights[k]!;
    previous = edges[k]!;
    rmean += rectangles[k]!;
  }
  // Area after time t_k (k = 0..m−2) is Σ_{l > k} rectangles[l].
  let variance = 0;
  let areaAfter = 0;
  for (let k = m - 2; k >= 0; k--) {
    areaAfter += rectangles[k + 1]!;
    variance += areaAfter * areaAfter * greenwood[k]!;
  }
  return { horizon, rmean, stdError: Math.sqrt(variance) };
}

function contrast(control: string, treatment: string, horizon: number, level: number,
  arms: TwoArmContrast['arms']): TwoArmContrast {
  const z = normalQuantile(1 - (1 - level) / 2);
  const [c, t] = [arms[0]!, arms[1]!];
  const difference = t.estimate - c.estimate;
  const stdError = Math.sqrt(c.stdError * c.stdError + t.stdError * t.stdError);
  const statistic = difference / stdError;
  return {
    control, treatment, horizon, arms, difference, stdError, statistic,
    pValue: twoSidedNormalP(statistic),
    confLow: difference - z * stdError,
    confHigh: difference + z * stdError,
    level,
  };
}

/** RMST per arm to `horizon` and the difference treatment − control with a normal CI. */
export function rmstDifference(control: { arm: string; curve: KaplanMeierCurve },
  treatment: { arm: string; curve: KaplanMeierCurve }, horizon: number, level: number): TwoArmContrast {
  const z = normalQuantile(1 - (1 - level) / 2);
  const arms = [control, treatment].map(({ arm, curve }) => {
    const r = restrictedMean(curve, horizon);
    return { arm, estimate: r.rmean, stdError: r.stdError, lower: r.rmean - z * r.stdError, upper: r.rmean + z * r.stdError };
  });
  return contrast(control.arm, treatment.arm, horizon, level, arms);
}

/**
 * Cumulative incidence of the event by `horizon`, 1 − S(τ), per arm (its CI is 1 minus the curve's CI, so it
 * follows the curve's conf.type), and the difference treatment − control with SE √(se₁² + se₀²) from Greenwood's
 * SE of S(τ) (summary(fit, times = τ)$std.err) and a normal ("plain") CI.
 */
export function cumulativeIncidenceDifference(control: { arm: string; curve: KaplanMeierCurve },
  treatment: { arm: string; curve: KaplanMeierCurve }, horizon: number, level: number): TwoArmContrast {
  const arms = [control, treatment].map(({ arm, curve }) => {
    const at = survivalAt(curve, horizon, curve.n);
    return { arm, estimate: 1 - at.survival, stdError: at.stdError, lower: 1 - at.upper, upper: 1 - at.lower };
  });
  return contrast(control.arm, treatment.arm, horizon, level, arms);
}

export interface TwoArmOptions {
  readonly level?: number;
  /** The curves' pointwise CI type (affects the per-arm incidence CI only); default "log". */
  readonly confType?: ConfType;
  /** Which group is control; default the first in sorted order. */
  readonly control?: string;
}

/** Kaplan–Meier per arm of a two-group variable, control first. */
function twoArmCurves(time: Values, event: Values, group: Labels, horizon: number, options: TwoArmOptions):
  [{ arm: string; curve: KaplanMeierCurve }, { arm: string; curve: KaplanMeierCurve }] {
  if (!(Number.isFinite(horizon) && horizon > 0)) throw survivalErrors.badHorizon(horizon);
  const checked = checkTimesAndEvents(time, event);
  if (group.length !== checked.time.length) throw survivalErrors.lengthMismatch('The group', checked.time.length, group.length);
  const level = checkLevel(options.level ?? 0.95);
  const confType = checkConfType(options.confType ?? 'log');
  const coding = codeLabels(group, '--assignment');
  if (coding.labels.length !== 2) throw survivalErrors.armCount(coding.labels);
  if (options.control !== undefined && !coding.labels.includes(options.control)) {
    throw survivalErrors.unknownArm(options.control, coding.labels);
  }
  const first = options.control === undefined || options.control === coding.labels[0] ? 0 : 1;
  const parts = splitOrder(orderByTime(checked.time), coding.codes, 2);
  const arm = (k: number) => ({
    arm: coding.labels[k]!,
    curve: kaplanMeierSorted(checked.time, checked.event, parts[k]!, level, confType, []),
  });
  return [arm(first), arm(1 - first)];
}

/** RMST to `horizon` per arm and the difference (second arm − control), as survRM2::rmst2 / print.survfit. */
export function rmst(time: Values, event: Values, group: Labels, horizon: number, options: TwoArmOptions = {}):
  TwoArmContrast {
  const [control, treatment] = twoArmCurves(time, event, group, horizon, options);
  return rmstDifference(control, treatment, horizon, options.level ?? 0.95);
}

/** Cumulative incidence 1 − S(horizon) per arm and the difference (second arm − control). */
export function cumulativeIncidence(time: Values, event: Values, group: Labels, horizon: number,
  options: TwoArmOptions = {}): TwoArmContrast {
  const [control, treatment] = twoArmCurves(time, event, group, horizon, options);
  return cumulativeIncidenceDifference(control, treatment, horizon, options.level ?? 0.95);
}
