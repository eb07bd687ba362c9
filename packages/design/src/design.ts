/**
 * Power, sample size and minimum detectable effect (MDE) for two-arm trials, individually or cluster randomised,
 * with a continuous or a binary outcome, covariate adjustment, unequal allocation, non-take-up and contamination.
 *
 *   effect among recipients (CACE) ──× (p₁ − p₀)──► ITT effect δ            p₁ take-up, p₀ contamination
 *   variance factor f = (1 − R²) · DE,  DE = 1 + ((cv² + 1)·m − 1)·ICC       (Eldridge et al. 2006; cv = 0: 1 + (m − 1)ICC)
 *   effective arm sizes n/f  ──method──► power(n_T, n_C, δ)
 *     normal    z test:  Φ(|δ|/SE − z₁₋α/₂),  SE² = f·σ²(1/n_T + 1/n_C)  (binary: f·(p_T q_T/n_T + p_C q_C/n_C))
 *     exact     continuous: noncentral t on n_T + n_C − 2 df, or clusters − 2 (R power.t.test, pwr.t2n.test)
 *               binary: the pooled-variance z test of R's power.prop.test, generalised to unequal arms
 *     arcsine   binary: Cohen's h = 2 asin √p_T − 2 asin √p_C (pwr.2p.test, pwr.2p2n.test)
 *   solve for: power (n and effect given) · n (effect given; Brent's method, or the closed form of the normal
 *   method) · MDE (n given)
 *
 * `strict` counts rejections in the wrong direction too (R's `strict = TRUE`; pwr always does); the default
 * (false) is R's power.t.test / power.prop.test default and the textbook closed form.
 */
import { diagnostic, normalCdf, normalQuantile, studentTQuantile, type Diagnostic } from '@trialkit/core';
import { designErrors } from './errors.js';
import { noncentralTCdf } from './noncentral-t.js';
import { brentRoot } from './root.js';

export type Outcome = 'continuous' | 'binary';
export type PowerMethod = 'normal' | 'exact' | 'arcsine';
export type Alternative = 'two.sided' | 'one.sided';
export type SolvedFor = 'power' | 'n' | 'mde';

export const OUTCOMES: readonly Outcome[] = ['continuous', 'binary'];
export const POWER_METHODS: readonly PowerMethod[] = ['normal', 'exact', 'arcsine'];
export const ALTERNATIVES: readonly Alternative[] = ['two.sided', 'one.sided'];

export interface DesignSpec {
  readonly outcome: Outcome;
  /**
   * The effect among those who receive support (the CACE; with full take-up and no contamination, the ITT):
   * a mean difference (continuous) or a difference in proportions (binary). Leave out to solve for the MDE.
   */
  readonly effect?: number;
  /** Outcome SD (continuous), before covariate adjustment. */
  readonly sd?: number;
  /** Outcome rate in the control arm (binary), as it will be observed (contaminated controls included). */
  readonly controlRate?: number;
  /** Significance level; default 0.05. */
  readonly alpha?: number;
  /** Target power when solving for n or the MDE; default 0.8. */
  readonly power?: number;
  /** Total participants (both arms). Leave out to solve for it. */
  readonly n?: number;
  /** Allocation ratio treatment:control; default 1. */
  readonly ratio?: number;
  /** Share of outcome variance explained by baseline covariates; variance × (1 − R²). Default 0. */
  readonly r2?: number;
  /** Intra-cluster correlation (cluster randomisation; needs clusterSize). */
  readonly icc?: number;
  /** Mean cluster size m. */
  readonly clusterSize?: number;
  /** Coefficient of variation of cluster sizes (SD/mean); default 0 (equal sizes). */
  readonly clusterCv?: number;
  /** Share of the treatment arm who receive support (p₁); default 1. */
  readonly takeUp?: number;
  /** Share of the control arm who receive similar support (p₀); default 0. */
  readonly contamination?: number;
  /** Default "exact" (R's power.t.test / power.prop.test). */
  readonly method?: PowerMethod;
  /** Default two-sided. A one-sided test is in the direction of the effect. */
  readonly alternative?: Alternative;
  /**
   * Count rejections in the wrong direction (two-sided only); default false, as R's power.t.test and
   * power.prop.test. The arcsine method always counts them, as pwr does.
   */
  readonly strict?: boolean;
  /** Binary MDE: solve for an increase (default) or a decrease in the rate. */
  readonly direction?: 'increase' | 'decrease';
}

