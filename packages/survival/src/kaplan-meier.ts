/**
 * Kaplan–Meier estimate with Greenwood variance, pointwise CIs, median with CI, and the curve at chosen times —
 * exactly as R's survival reports them by default:
 *   survfit(Surv(time, event) ~ 1)                           (conf.type = "log", conf.int = 0.95)
 *   print(fit) / summary(fit)$table                         (median, 0.95LCL, 0.95UCL: survival:::survmean)
 *   summary(fit, times = , extend = TRUE)                   (number at risk, S(t), its SE, CI at chosen times)
 */
import { checkTimesAndEvents, orderByTime, type Values } from './input.js';
import { normalQuantile } from '@trialkit/core';
import { survivalErrors } from './errors.js';

export type ConfType = 'log' | 'log-log' | 'plain';
export const CONF_TYPES: readonly ConfType[] = ['log', 'log-log', 'plain'];

export interface KaplanMeierOptions {
  /** Confidence level of the pointwise intervals and the median's CI (survfit's conf.int); default 0.95. */
  readonly level?: number;
  /** Transformation for the pointwise CIs (survfit's conf.type); default "log". */
  readonly confType?: ConfType;
  /** Times at which to report the number at risk and S(t) (summary(fit, times =, extend = TRUE)). */
  readonly times?: readonly number[];
}

