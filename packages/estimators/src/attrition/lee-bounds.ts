/**
 * Lee (2009) bounds on the ITT for the always-responders — those who would answer the follow-up whichever arm they
 * were assigned to — and their standard errors and confidence intervals.
 *
 * Source: Lee, D. S. (2009) "Training, Wages, and Sample Selection: Estimating Sharp Bounds on Treatment Effects",
 * Review of Economic Studies 76(3), 1071–1102: Proposition 1 (sharp bounds by trimming), §3.2 (estimator),
 * Proposition 3 (asymptotic variance), §4 / Imbens & Manski (2004) for the interval. Ties are trimmed fractionally,
 * as Stata's leebounds does (Tauchmann 2014), so the trimmed share is exact for discrete outcomes.
 *
 * Under monotonicity (assignment moves response one way for everyone), the arm h with the higher response rate holds
 * the always-responders plus a share p of "induced" responders:
 *   q_a = n_a/N_a (responders/assigned), p = (q_h − q_l)/q_h, kept mass K = n_h(1 − p) = N_h·n_l/N_l.
 * Keeping the K smallest (largest) responder outcomes of arm h gives the smallest (largest) mean the always-responders
 * of arm h can have. With y_(1) ≤ … ≤ y_(n_h) and 1-based i, the weights are
 *   keep bottom: w_i = min(max(K − (i − 1), 0), 1)      keep top: w_i = min(max(K − (n_h − i), 0), 1)
 * (one boundary observation carries the fractional weight; with ties it does not matter which of the tied values).
 *   μ = Σ w y / K,  V = Σ w (y − μ)² / K,  c = the kept value at the cut (the extreme value with w > 0).
 * Proposition 3, with its population moments replaced by these sample ones (divisors n, not n − 1):
 *   Var(bound) = [V + p (c − μ)²] / K                            trimmed mean, quantile estimated
 *              + (c − μ)² [(1 − q_h)/n_h + (1 − q_l)/n_l]        ((c − μ)/(1 − p))² Var(p̂), by the delta method
 *              + V_l / n_l                                       the untrimmed arm's mean
 * The same formula holds when c is a mass point (many zeros): the trimmed mean is then c + E[(Y − c)⁺]/(1 − p),
 * whose influence function gives exactly these terms with the fractional weights (README, "Ties").
 * Bounds on the ITT:  h = treatment: [μ_bottom − ȳ_control, μ_top − ȳ_control];
 *                     h = control:   [ȳ_treatment − μ_top, ȳ_treatment − μ_bottom]  (signs swap).
 * Intervals: Imbens–Manski (2004) for the parameter, C solving Φ(C + (U − L)/max(σ_L, σ_U)) − Φ(−C) = level,
 * [L − C σ_L, U + C σ_U]; and the interval for the identified set [L − z σ_L, U + z σ_U], z = Φ⁻¹((1 + level)/2).
 */
import { diagnostic, makeEstimate, normalCdf, normalQuantile, twoSidedNormalP, type Diagnostic, type Estimate } from '@trialkit/core';
import { checkLevel } from '../checks.js';
import { attritionErrors } from './errors.js';

export const LEE_ESTIMAND = 'ITT (always-responders, Lee bounds)';

export interface LeeBoundsArgs {
  /** Outcomes of the treatment arm's responders (finite numbers). */
  readonly treatedOutcomes: Float64Array | readonly number[];
  /** Outcomes of the control arm's responders. */
  readonly controlOutcomes: Float64Array | readonly number[];
  /** Numbers assigned to each arm, responders and non-responders together. */
  readonly nAssignedTreated: number;
  readonly nAssignedControl: number;
  readonly level?: number;
  /** Outcome name for the Estimates (default "outcome"). */
  readonly outcome?: string;
}

export interface LeeInterval {
  readonly low: number;
  readonly high: number;
  readonly level: number;
  readonly method: string;
}