export interface DesignMethod {
  readonly name: PowerMethod;
  readonly description: string;
  /** The R function this method reproduces, if any. */
  readonly r: string;
  /** Whether the answer came from a closed form (else by Brent root finding). */
  readonly closedForm: boolean;
}

export interface SampleSize {
  /** Exact (fractional) solution: the n at which the power equals the target. */
  readonly total: number;
  readonly control: number;
  readonly treatment: number;
  /** Rounded up per arm (for clusters: whole clusters × mean size, rounded up). */
  readonly totalRounded: number;
  readonly controlRounded: number;
  readonly treatmentRounded: number;
}

export interface ClusterDesign {
  readonly icc: number;
  readonly clusterSize: number;
  readonly clusterCv: number;
  readonly designEffect: number;
  /** Clusters per arm at the solution (fractional) and rounded up. */
  readonly clustersControl: number;
  readonly clustersTreatment: number;
  readonly clustersControlRounded: number;
  readonly clustersTreatmentRounded: number;
}

export interface DesignResult {
  readonly solvedFor: SolvedFor;
  readonly outcome: Outcome;
  readonly method: DesignMethod;
  readonly alternative: Alternative;
  readonly strict: boolean;
  readonly alpha: number;
  /** Target power (n, MDE) or the computed power (power). */
  readonly power: number;
  /** Power at the rounded-up sample size (n), else at the given n. */
  readonly achievedPower: number;
  readonly effect: {
    /** Effect among those who receive support (CACE scale). */
    readonly cace: number;
    /** ITT effect = CACE × (take-up − contamination). */
    readonly itt: number;
    /** Binary: control-arm rate and treatment-arm rate on the ITT scale (control + ITT). */
    readonly controlRate: number | null;
    readonly treatmentRate: number | null;
    /** Continuous: ITT effect / SD (Cohen's d, before covariate adjustment). Binary: Cohen's h. */
    readonly standardised: number;
  };
  readonly sd: number | null;
  readonly ratio: number;
  readonly r2: number;
  readonly receipt: {
    readonly takeUp: number;
    readonly contamination: number;
    /** p₁ − p₀: the share of participants whose support the assignment changes (the complier share). */
    readonly difference: number;
    /** 1/(p₁ − p₀)²: how much larger the sample must be than with full take-up and no contamination. */
    readonly inflation: number;
  };
  readonly clustering: ClusterDesign | null;
  /** (1 − R²) × design effect: the variance multiplier from covariates and clustering. */
  readonly varianceFactor: number;
  /** Degrees of freedom of the t test (exact method, continuous outcome), else null. */
  readonly df: number | null;
  readonly sampleSize: SampleSize;
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------------------------------------------------------
// Closed forms shared with the CLI and the README

/** Design effect for cluster randomisation: 1 + ((cv² + 1)·m − 1)·ICC (Eldridge, Ashby & Kerry 2006, eq. 3). */
export function designEffect(icc: number, clusterSize: number, clusterCv = 0): number {
  return 1 + ((clusterCv * clusterCv + 1) * clusterSize - 1) * icc;
}

/** Sample-size inflation from non-take-up (p₁ < 1) and contamination (p₀ > 0): 1/(p₁ − p₀)². */
export function receiptInflation(takeUp: number, contamination: number): number {
  const d = takeUp - contamination;
  return 1 / (d * d);
}

/** Cohen's h for two proportions: 2·asin(√p₁) − 2·asin(√p₂) (pwr::ES.h). */
export function cohenH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

interface Resolved {
  readonly outcome: Outcome;
  readonly method: PowerMethod;
  readonly alternative: Alternative;
  readonly strict: boolean;
  readonly alpha: number;
  readonly power: number;
  readonly sd: number | null;
  readonly controlRate: number | null;
  readonly ratio: number;
  readonly r2: number;
  readonly icc: number | null;
  readonly clusterSize: number | null;
  readonly clusterCv: number;
  readonly takeUp: number;
  readonly contamination: number;
  readonly receiptDifference: number;
  readonly varianceFactor: number;
  readonly designEffect: number;
  readonly direction: 'increase' | 'decrease';
}

function finite(argument: string, value: number | undefined, hint: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw designErrors.badNumber(argument, value, 'a finite number', hint);
  }
}