/** The curve at a chosen time, as summary(fit, times = t, extend = TRUE) gives it. */
export interface SurvivalAtTime {
  readonly time: number;
  readonly nRisk: number;
  readonly survival: number;
  /** Standard error of S(t) (Greenwood, on the survival scale: summary.survfit's std.err). */
  readonly stdError: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * One Kaplan–Meier curve. Arrays have one entry per distinct observed time (events or censorings), as survfit's.
 * NA in R is NaN here (JSON.stringify writes null): the CI where S = 0 (and, for log-log, where S = 1).
 */
export interface KaplanMeierCurve {
  readonly n: number;
  readonly events: number;
  readonly time: number[];
  readonly nRisk: number[];
  readonly nEvent: number[];
  readonly nCensor: number[];
  readonly survival: number[];
  /** survfit's std.err: the standard error of −log S(t) (Greenwood); Infinity once everyone has had the event. */
  readonly stdErr: number[];
  readonly lower: number[];
  readonly upper: number[];
  /** Median survival time (print.survfit); null when the curve does not reach 0.5. */
  readonly median: number | null;
  readonly medianLow: number | null;
  readonly medianHigh: number | null;
  readonly level: number;
  readonly confType: ConfType;
  readonly atTimes: SurvivalAtTime[];
}

export function checkLevel(level: number): number {
  if (!(level > 0 && level < 1)) throw survivalErrors.badLevel(level);
  return level;
}

export function checkConfType(confType: string): ConfType {
  if (!(CONF_TYPES as readonly string[]).includes(confType)) throw survivalErrors.badConfType(confType);
  return confType as ConfType;
}

export function checkReportTimes(times: readonly number[]): number[] {
  for (const t of times) if (!(Number.isFinite(t) && t >= 0)) throw survivalErrors.badTimes(times);
  return [...times].sort((a, b) => a - b);
}

/** Kaplan–Meier for one group. `time` ≥ 0 and `event` ∈ {0, 1}; checked here. */
export function kaplanMeier(time: Values, event: Values, options: KaplanMeierOptions = {}): KaplanMeierCurve {
  const checked = checkTimesAndEvents(time, event);
  const level = checkLevel(options.level ?? 0.95);
  const confType = checkConfType(options.confType ?? 'log');
  const times = checkReportTimes(options.times ?? []);
  return kaplanMeierSorted(checked.time, checked.event, orderByTime(checked.time), level, confType, times);
}

/**
 * The kernel: observations `order` (ascending time) of checked arrays. Product-limit estimate
 * S(t) = Π_{t_j ≤ t} (1 − d_j/n_j) and Greenwood's variance of log S, Σ d_j / (n_j (n_j − d_j))
 * (Kalbfleisch & Prentice 2002, §1.4; survfit's std.err is its square root).
 */
export function kaplanMeierSorted(time: Float64Array, event: Uint8Array, order: Uint32Array, level: number,
  confType: ConfType, reportTimes: readonly number[]): KaplanMeierCurve {
  const n = order.length;
  const times: number[] = [];
  const nRisk: number[] = [];
  const nEvent: number[] = [];
  const nCensor: number[] = [];
  const survival: number[] = [];
  const stdErr: number[] = [];
  let atRisk = n;
  let surv = 1;
  let greenwood = 0;
  let events = 0;
  let r = 0;
  while (r < n) {
    const t = time[order[r]!]!;
    let d = 0;
    let c = 0;
    while (r < n && time[order[r]!] === t) {
      if (event[order[r]!] === 1) d += 1;
      else c += 1;
      r += 1;
    }
    if (d > 0) {
      surv *= (atRisk - d) / atRisk;
      greenwood += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    }
    times.push(t);
    nRisk.push(atRisk);
    nEvent.push(d);
    nCensor.push(c);
    survival.push(surv);
    stdErr.push(Math.sqrt(greenwood));
    events += d;
    atRisk -= d + c;
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const lower = new Array<number>(times.length);
  const upper = new Array<number>(times.length);
  for (let k = 0; k < times.length; k++) {
    const [lo, hi] = pointwiseInterval(survival[k]!, stdErr[k]!, z, confType);
    lower[k] = lo;
    upper[k] = hi;
  }
  const curve = { time: times, nRisk, survival, stdErr, lower, upper, nEvent };
  return {
    n,
    events,
    time: times,
    nRisk,
    nEvent,
    nCensor,
    survival,
    stdErr,
    lower,
    upper,
    median: crossingTime(survival, times),
    medianLow: crossingTime(lower, times),
    medianHigh: crossingTime(upper, times),
    level,
    confType,
    atTimes: reportTimes.map((t) => survivalAt(curve, t, n)),
  };
}

/**
 * Pointwise CI for S from the standard error of log S, as survival:::survfit_confint (logse = TRUE, ulimit = TRUE):
 *   plain   S ± z·se·S, clipped to [0, 1];
 *   log     exp(log S ± z·se), upper clipped at 1; NA where S = 0;
 *   log-log exp(−exp(log(−log S) ∓ z·se/log S)); NA where S = 0 or 1.
 */
export function pointwiseInterval(surv: number, se: number, z: number, confType: ConfType): [number, number] {
  if (confType === 'plain') {
    const halfWidth = se * surv * z;
    return [Math.max(surv - halfWidth, 0), Math.min(surv + halfWidth, 1)];
  }
  if (confType === 'log') {
    if (surv === 0) return [NaN, NaN];
    const halfWidth = z * se;
    return [Math.exp(Math.log(surv) - halfWidth), Math.min(Math.exp(Math.log(surv) + halfWidth), 1)];
  }
  if (surv === 0 || surv === 1) return [NaN, NaN];
  const halfWidth = (z * se) / Math.log(surv);
  const logMinusLog = Math.log(-Math.log(surv));
  return [Math.exp(-Math.exp(logMinusLog - halfWidth)), Math.exp(-Math.exp(logMinusLog + halfWidth))];
}

/**
 * The first time a curve is at or below 0.5, as survival:::survmean's `minmin` (print.survfit): values within
 * √ε of 0.5 count as 0.5, and when the curve sits exactly at 0.5 over a flat stretch the median is the midpoint
 * of that stretch (the first time at 0.5 and the first time the curve drops below it). NA values are skipped;
 * null when the curve never reaches 0.5.
 */
export function crossingTime(curve: readonly number[], times: readonly number[]): number | null {
  const tolerance = Math.sqrt(Number.EPSILON);
  let first = -1;
  for (let k = 0; k < curve.length; k++) {
    const y = curve[k]!;
    if (!Number.isNaN(y) && y < 0.5 + tolerance) {
      first = k;
      break;
    }
  }
  if (first < 0) return null;
  const y0 = curve[first]!;
  if (Math.abs(y0 - 0.5) < tolerance) {
    for (let k = first + 1; k < curve.length; k++) {
      const y = curve[k]!;
      if (!Number.isNaN(y) && y < 0.5 + tolerance && y < y0) return (times[first]! + times[k]!) / 2;
    }
  }
  return times[first]!;
}

interface CurvePoints {
  readonly time: readonly number[];
  readonly nRisk: readonly number[];
  readonly survival: readonly number[];
  readonly stdErr: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/**
 * The curve at time t as summary(fit, times = t, extend = TRUE): S, its SE and CI from the last observed time
 * ≤ t (before the first time: S = 1, SE 0, CI [1, 1], survfit0's added origin); the number at risk is the count
 * still under observation at t, #{T_i ≥ t} (0 beyond the last time).
 */
export function survivalAt(curve: CurvePoints, t: number, n: number): SurvivalAtTime {
  const times = curve.time;
  // last index with time ≤ t (binary search)
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  // first index with time ≥ t
  let firstAtOrAfter = last >= 0 && times[last] === t ? last : last + 1;
  while (firstAtOrAfter > 0 && times[firstAtOrAfter - 1]! >= t) firstAtOrAfter -= 1;
  const nRisk = firstAtOrAfter < times.length ? curve.nRisk[firstAtOrAfter]! : 0;
  if (last < 0) return { time: t, nRisk: times.length === 0 ? n : nRisk, survival: 1, stdError: 0, lower: 1, upper: 1 };
  const survival = curve.survival[last]!;
  return {
    time: t,
    nRisk,
    survival,
    stdError: curve.stdErr[last]! * survival,
    lower: curve.lower[last]!,
    upper: curve.upper[last]!,
  };
}