export interface LeeBoundsResult {
  /** The arm whose responders were trimmed: the one with the higher response rate (treatment when equal). */
  readonly trimmedArm: 'treatment' | 'control';
  /** p = (q_high − q_low)/q_high: the share of the trimmed arm's responders that are trimmed away. */
  readonly trimProportion: number;
  /** Responder mass kept in the trimmed arm, K = n_h(1 − p) (fractional). */
  readonly keptMass: number;
  readonly lower: number;
  readonly upper: number;
  readonly seLower: number;
  readonly seUpper: number;
  /** Outcome value at which the trimmed arm was cut for the lower and the upper bound. */
  readonly lowerCutoff: number;
  readonly upperCutoff: number;
  /** Imbens–Manski interval for the ITT of the always-responders (covers the parameter with probability ≥ level). */
  readonly ci: LeeInterval & { readonly method: 'Imbens-Manski'; readonly critical: number };
  /** [lower − z·seLower, upper + z·seUpper]: covers the whole identified set with probability ≥ level. */
  readonly boundsCi: LeeInterval & { readonly method: 'bounds ± z·se' };
  /** Mean outcome of the responders in each arm, and their difference (the complete-case ITT; = both bounds when p = 0). */
  readonly respondentMeans: { readonly control: number; readonly treatment: number };
  readonly respondentDifference: number;
  readonly nResponders: { readonly control: number; readonly treatment: number };
  readonly nAssigned: { readonly control: number; readonly treatment: number };
  /** The lower and upper bound as Estimates (estimator "lee_bounds", normal reference, df NA). */
  readonly estimates: readonly [Estimate, Estimate];
  /** LEE_NO_TRIMMING, LEE_FEW_KEPT, LEE_ZERO_SE (see README). */
  readonly diagnostics: readonly Diagnostic[];
  /** One sentence for reports: what was trimmed and how the intervals were made. */
  readonly method: string;
}

/** Below this many responders' worth kept in the trimmed arm, the asymptotic standard errors are flagged. */
export const LEE_FEW_KEPT = 20;

interface Trimmed {
  readonly mean: number;
  readonly variance: number;
  readonly cutoff: number;
}

/** Mean, variance and cut value of the K-mass kept from the bottom (keepTop false) or top of sorted y. */
function trimmedMoments(sorted: Float64Array, kept: number, keepTop: boolean): Trimmed {
  const n = sorted.length;
  const weight = (i: number): number => {
    const rank = keepTop ? n - 1 - i : i; // 0-based distance from the kept end
    return Math.min(Math.max(kept - rank, 0), 1);
  };
  let sum = 0;
  let first = -1; // smallest and largest index with positive weight
  let last = -1;
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    if (w > 0) {
      sum += w * sorted[i]!;
      if (first < 0) first = i;
      last = i;
    }
  }
  const cutoff = sorted[keepTop ? first : last]!;
  const mean = sum / kept;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    if (w > 0) squares += w * (sorted[i]! - mean) ** 2;
  }
  return { mean, variance: squares / kept, cutoff };
}

function toChecked(values: Float64Array | readonly number[], argument: string): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) throw attritionErrors.nonFiniteOutcome(argument, i + 1);
  return out;
}

function checkAssigned(value: number, responders: number, argument: string): void {
  if (!(Number.isInteger(value) && value >= responders)) throw attritionErrors.badAssignedCount(argument, value, responders);
}

function meanAndVariance(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / values.length };
}

/**
 * Imbens & Manski (2004), eq. (6) / Lee (2009) §4: the C with Φ(C + width/σ_max) − Φ(−C) = level, found by bisection
 * on [Φ⁻¹(level), Φ⁻¹((1 + level)/2)] (the left end is the limit for a wide set, the right one for a point) to the
 * last bit.
 */
