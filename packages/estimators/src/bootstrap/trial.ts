/**
 * Bootstrap Estimates for a trial: the ITT (difference in means by assignment) and a ratio of two ITTs (e.g. cost
 * per additional job outcome), resampled as the trial was designed.
 *
 *   PreparedTrial ──ittDesign (checks; strata = block × arm; units = rows or clusters)──►
 *     engine (seeded; statistic = difference_in_means' estimate Σ_b (N_b/N)(ȳ1_b − ȳ0_b) on the resampled rows)
 *     ──► leave-one-unit-out values in closed form (O(1) per unit) ──► boot.ci intervals ──► Estimate
 *
 * Resampling within arm (and block) keeps each arm's (block's) number of units, as the randomisation fixed them:
 * the two-sample bootstrap of Davison & Hinkley (1997, §3.2) and Efron & Tibshirani (1993, §8.3), stratified by
 * block (D&H §3.7); with clusters, whole clusters are resampled (D&H §3.8), so every replicate's ITT is defined.
 */
import { diagnostic, makeEstimate, TrialkitError, twoSidedNormalP, type Diagnostic, type Estimate, type Seed } from '@trialkit/core';
import type { Grouping, NamedVector, PreparedTrial } from '@trialkit/data';
import { checkLevel } from '../checks.js';
import { bootstrapCi, checkRepsForLevel } from './bootstrap-ci.js';
import { bootstrap, checkReps, type BootstrapResult } from './engine.js';
import { BootstrapErrorCode, bootstrapErrors } from './errors.js';
import { BOOT_INTERVALS, type BootCi, type BootInterval, type BootBounds } from './intervals.js';
import type { ResamplingPlan } from './plan.js';