function inOpenUnit(argument: string, value: number, hint: string): void {
  if (!(value > 0 && value < 1)) throw designErrors.badProbability(argument, value, '(0, 1)', hint);
}

function resolve(spec: DesignSpec): Resolved {
  if (!OUTCOMES.includes(spec.outcome)) throw designErrors.badOutcome(spec.outcome);
  const method = spec.method ?? 'exact';
  if (!POWER_METHODS.includes(method)) throw designErrors.badMethod(method, POWER_METHODS);
  if (method === 'arcsine' && spec.outcome !== 'binary') throw designErrors.methodOutcome(method, spec.outcome);
  const alternative = spec.alternative ?? 'two.sided';
  if (!ALTERNATIVES.includes(alternative)) {
    throw designErrors.badNumber('alternative', alternative, '"two.sided" or "one.sided"', 'Use "two.sided" unless the protocol pre-specifies a one-sided test.');
  }
  for (const [name, value] of [['effect', spec.effect], ['sd', spec.sd], ['controlRate', spec.controlRate],
    ['alpha', spec.alpha], ['power', spec.power], ['n', spec.n], ['ratio', spec.ratio], ['r2', spec.r2],
    ['icc', spec.icc], ['clusterSize', spec.clusterSize], ['clusterCv', spec.clusterCv], ['takeUp', spec.takeUp],
    ['contamination', spec.contamination]] as const) {
    finite(name, value, `Give ${name} as a finite number.`);
  }
  const alpha = spec.alpha ?? 0.05;
  inOpenUnit('alpha', alpha, 'The significance level is a probability such as 0.05.');
  const power = spec.power ?? 0.8;
  inOpenUnit('power', power, 'The target power is a probability such as 0.8 or 0.9.');
  if (power <= alpha) throw designErrors.powerNotAboveAlpha(power, alpha);

  let sd: number | null = null;
  let controlRate: number | null = null;
  if (spec.outcome === 'continuous') {
    if (spec.sd === undefined) {
      throw designErrors.missing('sd', 'for a continuous outcome', 'Give the standard deviation of the outcome (e.g. of 12-month earnings), from earlier data.');
    }
    if (!(spec.sd > 0)) throw designErrors.badNumber('sd', spec.sd, 'positive', 'The outcome SD must be greater than 0.');
    sd = spec.sd;
  } else {
    if (spec.controlRate === undefined) {
      throw designErrors.missing('controlRate', 'for a binary outcome', 'Give the expected outcome rate in the control arm, e.g. 0.12 for 12% in work 13+ weeks.');
    }
    inOpenUnit('controlRate', spec.controlRate, 'The control-arm rate is a proportion strictly between 0 and 1, e.g. 0.12.');
    controlRate = spec.controlRate;
  }
  const ratio = spec.ratio ?? 1;
  if (!(ratio > 0)) throw designErrors.badNumber('ratio', ratio, 'positive', 'The allocation ratio is treatment:control, e.g. 1 for 1:1 or 2 for 2:1.');
  const r2 = spec.r2 ?? 0;
  if (!(r2 >= 0 && r2 < 1)) throw designErrors.badProbability('r2', r2, '[0, 1)', 'R² is the share of outcome variance explained by the baseline covariates, e.g. 0.2; use 0 for no adjustment.');
  let icc: number | null = null;
  let clusterSize: number | null = null;
  const clusterCv = spec.clusterCv ?? 0;
  if (spec.icc !== undefined || spec.clusterSize !== undefined) {
    if (spec.icc === undefined) throw designErrors.clusterIncomplete('clusterSize', 'icc');
    if (spec.clusterSize === undefined) throw designErrors.clusterIncomplete('icc', 'clusterSize');
    if (!(spec.icc >= 0 && spec.icc < 1)) {
      throw designErrors.badProbability('icc', spec.icc, '[0, 1)', 'The intra-cluster correlation is usually small, e.g. 0.01–0.05 for employment outcomes by GP practice or office.');
    }
    if (!(spec.clusterSize >= 1)) {
      throw designErrors.badNumber('clusterSize', spec.clusterSize, 'at least 1', 'Give the mean number of participants per cluster.');
    }
    icc = spec.icc;
    clusterSize = spec.clusterSize;
  }
  if (!(clusterCv >= 0)) throw designErrors.badNumber('clusterCv', clusterCv, '≥ 0', 'The coefficient of variation of cluster sizes is SD/mean of the sizes, e.g. 0.4; 0 for equal sizes.');
  if (spec.clusterCv !== undefined && spec.clusterCv > 0 && icc === null) {
    throw designErrors.clusterIncomplete('clusterCv', 'icc');
  }
  const takeUp = spec.takeUp ?? 1;
  const contamination = spec.contamination ?? 0;
  if (!(takeUp >= 0 && takeUp <= 1)) throw designErrors.badProbability('takeUp', takeUp, '[0, 1]', 'Take-up is the share of the treatment arm who start support, e.g. 0.6.');
  if (!(contamination >= 0 && contamination <= 1)) {
    throw designErrors.badProbability('contamination', contamination, '[0, 1]', 'Contamination is the share of controls who receive similar support, e.g. 0.15.');
  }
  const receiptDifference = takeUp - contamination;
  if (!(receiptDifference > 0)) throw designErrors.noReceiptDifference(takeUp, contamination);
  const de = icc === null || clusterSize === null ? 1 : designEffect(icc, clusterSize, clusterCv);
  const direction = spec.direction ?? 'increase';
  if (direction !== 'increase' && direction !== 'decrease') {
    throw designErrors.badNumber('direction', direction, '"increase" or "decrease"', 'Say whether the MDE is a rise or a fall in the rate.');
  }
  return {
    outcome: spec.outcome, method, alternative, strict: (spec.strict === true || method === 'arcsine') && alternative === 'two.sided', alpha,
    power, sd, controlRate, ratio, r2, icc, clusterSize, clusterCv, takeUp, contamination, receiptDifference,
    varianceFactor: (1 - r2) * de, designEffect: de, direction,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Power by method

function tails(r: Resolved): number {
  return r.alternative === 'two.sided' ? 2 : 1;
}

/** The t test's degrees of freedom: arms' sizes − 2, or with clusters the number of clusters − 2. */
function tDf(r: Resolved, nT: number, nC: number): number {
  if (r.clusterSize !== null) return (nT + nC) / r.clusterSize - 2;
  return nT + nC - 2;
}

function usesT(r: Resolved): boolean {
  return r.outcome === 'continuous' && r.method === 'exact';
}

/** Power at arm sizes nT, nC (participants) for ITT effect itt. */
function powerAt(r: Resolved, nT: number, nC: number, itt: number): number {
  const k = tails(r);
  const f = r.varianceFactor;
  const d = Math.abs(itt);
  if (r.outcome === 'continuous') {
    const se = (r.sd as number) * Math.sqrt(f * (1 / nT + 1 / nC));
    if (r.method === 'normal') {
      const z = normalQuantile(1 - r.alpha / k);
      return normalCdf(d / se - z) + (r.strict ? normalCdf(-d / se - z) : 0);
    }
    const df = tDf(r, nT, nC);
    const qu = studentTQuantile(1 - r.alpha / k, df);
    const ncp = d / se;
    return noncentralTCdf(qu, df, ncp, false) + (r.strict ? noncentralTCdf(-qu, df, ncp, true) : 0);
  }
  const pC = r.controlRate as number;
  const pT = pC + itt;
  const z = normalQuantile(1 - r.alpha / k);
  if (r.method === 'arcsine') {
    const h = Math.abs(cohenH(pT, pC));
    const scale = Math.sqrt((nT * nC) / ((nT + nC) * f));
    // pwr.2p2n.test counts both tails of a two-sided test (resolve() sets strict for arcsine).
    return normalCdf(h * scale - z) + (r.strict ? normalCdf(-z - h * scale) : 0);
  }
  const v1 = f * ((pT * (1 - pT)) / nT + (pC * (1 - pC)) / nC);
  if (r.method === 'normal') {
    const se = Math.sqrt(v1);
    return normalCdf(d / se - z) + (r.strict ? normalCdf(-d / se - z) : 0);
  }
  const pBar = (nT * pT + nC * pC) / (nT + nC);
  const v0 = f * pBar * (1 - pBar) * (1 / nT + 1 / nC);
  const s1 = Math.sqrt(v1);
  const s0 = Math.sqrt(v0);
  return normalCdf((d - z * s0) / s1) + (r.strict ? normalCdf((-d - z * s0) / s1) : 0);
}

function arms(r: Resolved, total: number): [number, number] {
  return [(total * r.ratio) / (1 + r.ratio), total / (1 + r.ratio)];
}

function powerAtTotal(r: Resolved, total: number, itt: number): number {
  const [nT, nC] = arms(r, total);
  return powerAt(r, nT, nC, itt);
}

/** The smallest total n the method can evaluate (t test: df > 0), exclusive. */
function minimumTotal(r: Resolved): number {
  if (!usesT(r)) return 0;
  return r.clusterSize !== null ? 2 * r.clusterSize : 2;
}

function describeMethod(r: Resolved, closedForm: boolean): DesignMethod {
  const clustered = r.clusterSize !== null;
  if (r.outcome === 'continuous') {
    if (r.method === 'normal') {
      return {
        name: 'normal',
        description: 'normal approximation (z test) for a difference in means',
        r: 'none (closed form)',
        closedForm,
      };
    }
    return {
      name: 'exact',
      description: `noncentral t test on ${clustered ? 'clusters − 2' : 'n − 2'} degrees of freedom`,
      r: clustered ? 'stats::pt with ncp on clusters − 2 df (no R function takes clusters)'
        : r.ratio === 1 ? 'stats::power.t.test' : 'pwr::pwr.t2n.test',
      closedForm,
    };
  }
  if (r.method === 'normal') {
    return { name: 'normal', description: 'normal approximation (Wald z test, unpooled variance) for a difference in proportions', r: 'none (closed form)', closedForm };
  }
  if (r.method === 'arcsine') {
    return {
      name: 'arcsine',
      description: "arcsine transformation (Cohen's h) for a difference in proportions",
      r: r.ratio === 1 ? 'pwr::pwr.2p.test' : 'pwr::pwr.2p2n.test',
      closedForm,
    };
  }
  return {
    name: 'exact',
    description: 'z test with pooled variance under the null (Fleiss) for a difference in proportions',
    r: r.ratio === 1 ? 'stats::power.prop.test' : 'stats::power.prop.test, generalised to unequal arms',
    closedForm,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Solving

const N_MAX = 1e10;

/** Total n at which the power equals the target: closed form for the normal method, else Brent. */
function solveN(r: Resolved, itt: number): { total: number; closedForm: boolean } {
  const k = tails(r);
  const zSum = normalQuantile(1 - r.alpha / k) + normalQuantile(r.power);
  const f = r.varianceFactor;
  const allocation = (1 + r.ratio) ** 2 / r.ratio; // n·(1/n_T + 1/n_C)
  let guess: number;
  if (r.outcome === 'continuous') {
    guess = (zSum * zSum * (r.sd as number) ** 2 * f * allocation) / (itt * itt);
  } else {
    const pC = r.controlRate as number;
    const pT = pC + itt;
    const h = cohenH(pT, pC);
    guess = r.method === 'arcsine'
      ? (zSum * zSum * f * allocation) / (h * h)
      : (zSum * zSum * f * ((pT * (1 - pT) * (1 + r.ratio)) / r.ratio + pC * (1 - pC) * (1 + r.ratio))) / (itt * itt);
  }
  const closed = !r.strict && (r.method === 'normal' || (r.method === 'arcsine' && k === 1));
  if (closed) return { total: guess, closedForm: true };
  const target = (n: number): number => powerAtTotal(r, n, itt) - r.power;
  const lower = minimumTotal(r);
  let lo = Math.max(lower + Math.max(lower, 1) * 1e-10, guess / 2);
  for (let i = 0; i < 200 && target(lo) > 0; i++) lo = lower + (lo - lower) / 4;
  let hi = Math.max(guess * 1.5, lo * 2);
  while (target(hi) < 0) {
    if (hi > N_MAX) {
      throw designErrors.unreachable(
        `No sample size up to ${N_MAX.toExponential(0)} reaches power ${r.power}`,
        'The effect is too small for the design: check the effect, the take-up and contamination, and the ICC.',
      );
    }
    hi *= 2;
  }
  const total = brentRoot(target, lo, hi, 1e-13 * hi);
  if (!Number.isFinite(total)) {
    throw designErrors.unreachable(
      `The power is above ${r.power} at every sample size the ${r.method} method can evaluate`,
      'The effect is very large relative to the outcome\'s spread; check the effect and SD, or give n to see the power.',
    );
  }
  return { total, closedForm: false };
}

/** Magnitude of the smallest ITT effect with the target power at total n. */
function solveMde(r: Resolved, total: number): { itt: number; closedForm: boolean } {
  const [nT, nC] = arms(r, total);
  const k = tails(r);
  const zSum = normalQuantile(1 - r.alpha / k) + normalQuantile(r.power);
  const f = r.varianceFactor;
  const sign = r.direction === 'decrease' ? -1 : 1;
  if (r.outcome === 'continuous' && r.method === 'normal' && !r.strict) {
    return { itt: zSum * (r.sd as number) * Math.sqrt(f * (1 / nT + 1 / nC)), closedForm: true };
  }
  let upper: number;
  if (r.outcome === 'continuous') {
    upper = 2 * zSum * (r.sd as number) * Math.sqrt(f * (1 / nT + 1 / nC));
    while (powerAt(r, nT, nC, upper) < r.power) {
      upper *= 2;
      if (upper > 1e12 * (r.sd as number)) {
        throw designErrors.unreachable(`No effect reaches power ${r.power} with n = ${total}`, 'Give a larger n.');
      }
    }
  } else {
    const pC = r.controlRate as number;
    upper = sign > 0 ? 1 - pC : pC;
    const edge = upper * (1 - 1e-12);
    if (powerAt(r, nT, nC, sign * edge) < r.power) {
      throw designErrors.unreachable(
        `Even a change of the control rate ${pC} to ${sign > 0 ? 1 : 0} would not reach power ${r.power} with n = ${total}`,
        'Give a larger n, or a lower target power.',
      );
    }
    upper = edge;
  }
  const target = (u: number): number => powerAt(r, nT, nC, sign * u) - r.power;
  const itt = brentRoot(target, upper * 1e-12, upper, 1e-15 * Math.max(upper, 1e-300));
  return { itt: sign * itt, closedForm: false };
}

function checkBinaryRate(r: Resolved, itt: number): void {
  if (r.outcome !== 'binary') return;
  const pT = (r.controlRate as number) + itt;
  if (!(pT > 0 && pT < 1)) throw designErrors.rateOutOfRange(r.controlRate as number, itt);
}

/** A cluster trial needs at least this many clusters in each arm (one cluster per arm confounds arm and cluster). */
const MIN_CLUSTERS_PER_ARM = 2;

/** Refuse a given n that puts fewer than two clusters in an arm. */
function checkClusters(r: Resolved, total: number): void {
  if (r.clusterSize === null) return;
  const [nT, nC] = arms(r, total);
  const smaller = Math.min(nT, nC) / r.clusterSize;
  if (smaller < MIN_CLUSTERS_PER_ARM * (1 - 1e-12)) {
    const minimum = (MIN_CLUSTERS_PER_ARM * r.clusterSize * (1 + r.ratio)) / Math.min(r.ratio, 1);
    throw designErrors.tooFewClusters(total, smaller, Math.ceil(minimum * (1 - 1e-12)));
  }
}

function roundUp(x: number): number {
  // A solution a rounding error above an integer (e.g. 64.00000000001) is that integer.
  return Math.ceil(x * (1 - 1e-12));
}

function buildSampleSize(r: Resolved, total: number, solved: boolean): { size: SampleSize; clusters: ClusterDesign | null; nT: number; nC: number } {
  const [treatment, control] = arms(r, total);
  let controlRounded: number;
  let treatmentRounded: number;
  let clusters: ClusterDesign | null = null;
  let nT = treatment;
  let nC = control;
  if (r.clusterSize !== null && r.icc !== null) {
    const m = r.clusterSize;
    const kC = control / m;
    const kT = treatment / m;
    // At least two clusters per arm (see checkClusters); a large effect can solve to fewer.
    const kCr = solved ? Math.max(MIN_CLUSTERS_PER_ARM, roundUp(kC)) : kC;
    const kTr = solved ? Math.max(MIN_CLUSTERS_PER_ARM, roundUp(kT)) : kT;
    clusters = {
      icc: r.icc, clusterSize: m, clusterCv: r.clusterCv, designEffect: r.designEffect,
      clustersControl: kC, clustersTreatment: kT,
      clustersControlRounded: solved ? kCr : roundUp(kC), clustersTreatmentRounded: solved ? kTr : roundUp(kT),
    };
    if (solved) {
      nC = kCr * m;
      nT = kTr * m;
    }
    controlRounded = roundUp(kCr * m);
    treatmentRounded = roundUp(kTr * m);
  } else {
    controlRounded = roundUp(control);
    treatmentRounded = roundUp(treatment);
    if (solved) {
      nC = controlRounded;
      nT = treatmentRounded;
    }
  }
  return {
    size: {
      total, control, treatment,
      totalRounded: controlRounded + treatmentRounded, controlRounded, treatmentRounded,
    },
    clusters, nT, nC,
  };
}

function designDiagnostics(r: Resolved, nT: number, nC: number, itt: number, cace: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Every method but the continuous exact one (a t on clusters − 2 df) is a z test, which has no small-sample
  // allowance for few clusters — including power.prop.test's pooled test for a binary outcome.
  if (r.clusterSize !== null && !usesT(r)) {
    const k = Math.min(nT, nC) / r.clusterSize;
    if (k < 15) {
      const advice = r.outcome === 'binary'
        ? 'check the power by simulation with the planned analysis (e.g. CR2 standard errors on clusters − 2 df)'
        : 'analyse with small-sample (CR2 / t on clusters − 2 df) methods and plan with the exact method';
      out.push(diagnostic('DESIGN_FEW_CLUSTERS', 'warning', `Only ${k.toFixed(1)} clusters in the smaller arm: a normal (z) approximation overstates the power of a cluster trial with fewer than about 15 clusters per arm; ${advice}.`));
    }
  }
  if (r.outcome === 'continuous' && r.method === 'normal' && r.clusterSize === null && Math.min(nT, nC) < 30) {
    out.push(diagnostic('DESIGN_SMALL_SAMPLE_NORMAL', 'info', 'With fewer than 30 per arm the t test has noticeably less power than the normal approximation says; use the exact (noncentral t) method.'));
  }
  if (r.outcome === 'binary') {
    const pC = r.controlRate as number;
    const pT = pC + itt;
    const fewest = Math.min(nT * Math.min(pT, 1 - pT), nC * Math.min(pC, 1 - pC)) / r.designEffect;
    if (fewest < 10) {
      out.push(diagnostic('DESIGN_FEW_EVENTS', 'warning', `An arm expects fewer than 10 (effective) participants with — or without — the outcome (${fewest.toFixed(1)}): the normal approximations behind these power formulas are poor; check by simulation or an exact test.`));
    }
    if (Math.abs(cace) > 1) {
      out.push(diagnostic('DESIGN_CACE_IMPOSSIBLE', 'warning', `The effect among recipients implied on the CACE scale (${cace.toFixed(3)}) is a difference in proportions larger than 1, which cannot happen: with this take-up and contamination the trial cannot detect such an ITT effect in a real population.`));
    }
  }
  if (r.receiptDifference < 1) {
    out.push(diagnostic('DESIGN_RECEIPT_INFLATION', 'info', `Take-up ${r.takeUp} and contamination ${r.contamination} dilute the ITT effect to ${r.receiptDifference.toFixed(3)} × the effect among recipients, so the trial needs ${receiptInflation(r.takeUp, r.contamination).toFixed(2)} times the participants of one with full take-up and no contamination.`));
  }
  return out;
}

/**
 * Solve a trial design: the power (give n and effect), the sample size (give effect, leave out n) or the minimum
 * detectable effect (give n, leave out effect). See DesignSpec for the inputs and DesignResult for what comes back.
 */
export function planTrial(spec: DesignSpec): DesignResult {
  const r = resolve(spec);
  let solvedFor: SolvedFor;
  if (spec.n === undefined && spec.effect === undefined) throw designErrors.nothingToSolve();
  if (spec.n === undefined) solvedFor = 'n';
  else if (spec.effect === undefined) solvedFor = 'mde';
  else solvedFor = 'power';
  if (spec.n !== undefined) {
    const minimum = minimumTotal(r);
    if (!(spec.n > minimum) || !(spec.n > 0)) {
      if (minimum > 0) throw designErrors.tooSmall(spec.n, minimum, r.clusterSize !== null ? 'more than 2 clusters' : 'more than 2 participants');
      throw designErrors.badNumber('n', spec.n, 'positive', 'Give the total number of participants in both arms.');
    }
    checkClusters(r, spec.n);
  }
  if (spec.effect !== undefined && spec.effect === 0) throw designErrors.zeroEffect();
  if (spec.effect !== undefined && r.outcome === 'binary' && Math.abs(spec.effect) >= 1) {
    throw designErrors.badNumber('effect', spec.effect, 'a difference in proportions between −1 and 1', 'Give the effect as a proportion, e.g. 0.08 for 8 percentage points.');
  }

  let itt: number;
  let cace: number;
  let total: number;
  let closedForm: boolean;
  let achieved: number;
  let power: number;
  if (solvedFor === 'mde') {
    total = spec.n as number;
    const solved = solveMde(r, total);
    itt = solved.itt;
    cace = itt / r.receiptDifference;
    closedForm = solved.closedForm;
  } else {
    cace = spec.effect as number;
    itt = cace * r.receiptDifference;
    checkBinaryRate(r, itt);
    if (solvedFor === 'n') {
      const solved = solveN(r, itt);
      total = solved.total;
      closedForm = solved.closedForm;
    } else {
      total = spec.n as number;
      closedForm = true;
    }
  }
  const built = buildSampleSize(r, total, solvedFor === 'n');
  if (solvedFor === 'power') {
    power = powerAtTotal(r, total, itt);
    achieved = power;
  } else {
    power = r.power;
    achieved = powerAt(r, built.nT, built.nC, itt);
  }
  const [nTsol, nCsol] = arms(r, total);
  const pC = r.controlRate;
  return {
    solvedFor,
    outcome: r.outcome,
    method: describeMethod(r, closedForm || solvedFor === 'power'),
    alternative: r.alternative,
    strict: r.strict,
    alpha: r.alpha,
    power,
    achievedPower: achieved,
    effect: {
      cace,
      itt,
      controlRate: pC,
      treatmentRate: pC === null ? null : pC + itt,
      standardised: pC === null ? itt / (r.sd as number) : cohenH(pC + itt, pC),
    },
    sd: r.sd,
    ratio: r.ratio,
    r2: r.r2,
    receipt: {
      takeUp: r.takeUp,
      contamination: r.contamination,
      difference: r.receiptDifference,
      inflation: receiptInflation(r.takeUp, r.contamination),
    },
    clustering: built.clusters,
    varianceFactor: r.varianceFactor,
    df: usesT(r) ? tDf(r, built.nT, built.nC) : null,
    sampleSize: built.size,
    diagnostics: designDiagnostics(r, solvedFor === 'n' ? built.nT : nTsol, solvedFor === 'n' ? built.nC : nCsol, itt, cace),
  };
}

/** Power of a design with n and effect given. */
export function trialPower(spec: DesignSpec & { readonly n: number; readonly effect: number }): DesignResult {
  return planTrial(spec);
}

/** Sample size for a design with the effect given (spec.n must be absent). */
export function trialSampleSize(spec: Omit<DesignSpec, 'n'> & { readonly effect: number }): DesignResult {
  return planTrial(spec);
}

/** Minimum detectable effect at n (spec.effect must be absent). */
export function minimumDetectableEffect(spec: Omit<DesignSpec, 'effect'> & { readonly n: number }): DesignResult {
  return planTrial(spec);
}