export function imbensManskiCritical(width: number, seLower: number, seUpper: number, level: number): number {
  checkLevel(level);
  for (const [argument, value] of [['width', width], ['seLower', seLower], ['seUpper', seUpper]] as const) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw attritionErrors.badImArgument(argument, value);
  }
  const sigma = Math.max(seLower, seUpper);
  const ratio = sigma > 0 ? width / sigma : width > 0 ? Infinity : 0;
  const f = (c: number): number => normalCdf(c + ratio) - normalCdf(-c) - level;
  let a = normalQuantile(level);
  let b = normalQuantile((1 + level) / 2);
  for (let k = 0; k < 400; k++) {
    const m = (a + b) / 2;
    if (m <= a || m >= b) break;
    if (f(m) < 0) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

export function leeBounds(args: LeeBoundsArgs): LeeBoundsResult {
  const level = checkLevel(args.level);
  const treated = toChecked(args.treatedOutcomes, 'treatedOutcomes');
  const control = toChecked(args.controlOutcomes, 'controlOutcomes');
  if (treated.length === 0) throw attritionErrors.noResponders('treatment', 'treatment');
  if (control.length === 0) throw attritionErrors.noResponders('control', 'control');
  if (treated.length < 2) throw attritionErrors.tooFewResponders('treatment', 'treatment', treated.length);
  if (control.length < 2) throw attritionErrors.tooFewResponders('control', 'control', control.length);
  checkAssigned(args.nAssignedTreated, treated.length, 'nAssignedTreated');
  checkAssigned(args.nAssignedControl, control.length, 'nAssignedControl');

  const nT = treated.length;
  const nC = control.length;
  const rateT = nT / args.nAssignedTreated;
  const rateC = nC / args.nAssignedControl;
  const trimTreated = rateT >= rateC;
  const high = trimTreated ? treated : control;
  const low = trimTreated ? control : treated;
  const assignedHigh = trimTreated ? args.nAssignedTreated : args.nAssignedControl;
  const assignedLow = trimTreated ? args.nAssignedControl : args.nAssignedTreated;
  const nHigh = high.length;
  const nLow = low.length;
  const rateHigh = nHigh / assignedHigh;
  const rateLow = nLow / assignedLow;
  // K = N_h n_l / N_l: an exact integer product divided once, so a whole K is exactly whole.
  const kept = (assignedHigh * nLow) / assignedLow;
  const trimProportion = (nHigh - kept) / nHigh;

  const sorted = Float64Array.from(high).sort();
  const bottom = trimmedMoments(sorted, kept, false);
  const top = trimmedMoments(sorted, kept, true);
  const untrimmed = meanAndVariance(low);
  const selectionTerm = (1 - rateHigh) / nHigh + (1 - rateLow) / nLow;
  // Lee (2009) Proposition 3 (see the header for each term).
  const variance = (t: Trimmed): number => {
    const gap2 = (t.cutoff - t.mean) ** 2;
    return (t.variance + trimProportion * gap2) / kept + gap2 * selectionTerm + untrimmed.variance / nLow;
  };

  let lower: number, upper: number, seLower: number, seUpper: number, lowerCutoff: number, upperCutoff: number;
  if (trimTreated) {
    lower = bottom.mean - untrimmed.mean;
    upper = top.mean - untrimmed.mean;
    seLower = Math.sqrt(variance(bottom));
    seUpper = Math.sqrt(variance(top));
    lowerCutoff = bottom.cutoff;
    upperCutoff = top.cutoff;
  } else {
    lower = untrimmed.mean - top.mean;
    upper = untrimmed.mean - bottom.mean;
    seLower = Math.sqrt(variance(top));
    seUpper = Math.sqrt(variance(bottom));
    lowerCutoff = top.cutoff;
    upperCutoff = bottom.cutoff;
  }

  const diagnostics: Diagnostic[] = [];
  if (trimProportion === 0) {
    diagnostics.push(
      diagnostic(
        'LEE_NO_TRIMMING',
        'info',
        'The arms responded at exactly the same rate, so nothing is trimmed and both bounds equal the difference in respondent means. Their standard errors keep the term for the estimated trimming proportion (conservative): at p = 0 the direction of trimming is itself uncertain and Lee\'s normal approximation is not exact.',
      ),
    );
  }
  if (kept < LEE_FEW_KEPT) {
    diagnostics.push(
      diagnostic(
        'LEE_FEW_KEPT',
        'warning',
        `Only ${Number(kept.toFixed(2))} responders' worth are kept in the trimmed ${trimTreated ? 'treatment' : 'control'} arm; the bounds' standard errors rest on asymptotics (Lee 2009, Proposition 3) and may be far off — treat the intervals as rough.`,
      ),
    );
  }
  if (!(seLower > 0) || !(seUpper > 0)) {
    diagnostics.push(
      diagnostic('LEE_ZERO_SE', 'warning', 'A bound has a standard error of zero (the responders\' outcomes do not vary), so its test statistic and p-value are undefined and its intervals collapse to the bound.'),
    );
  }
  const z = normalQuantile((1 + level) / 2);
  // upper ≥ lower in exact arithmetic; the two trimmed sums can differ in their last bit the wrong way (ties).
  const critical = imbensManskiCritical(Math.max(upper - lower, 0), seLower, seUpper, level);
  const meanT = meanAndVariance(treated).mean;
  const meanC = trimTreated ? untrimmed.mean : meanAndVariance(control).mean;
  const outcome = args.outcome ?? 'outcome';
  const common = {
    trimmedArm: trimTreated ? 'treatment' : 'control',
    trimProportion,
    imbensManski: { low: lower - critical * seLower, high: upper + critical * seUpper, critical },
  };
  const boundEstimate = (bound: 'lower' | 'upper', value: number, se: number, cutoff: number): Estimate => {
    const statistic = value / se;
    return makeEstimate({
      estimand: LEE_ESTIMAND,
      estimator: 'lee_bounds',
      term: `${bound} bound`,
      estimate: value,
      stdError: se,
      statistic,
      df: Infinity,
      pValue: twoSidedNormalP(statistic),
      confLow: value - z * se,
      confHigh: value + z * se,
      level,
      seType: 'Lee (2009) Prop. 3',
      nObs: nT + nC,
      outcome,
      bound,
      cutoff,
      ...common,
      diagnostics: [],
    });
  };
  return {
    trimmedArm: trimTreated ? 'treatment' : 'control',
    trimProportion,
    keptMass: kept,
    lower,
    upper,
    seLower,
    seUpper,
    lowerCutoff,
    upperCutoff,
    ci: { low: lower - critical * seLower, high: upper + critical * seUpper, level, method: 'Imbens-Manski', critical },
    boundsCi: { low: lower - z * seLower, high: upper + z * seUpper, level, method: 'bounds ± z·se' },
    respondentMeans: { control: meanC, treatment: meanT },
    respondentDifference: meanT - meanC,
    nResponders: { control: nC, treatment: nT },
    nAssigned: { control: args.nAssignedControl, treatment: args.nAssignedTreated },
    estimates: [boundEstimate('lower', lower, seLower, lowerCutoff), boundEstimate('upper', upper, seUpper, upperCutoff)],
    diagnostics,
    method:
      `Lee (2009) bounds: the ${trimTreated ? 'treatment' : 'control'} arm responded more, so ${(100 * trimProportion).toFixed(1)}% of its responders ` +
      `were trimmed from the top (lower bound) or bottom (upper bound) of their outcomes, ties weighted fractionally; standard errors by Lee's ` +
      `Proposition 3; ${Number((100 * level).toPrecision(10))}% interval for the always-responders' ITT by Imbens & Manski (2004). Assumes assignment moves ` +
      'response in one direction for everyone (monotonicity).',
  };
}