export interface BootstrapTrialOptions {
  /** Replicates R (the CLI's --bootstrap N). */
  readonly reps: number;
  /** core's seed (integer < 2^64 or text); required unless `unitIndices` replays given resamples. */
  readonly seed?: Seed;
  /** Default 0.95. */
  readonly level?: number;
  /** The interval reported as confLow/confHigh; default 'bca'. All four are reported in the boot* fields. */
  readonly interval?: BootInterval;
  /** Replay given resamples (0-based unit indices per replicate, e.g. R's boot.array(b, indices = TRUE) − 1). */
  readonly unitIndices?: readonly ArrayLike<number>[];
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BootstrapRatioOptions extends BootstrapTrialOptions {
  /** Numerator outcome (e.g. cost): a column of the prepared trial by name, or values per analysed row. Default: the outcome. */
  readonly numerator?: string | NamedVector;
  /** Denominator outcome (e.g. the job outcome, 0/1). */
  readonly denominator: string | NamedVector;
}

interface IttDesign {
  /** block × arm cell of each row: 2·block + arm. */
  readonly cell: Int32Array;
  readonly nBlocks: number;
  readonly strata: Grouping;
}

function ittDesign(trial: PreparedTrial): IttDesign {
  const n = trial.n;
  const z = trial.assignment.values;
  const blocks = trial.blocks;
  const nBlocks = blocks === undefined ? 1 : blocks.labels.length;
  const cell = new Int32Array(n);
  const cellRows = new Int32Array(2 * nBlocks);
  for (let i = 0; i < n; i++) {
    const arm = z[i];
    if (arm !== 0 && arm !== 1) throw bootstrapErrors.nonFiniteValue(trial.assignment.name, i + 1);
    const b = blocks === undefined ? 0 : blocks.codes[i]!;
    cell[i] = 2 * b + arm;
    cellRows[2 * b + arm]!++;
  }
  let treated = 0;
  for (let b = 0; b < nBlocks; b++) treated += cellRows[2 * b + 1]!;
  if (treated === 0 || treated === n) throw bootstrapErrors.oneArm();
  const labels: string[] = [];
  for (let b = 0; b < nBlocks; b++) {
    const c0 = cellRows[2 * b]!;
    const c1 = cellRows[2 * b + 1]!;
    const blockLabel = blocks === undefined ? '' : `${blocks.labels[b]!}, `;
    if (c0 + c1 > 0 && (c0 === 0 || c1 === 0)) throw bootstrapErrors.blockMissingArm(blocks?.labels[b] ?? '');
    labels.push(`${blockLabel}${trial.arms.control}`, `${blockLabel}${trial.arms.treatment}`);
  }
  if (trial.cluster !== undefined) {
    const armOf = new Int8Array(trial.cluster.labels.length).fill(-1);
    for (let i = 0; i < n; i++) {
      const g = trial.cluster.codes[i]!;
      if (armOf[g] === -1) armOf[g] = z[i]!;
      else if (armOf[g] !== z[i]) throw bootstrapErrors.treatmentVariesInCluster(trial.cluster.labels[g]!);
    }
  }
  return { cell, nBlocks, strata: { name: 'block × arm', codes: cell, labels } };
}

/** Below this many resampling units (rows or clusters) in a block × arm stratum, the bootstrap SE is flagged. */
export const FEW_UNITS_PER_STRATUM = 10;

/**
 * Resampling n_s units with replacement gives a variance (n_s − 1)/n_s of the sample's (Davison & Hinkley 1997,
 * §3.2.1, §3.7): negligible for rows, not for a few clusters per arm. Warn for the smallest stratum.
 */
function fewUnitsDiagnostic(trial: PreparedTrial, design: IttDesign): Diagnostic[] {
  const nCells = design.strata.labels.length;
  const units = new Float64Array(nCells);
  if (trial.cluster === undefined) {
    for (let i = 0; i < design.cell.length; i++) units[design.cell[i]!]! += 1;
  } else {
    const seen = new Set<number>();
    for (let i = 0; i < design.cell.length; i++) {
      const key = trial.cluster.codes[i]! * nCells + design.cell[i]!;
      if (!seen.has(key)) {
        seen.add(key);
        units[design.cell[i]!]! += 1;
      }
    }
  }
  let smallest = Infinity;
  let at = -1;
  for (let c = 0; c < nCells; c++) {
    if (units[c]! > 0 && units[c]! < smallest) {
      smallest = units[c]!;
      at = c;
    }
  }
  if (!(smallest < FEW_UNITS_PER_STRATUM)) return [];
  const unit = trial.cluster === undefined ? 'participants' : 'clusters';
  const factor = Math.sqrt((smallest - 1) / smallest);
  return [
    diagnostic(
      'BOOT_FEW_UNITS_PER_STRATUM',
      'warning',
      `The stratum "${design.strata.labels[at]!}" has only ${smallest} ${unit} to resample: drawing n units with replacement from n has variance (n − 1)/n of the sample's, so the bootstrap standard error and intervals from it are too narrow (by a factor of about ${factor.toFixed(2)} in that stratum; Davison & Hinkley 1997, §3.2.1, §3.7). ` +
        `With fewer than ${FEW_UNITS_PER_STRATUM} ${unit} per ${trial.blocks === undefined ? 'arm' : 'block × arm'}, prefer the analytic ${trial.cluster === undefined ? 'Welch' : 'CR2'} interval, or merge blocks.`,
    ),
  ];
}

function checkOutcome(vector: NamedVector, n: number, argument: string): Float64Array {
  if (vector.values.length !== n) throw bootstrapErrors.badGrouping(argument, n, vector.values.length);
  for (let i = 0; i < n; i++) if (!Number.isFinite(vector.values[i]!)) throw bootstrapErrors.nonFiniteValue(vector.name, i + 1);
  return vector.values;
}

/**
 * difference_in_means' estimate of each outcome on given rows: Σ_b (N_b/N)(ȳ1_b − ȳ0_b), row means within each
 * block × arm cell (one block when unblocked: ȳ1 − ȳ0). Cell sums are compensated (Neumaier), so the means are
 * as R's mean() (long-double sum) gives them, to the last bit in practice: a replicate that ties t0 in exact
 * arithmetic then ties it here too, and the BCa count #{t* < t0} agrees with boot's. Accumulators and the returned
 * array are reused.
 */
function ittStatistic(outcomes: readonly Float64Array[], design: IttDesign): (rows: Int32Array) => Float64Array {
  const k = outcomes.length;
  const nCells = 2 * design.nBlocks;
  const count = new Float64Array(nCells);
  const sums = outcomes.map(() => new Float64Array(nCells));
  const compensations = outcomes.map(() => new Float64Array(nCells));
  const out = new Float64Array(k);
  const cell = design.cell;
  return (rows) => {
    count.fill(0);
    for (let m = 0; m < k; m++) {
      sums[m]!.fill(0);
      compensations[m]!.fill(0);
    }
    for (let m = 0; m < k; m++) {
      const y = outcomes[m]!;
      const sum = sums[m]!;
      const comp = compensations[m]!;
      for (let j = 0; j < rows.length; j++) {
        const i = rows[j]!;
        const c = cell[i]!;
        const v = y[i]!;
        const s = sum[c]!;
        const t = s + v;
        comp[c]! += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
        sum[c] = t;
      }
      for (let c = 0; c < nCells; c++) sum[c]! += comp[c]!;
    }
    for (let j = 0; j < rows.length; j++) count[cell[rows[j]!]!]! += 1;
    for (let m = 0; m < k; m++) out[m] = combine(count, sums[m]!, design.nBlocks);
    return out;
  };
}

/** Σ_b (N_b/N)(S1_b/N1_b − S0_b/N0_b) from cell counts and sums (blocks with no rows are skipped), in R's order. */
function combine(count: Float64Array, sum: Float64Array, nBlocks: number): number {
  if (nBlocks === 1) return sum[1]! / count[1]! - sum[0]! / count[0]!;
  let rows = 0;
  for (let c = 0; c < 2 * nBlocks; c++) rows += count[c]!;
  let total = 0;
  for (let b = 0; b < nBlocks; b++) {
    const n0 = count[2 * b]!;
    const n1 = count[2 * b + 1]!;
    if (n0 + n1 === 0) continue;
    total += ((n0 + n1) / rows) * (sum[2 * b + 1]! / n1 - sum[2 * b]! / n0);
  }
  return total;
}

/**
 * t₋ᵤ for every resampling unit in O(1) each: removing unit u (m rows, outcome sum s, cell (b, a)) changes only
 * block b's cell and the weights: T₋ᵤ = (Σ_b N_b d_b − N_b d_b + (N_b − m) d_b') / (N − m).
 */
function ittLeaveOneOut(outcomes: readonly Float64Array[], design: IttDesign, plan: ResamplingPlan): Float64Array[] {
  const nCells = 2 * design.nBlocks;
  const cell = design.cell;
  const count = new Float64Array(nCells);
  for (let i = 0; i < cell.length; i++) count[cell[i]!]! += 1;
  return outcomes.map((y) => {
    const sum = new Float64Array(nCells);
    for (let i = 0; i < y.length; i++) sum[cell[i]!]! += y[i]!;
    const d = new Float64Array(design.nBlocks);
    let weighted = 0;
    let rows = 0;
    for (let b = 0; b < design.nBlocks; b++) {
      const nb = count[2 * b]! + count[2 * b + 1]!;
      if (nb === 0) continue;
      d[b] = sum[2 * b + 1]! / count[2 * b + 1]! - sum[2 * b]! / count[2 * b]!;
      weighted += nb * d[b]!;
      rows += nb;
    }
    const out = new Float64Array(plan.nUnits);
    for (let u = 0; u < plan.nUnits; u++) {
      let m = 0;
      let s = 0;
      let c: number;
      if (plan.unitRows === null || plan.unitRowStart === null) {
        m = 1;
        s = y[u]!;
        c = cell[u]!;
      } else {
        c = cell[plan.unitRows[plan.unitRowStart[u]!]!]!;
        for (let j = plan.unitRowStart[u]!; j < plan.unitRowStart[u + 1]!; j++) {
          m += 1;
          s += y[plan.unitRows[j]!]!;
        }
      }
      const b = c >> 1;
      const n1 = count[2 * b + 1]! - (c & 1 ? m : 0);
      const n0 = count[2 * b]! - (c & 1 ? 0 : m);
      const s1 = sum[2 * b + 1]! - (c & 1 ? s : 0);
      const s0 = sum[2 * b]! - (c & 1 ? 0 : s);
      const db = s1 / n1 - s0 / n0;
      if (design.nBlocks === 1) out[u] = db;
      else {
        const nb = count[2 * b]! + count[2 * b + 1]!;
        out[u] = (weighted - nb * d[b]! + (nb - m) * db) / (rows - m);
      }
    }
    return out;
  });
}

function resolveOutcome(trial: PreparedTrial, spec: string | NamedVector, argument: string): NamedVector {
  if (typeof spec !== 'string') return spec;
  const columns: NamedVector[] = [trial.outcome, ...(trial.received === undefined ? [] : [trial.received]), ...trial.covariates];
  const found = columns.find((c) => c.name === spec);
  if (found === undefined) throw bootstrapErrors.unknownColumn(argument, spec, columns.map((c) => c.name));
  return found;
}

function checkOptions(options: BootstrapTrialOptions): { level: number; interval: BootInterval } {
  const reps = checkReps(options.reps);
  const level = checkLevel(options.level);
  checkRepsForLevel(reps, level);
  const interval = options.interval ?? 'bca';
  if (!BOOT_INTERVALS.includes(interval)) throw bootstrapErrors.badInterval(interval);
  if (options.unitIndices === undefined && options.seed === undefined) throw bootstrapErrors.noSeed();
  return { level, interval };
}

function runEngine(trial: PreparedTrial, outcomes: readonly Float64Array[], options: BootstrapTrialOptions, withRatio: boolean): BootstrapResult {
  const design = ittDesign(trial);
  const itt = ittStatistic(outcomes, design);
  const ratioOut = new Float64Array(3);
  const statistic = withRatio
    ? (rows: Int32Array): Float64Array => {
        const v = itt(rows);
        ratioOut[0] = v[0]! / v[1]!;
        ratioOut[1] = v[0]!;
        ratioOut[2] = v[1]!;
        return ratioOut;
      }
    : itt;
  return bootstrap({
    n: trial.n,
    statistic,
    reps: options.reps,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(trial.cluster === undefined ? {} : { cluster: trial.cluster }),
    strata: design.strata,
    ...(options.unitIndices === undefined ? {} : { unitIndices: options.unitIndices }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    nonFinite: withRatio ? 'keep' : 'error',
    leaveOneOut: (plan) => {
      const [num, den] = ittLeaveOneOut(outcomes, design, plan);
      if (!withRatio) return [num!];
      const ratio = new Float64Array(plan.nUnits);
      for (let u = 0; u < plan.nUnits; u++) ratio[u] = num![u]! / den![u]!;
      return [ratio, num!, den!];
    },
  });
}

function describe(result: BootstrapResult, trial: PreparedTrial | null, interval: BootInterval, level: number): string {
  const unit = result.clustered ? 'whole clusters' : 'rows';
  const strata =
    trial === null
      ? result.nStrata > 1 ? `within ${result.nStrata} strata` : 'from the whole sample'
      : trial.blocks === undefined ? 'within each arm' : `within each block × arm (${result.nStrata} strata)`;
  const seed = result.seed === null ? 'given resamples' : `seed ${result.seed}`;
  const names: Record<BootInterval, string> = { bca: 'BCa', percentile: 'percentile', normal: 'normal', basic: 'basic' };
  return (
    `Bootstrap (R = ${result.reps}, ${seed}): ${unit} resampled with replacement ${strata}; ` +
    `confLow/confHigh are the ${levelPercent(level)} ${names[interval]} interval (R boot.ci conventions` +
    `${interval === 'bca' ? `; acceleration from the leave-one-${result.clustered ? 'cluster' : 'unit'}-out jackknife` : ''}); ` +
    'stdError is the SD of the replicates and pValue a normal approximation with it.'
  );
}

function chosen(ci: BootCi, interval: BootInterval, diagnostics: Diagnostic[]): BootBounds {
  if (interval === 'bca') {
    if (ci.bca !== null) return ci.bca;
    diagnostics.push(diagnostic('BOOT_BCA_FALLBACK', 'warning', 'BCa is undefined here (see BOOT_BCA_UNDEFINED), so confLow/confHigh are the percentile interval.'));
    return ci.percentile;
  }
  return interval === 'percentile' ? ci.percentile : interval === 'normal' ? ci.normal : ci.basic;
}

function intervalFields(ci: BootCi): Record<string, unknown> {
  return {
    bootPercentile: ci.percentile,
    bootBca: ci.bca,
    bootNormal: ci.normal,
    bootBasic: ci.basic,
    bias: ci.bias,
    bootZ0: ci.z0,
    bootAcceleration: ci.acceleration,
  };
}

/**
 * Bootstrap the ITT (difference in means of the outcome by assignment) as the trial was designed: rows or whole
 * clusters resampled within arm (and block). `estimate` is difference_in_means' estimate; stdError the bootstrap SD.
 */
export function bootstrapItt(trial: PreparedTrial, options: BootstrapTrialOptions): Estimate {
  const { level, interval } = checkOptions(options);
  const outcome = checkOutcome(trial.outcome, trial.n, '--outcome');
  const result = runEngine(trial, [outcome], options, false);
  const ci = bootstrapCi(result, { level });
  const diagnostics: Diagnostic[] = [...ci.diagnostics, ...fewUnitsDiagnostic(trial, ittDesign(trial))];
  if (trial.covariates.length > 0) {
    diagnostics.push(
      diagnostic('BOOT_ITT_UNADJUSTED', 'info', 'The bootstrapped ITT is the unadjusted (blocked) difference in means; the covariates are not used. Bootstrap a regression coefficient with the generic engine (bootstrap + bootstrapEstimate) for an adjusted ITT.'),
    );
  }
  const [confLow, confHigh] = chosen(ci, interval, diagnostics);
  const estimate = result.t0[0]!;
  const statistic = estimate / ci.stdError;
  return makeEstimate({
    estimand: 'ITT',
    estimator: 'bootstrap',
    term: trial.assignment.name,
    estimate,
    stdError: ci.stdError,
    statistic,
    df: Infinity,
    pValue: twoSidedNormalP(statistic),
    confLow,
    confHigh,
    level,
    seType: 'bootstrap',
    nObs: trial.n,
    ...(result.clustered ? { nClusters: result.nUnits } : {}),
    ...(trial.blocks === undefined ? {} : { nBlocks: trial.blocks.labels.length }),
    outcome: trial.outcome.name,
    bootType: interval,
    bootReps: result.reps,
    bootSeed: result.seed,
    bootUnit: result.clustered ? 'cluster' : 'row',
    bootStrata: result.nStrata,
    ...intervalFields(ci),
    bootMethod: describe(result, trial, interval, level),
    diagnostics,
  });
}

/**
 * Bootstrap a ratio of two ITTs on the same assignment, e.g. cost per additional job outcome = ITT(cost)/ITT(job).
 * Each replicate's ratio is the ratio of that replicate's two ITTs. When the denominator's replicates reach zero or
 * the other side of it, the ratio's bootstrap distribution has mass at ±∞ and its intervals mislead: a warning
 * says how many; when at least (1 − level)/2 of them do (the denominator's own interval then covers zero), the
 * confidence set for the ratio is unbounded (as Fieller's would be), and confLow/confHigh and every boot* interval
 * are reported as −Infinity/Infinity (null in JSON), stdError as Infinity.
 */
export function bootstrapRatio(trial: PreparedTrial, options: BootstrapRatioOptions): Estimate {
  const { level, interval } = checkOptions(options);
  const numerator = resolveOutcome(trial, options.numerator ?? trial.outcome, 'numerator');
  const denominator = resolveOutcome(trial, options.denominator, 'denominator');
  const num = checkOutcome(numerator, trial.n, 'numerator');
  const den = checkOutcome(denominator, trial.n, 'denominator');
  // The observed ratio must exist before any resampling.
  const design = ittDesign(trial);
  const observed = ittStatistic([num, den], design)(identityRows(trial.n));
  if (observed[1] === 0) throw bootstrapErrors.ratioZeroDenominator(denominator.name);

  const result = runEngine(trial, [num, den], options, true);
  const diagnostics: Diagnostic[] = fewUnitsDiagnostic(trial, design);
  let ci: BootCi;
  try {
    ci = bootstrapCi(result, { level, index: 0 });
  } catch (error) {
    // Leaving one unit out can make the denominator ITT exactly zero: the ratio's jackknife (BCa's acceleration)
    // is then undefined, but the other intervals are not.
    if (!(error instanceof TrialkitError) || error.code !== BootstrapErrorCode.nonFiniteStatistic) throw error;
    ci = bootstrapCi(result, { level, index: 0, bca: false });
    diagnostics.push(
      diagnostic('BOOT_BCA_UNDEFINED', 'warning', `BCa is undefined for the ratio: leaving out ${error.message.match(/unit \d+/)?.[0] ?? 'one unit'} makes the ITT on ${denominator.name} exactly zero, so the jackknife ratio (the acceleration) does not exist.`),
    );
  }
  const numCi = bootstrapCi(result, { level, index: 1 });
  const denCi = bootstrapCi(result, { level, index: 2 });
  const den0 = result.t0[2]!;
  const denReps = result.t[2]!;
  let crossing = 0;
  for (let r = 0; r < denReps.length; r++) if (denReps[r]! * Math.sign(den0) <= 0) crossing++;
  const share = crossing / result.reps;
  const unbounded = share >= (1 - level) / 2;
  const ratioName = `${numerator.name}/${denominator.name}`;
  const sideText = den0 > 0 ? '≤ 0' : '≥ 0';
  if (unbounded) {
    diagnostics.push(
      diagnostic(
        'BOOT_RATIO_UNBOUNDED',
        'warning',
        `The ITT on ${denominator.name} (${formatShort(den0)}) is not distinguishable from zero: ${crossing} of ${result.reps} replicates (${formatPercent(share)}) are ${sideText}, at least (1 − level)/2 = ${formatPercent((1 - level) / 2)}. ` +
          `The ratio ${ratioName} then has no bounded ${levelPercent(level)} confidence set (the programme may add no ${denominator.name} outcomes to divide by; cf. Fieller's interval), so confLow/confHigh and the bootstrap intervals are reported as unbounded and stdError as Infinity. Report the two ITTs with their intervals instead.`,
      ),
    );
  } else if (crossing > 0) {
    diagnostics.push(
      diagnostic(
        'BOOT_RATIO_DENOMINATOR_CROSSES_ZERO',
        'warning',
        `${crossing} of ${result.reps} replicates (${formatPercent(share)}) of the ITT on ${denominator.name} are ${sideText} (the estimate is ${formatShort(den0)}): in those the ratio ${ratioName} is huge, of the other sign or infinite, so its bootstrap distribution is heavy-tailed and the interval ends are unreliable (the percentile and BCa ends are usable only while this share is well below ${formatPercent((1 - level) / 2)}). Report the two ITTs with their intervals as well.`,
      ),
    );
  }
  diagnostics.push(...ci.diagnostics.filter((d) => !unbounded || d.code === 'BOOT_FEW_REPLICATES'));
  const whole: BootBounds = [-Infinity, Infinity];
  const [confLow, confHigh] = unbounded ? whole : chosen(ci, interval, diagnostics);
  const estimate = result.t0[0]!;
  const stdError = unbounded ? Infinity : ci.stdError;
  // Unbounded: no test of "ratio = 0" is meaningful (p = 1 from an infinite SD would read as evidence), so NaN
  // (null in JSON, NA in tables), with BOOT_RATIO_UNBOUNDED saying why.
  const statistic = unbounded ? Number.NaN : estimate / stdError;
  const part = (name: string, index: number, c: BootCi): Record<string, unknown> => ({
    outcome: name,
    estimate: result.t0[index]!,
    stdError: c.stdError,
    bootPercentile: c.percentile,
    bootBca: c.bca,
  });
  return makeEstimate({
    estimand: 'ITT-ratio',
    estimator: 'bootstrap',
    term: trial.assignment.name,
    estimate,
    stdError,
    statistic,
    df: Infinity,
    pValue: unbounded ? Number.NaN : twoSidedNormalP(statistic),
    confLow,
    confHigh,
    level,
    seType: 'bootstrap',
    nObs: trial.n,
    ...(result.clustered ? { nClusters: result.nUnits } : {}),
    ...(trial.blocks === undefined ? {} : { nBlocks: trial.blocks.labels.length }),
    outcome: ratioName,
    bootType: interval,
    bootReps: result.reps,
    bootSeed: result.seed,
    bootUnit: result.clustered ? 'cluster' : 'row',
    bootStrata: result.nStrata,
    ...(unbounded
      ? { bootPercentile: whole, bootBca: whole, bootNormal: whole, bootBasic: whole, bias: ci.bias, bootZ0: ci.z0, bootAcceleration: ci.acceleration }
      : intervalFields(ci)),
    ratioNumerator: part(numerator.name, 1, numCi),
    ratioDenominator: part(denominator.name, 2, denCi),
    denominatorReplicatesCrossingZero: crossing,
    bootMethod: describe(result, trial, interval, level),
    diagnostics,
  });
}

function identityRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** A confidence level as a percentage without floating-point noise: 0.57 → "57%" (0.57 × 100 = 56.99999999999999). */
function levelPercent(level: number): string {
  return `${Number((100 * level).toPrecision(10))}%`;
}

function formatPercent(x: number): string {
  return `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%`;
}

function formatShort(x: number): string {
  return Number.parseFloat(x.toPrecision(4)).toString();
}

export interface BootstrapEstimateOptions {
  readonly estimand: string;
  readonly term: string;
  readonly outcome: string;
  /** Default 0.95. */
  readonly level?: number;
  /** Default 'bca'. */
  readonly interval?: BootInterval;
  /** Component of the statistic (default 0). */
  readonly index?: number;
  /** Default the engine's rows. */
  readonly nObs?: number;
}

/**
 * An Estimate (estimator "bootstrap") from any engine result: estimate = t0, stdError = SD of the replicates,
 * confLow/confHigh the chosen interval, and the boot* fields as bootstrapItt gives them.
 */
export function bootstrapEstimate(result: BootstrapResult, options: BootstrapEstimateOptions): Estimate {
  const level = checkLevel(options.level);
  const interval = options.interval ?? 'bca';
  if (!BOOT_INTERVALS.includes(interval)) throw bootstrapErrors.badInterval(interval);
  const ci = bootstrapCi(result, { level, ...(options.index === undefined ? {} : { index: options.index }) });
  const diagnostics: Diagnostic[] = [...ci.diagnostics];
  const [confLow, confHigh] = chosen(ci, interval, diagnostics);
  const statistic = ci.t0 / ci.stdError;
  return makeEstimate({
    estimand: options.estimand,
    estimator: 'bootstrap',
    term: options.term,
    estimate: ci.t0,
    stdError: ci.stdError,
    statistic,
    df: Infinity,
    pValue: twoSidedNormalP(statistic),
    confLow,
    confHigh,
    level,
    seType: 'bootstrap',
    nObs: options.nObs ?? result.nRows,
    ...(result.clustered ? { nClusters: result.nUnits } : {}),
    outcome: options.outcome,
    bootType: interval,
    bootReps: result.reps,
    bootSeed: result.seed,
    bootUnit: result.clustered ? 'cluster' : 'row',
    bootStrata: result.nStrata,
    ...intervalFields(ci),
    bootMethod: describe(result, null, interval, level),
    diagnostics,
  });
}
