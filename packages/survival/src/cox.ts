/**
 * Cox proportional hazards with Efron's ties, fitted exactly as R's coxph(Surv(time, event) ~ x [+ strata(s)])
 * (survival's coxfit6.c): Newton–Raphson from β = 0, convergence when |1 − ℓ_old/ℓ_new| ≤ 1e-9 (coxph.control's
 * eps), at most 20 iterations, step halving when the log partial likelihood falls; the variance is the inverse
 * information at the final β. Following the same path gives R's β to rounding, not merely to the tolerance.
 */
import { diagnostic, type Diagnostic } from '@trialkit/core';
import { normalQuantile, twoSidedNormalP } from '@trialkit/core';
import { survivalErrors } from './errors.js';
import { checkTimesAndEvents, codeLabels, orderByTime, splitOrder, type Labels, type Values } from './input.js';
import { checkLevel } from './kaplan-meier.js';

export interface CoxOptions {
  /** Stratify the baseline hazard (coxph's strata()). */
  readonly strata?: Labels;
  readonly level?: number;
  /** Names of the covariate columns, for the result. */
  readonly terms?: readonly string[];
  /** Tie handling: "efron" (coxph's default) or "breslow" (coxph(ties = "breslow"); Stata's stcox default). */
  readonly ties?: 'efron' | 'breslow';
  /** coxph.control(iter.max = 20, eps = 1e-9). */
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Cluster identifiers for a robust (sandwich) variance, as coxph(..., cluster = id); `robust: true` alone
   * uses one cluster per observation (coxph(robust = TRUE)). */
  readonly robust?: boolean;
  readonly cluster?: Labels;
}

export interface CoxResult {
  readonly terms: readonly string[];
  readonly coefficients: number[];
  /** Standard errors of the coefficients (robust when asked for, else model-based). */
  readonly stdErrors: number[];
  readonly naiveStdErrors: number[];
  readonly z: number[];
  readonly pValues: number[];
  readonly hazardRatios: number[];
  readonly confLow: number[];
  readonly confHigh: number[];
  /** Variance matrix of the coefficients (row-major), the one the SEs come from. */
  readonly vcov: number[];
  /** Log partial likelihood at β = 0 and at the estimate (coxph's loglik). */
  readonly logLik: [number, number];
  readonly iterations: number;
  readonly converged: boolean;
  readonly nObs: number;
  readonly nEvents: number;
  readonly nClusters?: number;
  readonly robust: boolean;
  readonly ties: 'efron' | 'breslow';
  readonly level: number;
  readonly diagnostics: Diagnostic[];
}

/** Fit a Cox model. `covariates` are columns (one array per term), each as long as `time`. */
export function coxph(time: Values, event: Values, covariates: readonly Values[], options: CoxOptions = {}): CoxResult {
  const checked = checkTimesAndEvents(time, event);
  const n = checked.time.length;
  const level = checkLevel(options.level ?? 0.95);
  const columns = covariates.map((column, j) => {
    if (column.length !== n) throw survivalErrors.lengthMismatch(`Covariate ${j + 1}`, n, column.length);
    const values = Float64Array.from(column as ArrayLike<number>);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i]!)) throw survivalErrors.missingValue(options.terms?.[j] ?? `covariate ${j + 1}`, i + 1);
    }
    return values;
  });
  const terms = options.terms ?? columns.map((_, j) => `x${j + 1}`);
  const order = orderByTime(checked.time);
  const strata = options.strata === undefined ? undefined : codeLabels(options.strata, '--strata');
  const blocks = strata === undefined ? [order] : splitOrder(order, strata.codes, strata.labels.length);
  const cluster = options.cluster === undefined ? undefined : codeLabels(options.cluster, '--cluster');
  return coxphSorted(checked.time, checked.event, columns, blocks, {
    terms,
    level,
    maxIterations: options.maxIterations ?? 20,
    tolerance: options.tolerance ?? 1e-9,
    ties: options.ties ?? 'efron',
    robust: options.robust === true || cluster !== undefined,
    ...(cluster === undefined ? {} : { cluster: { codes: cluster.codes, count: cluster.labels.length } }),
  });
}

interface CoxKernelOptions {
  readonly terms: readonly string[];
  readonly ties?: 'efron' | 'breslow';
  readonly level: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly robust: boolean;
  readonly cluster?: { codes: Int32Array; count: number };
}

/** The kernel: checked data, `blocks` = one ascending-time ordering per stratum. */
export function coxphSorted(time: Float64Array, event: Uint8Array, columns: readonly Float64Array[],
  blocks: readonly Uint32Array[], options: CoxKernelOptions): CoxResult {
  const p = columns.length;
  const n = time.length;
  // Centre the covariates (coxfit6 does; the partial likelihood is unchanged, exp() stays in range).
  const centred = columns.map((column) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += column[i]!;
    mean /= n;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = column[i]! - mean;
    return out;
  });
  // The data permuted once into time order within strata, design row-major: the likelihood is evaluated several
  // times and sequential reads are several times faster than gathering through the ordering at N = 1e6.
  const sortedTime = new Float64Array(n);
  const sortedEvent = new Uint8Array(n);
  const design = new Float64Array(n * p);
  const blockEnds: number[] = [];
  let position = 0;
  for (const block of blocks) {
    for (let r = 0; r < block.length; r++, position++) {
      const i = block[r]!;
      sortedTime[position] = time[i]!;
      sortedEvent[position] = event[i]!;
      for (let j = 0; j < p; j++) design[position * p + j] = centred[j]![i]!;
    }
    blockEnds.push(position);
  }
  const evaluate = (beta: Float64Array): EfronTerms =>
    efronTerms(sortedTime, sortedEvent, design, p, blockEnds, beta, options.ties === 'breslow');

  let beta: Float64Array = new Float64Array(p);
  let current = evaluate(beta);
  const initialLogLik = current.logLik;
  let previousLogLik = current.logLik;
  let step = choleskySolve(current.information, current.score, p, options.terms);
  let newBeta: Float64Array = addVectors(beta, step);
  let halving = false;
  let converged = false;
  let iterations = 0;
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    iterations = iteration;
    current = evaluate(newBeta);
    if (Math.abs(1 - previousLogLik / current.logLik) <= options.tolerance && !halving) {
      converged = true;
      break;
    }
    if (iteration === options.maxIterations) break;
    if (current.logLik < previousLogLik) {
      halving = true;
      for (let j = 0; j < p; j++) newBeta[j] = (newBeta[j]! + beta[j]!) / 2;
    } else {
      halving = false;
      previousLogLik = current.logLik;
      step = choleskySolve(current.information, current.score, p, options.terms);
      beta = newBeta;
      newBeta = addVectors(newBeta, step);
    }
  }
  beta = newBeta;
  const naiveVcov = invertSymmetric(current.information, p, options.terms);
  const diagnostics: Diagnostic[] = [];
  if (!converged) {
    diagnostics.push(diagnostic('SURVIVAL_COX_NOT_CONVERGED', 'warning',
      `The Cox model did not converge in ${options.maxIterations} iterations (as coxph's "Ran out of iterations"); ` +
      'a coefficient may be infinite — check for an arm or covariate level without events.'));
  }
  if (converged) {
    // coxph.fit's check: |U′V| > eps and > toler.inf·|β| (toler.inf = √eps) means the likelihood flattened out
    // before β did — a coefficient heading to ±∞ (monotone likelihood, e.g. no events in one arm).
    const tolerInf = Math.sqrt(options.tolerance);
    const suspicious: string[] = [];
    for (let j = 0; j < p; j++) {
      let value = 0;
      for (let l = 0; l < p; l++) value += current.score[l]! * naiveVcov[l * p + j]!;
      value = Math.abs(value);
      if (value > options.tolerance && value > tolerInf * Math.abs(newBeta[j]!)) suspicious.push(options.terms[j]!);
    }
    if (suspicious.length > 0) {
      diagnostics.push(diagnostic('SURVIVAL_COX_INFINITE_COEFFICIENT', 'warning',
        `The Cox log-likelihood converged before the coefficient of ${suspicious.join(', ')}: it may be infinite ` +
        '(as coxph warns); check for an arm or covariate level without events.'));
    }
  }
  let vcov = naiveVcov;
  let nClusters: number | undefined;
  if (options.robust) {
    const residuals = scoreResiduals(time, event, centred, blocks, beta, options.ties === 'breslow');
    const dfbeta = multiplyRows(residuals, naiveVcov, n, p);
    const groups = options.cluster;
    nClusters = groups?.count ?? n;
    vcov = sandwich(dfbeta, n, p, groups);
  }
  const z = normalQuantile(1 - (1 - options.level) / 2);
  let nEvents = 0;
  for (let i = 0; i < n; i++) nEvents += event[i]!;
  const coefficients = Array.from(beta);
  const stdErrors = coefficients.map((_, j) => Math.sqrt(vcov[j * p + j]!));
  const naiveStdErrors = coefficients.map((_, j) => Math.sqrt(naiveVcov[j * p + j]!));
  const zValues = coefficients.map((b, j) => b / stdErrors[j]!);
  return {
    terms: options.terms,
    coefficients,
    stdErrors,
    naiveStdErrors,
    z: zValues,
    pValues: zValues.map((value) => twoSidedNormalP(value)),
    hazardRatios: coefficients.map((b) => Math.exp(b)),
    confLow: coefficients.map((b, j) => Math.exp(b - z * stdErrors[j]!)),
    confHigh: coefficients.map((b, j) => Math.exp(b + z * stdErrors[j]!)),
    vcov: Array.from(vcov),
    logLik: [initialLogLik, current.logLik],
    iterations,
    converged,
    nObs: n,
    nEvents,
    ...(nClusters === undefined ? {} : { nClusters }),
    robust: options.robust,
    ties: options.ties ?? 'efron',
    level: options.level,
    diagnostics,
  };
}

interface EfronTerms {
  readonly logLik: number;
  readonly score: Float64Array;
  /** Observed information, row-major p × p. */
  readonly information: Float64Array;
}

/**
 * Log partial likelihood, score and information with Efron's approximation for ties (Efron 1977; Therneau &
 * Grambsch 2000, §3.3). At a time with d events, risk-set sums S0, S1, S2 and the events' own sums D0, D1, D2:
 *   ℓ += Σ_events η_i − Σ_{k=0}^{d−1} log(S0 − (k/d) D0)
 *   U += Σ_events x_i − Σ_k x̄_k,   x̄_k = (S1 − (k/d) D1)/(S0 − (k/d) D0)
 *   I += Σ_k [(S2 − (k/d) D2)/(S0 − (k/d) D0) − x̄_k x̄_kᵀ]
 * With Breslow's approximation every k/d is 0 (all tied events see the full risk set).
 * Risk sets are built from the latest time backwards, within each stratum. The arrays are in time order within
 * strata; stratum b occupies positions [blockEnds[b − 1], blockEnds[b]).
 */
function efronTerms(time: Float64Array, event: Uint8Array, design: Float64Array, p: number,
  blockEnds: readonly number[], beta: Float64Array, breslow: boolean): EfronTerms {
  const n = time.length;
  const score = new Float64Array(p);
  const information = new Float64Array(p * p);
  let logLik = 0;
  // Linear predictor and relative risk of every subject, once per evaluation.
  const eta = new Float64Array(n);
  const risk = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let value = 0;
    for (let j = 0; j < p; j++) value += beta[j]! * design[i * p + j]!;
    eta[i] = value;
    risk[i] = Math.exp(value);
  }
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const d1 = new Float64Array(p);
  const d2 = new Float64Array(p * p);
  const mean = new Float64Array(p);
  for (let b = 0; b < blockEnds.length; b++) {
    const blockStart = b === 0 ? 0 : blockEnds[b - 1]!;
    let s0 = 0;
    s1.fill(0);
    s2.fill(0);
    let r = blockEnds[b]! - 1;
    while (r >= blockStart) {
      const t = time[r]!;
      let d0 = 0;
      let deaths = 0;
      let dirty = false;
      while (r >= blockStart && time[r] === t) {
        const i = r;
        const w = risk[i]!;
        const row = i * p;
        s0 += w;
        for (let j = 0; j < p; j++) {
          const xj = design[row + j]!;
          s1[j]! += w * xj;
          for (let l = 0; l <= j; l++) s2[j * p + l]! += w * xj * design[row + l]!;
        }
        if (event[i] === 1) {
          if (!dirty) {
            d1.fill(0);
            d2.fill(0);
            dirty = true;
          }
          deaths += 1;
          d0 += w;
          logLik += eta[i]!;
          for (let j = 0; j < p; j++) {
            const xj = design[row + j]!;
            score[j]! += xj;
            d1[j]! += w * xj;
            for (let l = 0; l <= j; l++) d2[j * p + l]! += w * xj * design[row + l]!;
          }
        }
        r -= 1;
      }
      for (let k = 0; k < deaths; k++) {
        const fraction = breslow ? 0 : k / deaths;
        const denominator = s0 - fraction * d0;
        logLik -= Math.log(denominator);
        for (let j = 0; j < p; j++) {
          mean[j] = (s1[j]! - fraction * d1[j]!) / denominator;
          score[j]! -= mean[j]!;
        }
        for (let j = 0; j < p; j++) {
          for (let l = 0; l <= j; l++) {
            information[j * p + l]! += (s2[j * p + l]! - fraction * d2[j * p + l]!) / denominator - mean[j]! * mean[l]!;
          }
        }
      }
    }
  }
  for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) information[l * p + j] = information[j * p + l]!;
  return { logLik, score, information };
}

/**
 * Score residuals with Efron's ties (Therneau & Grambsch 2000, §3.7.1 and survival's coxscore2.c): for subject i,
 *   L_i = δ_i (x_i − x̄(t_i)) − Σ_{event times t_m ≤ t_i} w_im r_i (x_i − x̄_m) / S0_m,
 * where, at a time with d tied events, an event among them is at risk in the k-th Efron sub-step with weight
 * (1 − k/d) and others with weight 1, and δ_i (x_i − x̄) averages x̄ over the d sub-steps.
 */
function scoreResiduals(time: Float64Array, event: Uint8Array, columns: readonly Float64Array[],
  blocks: readonly Uint32Array[], beta: Float64Array, breslow: boolean): Float64Array {
  const p = columns.length;
  const n = time.length;
  const residuals = new Float64Array(n * p);
  const risk = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += beta[j]! * columns[j]![i]!;
    risk[i] = Math.exp(eta);
  }
  for (const block of blocks) {
    const m = block.length;
    // Pass 1 (backwards): risk-set sums at each distinct time, and the increments of the cumulative hazard terms.
    // For each distinct event time: hazard increments a_0 = Σ_k 1/den_k (for non-events in the risk set),
    // a_x = Σ_k x̄_k/den_k; for the tied events: Σ_k (1 − k/d)/den_k and Σ_k (1 − k/d) x̄_k/den_k, mean x̄ over k.
    const groupStart: number[] = [];
    const groupEnd: number[] = [];
    let r = 0;
    while (r < m) {
      const start = r;
      const t = time[block[r]!]!;
      while (r < m && time[block[r]!] === t) r += 1;
      groupStart.push(start);
      groupEnd.push(r);
    }
    const g = groupStart.length;
    const hazard = new Float64Array(g); // Σ_k 1/den_k
    const hazardX = new Float64Array(g * p); // Σ_k x̄_k/den_k
    const tiedHazard = new Float64Array(g); // Σ_k (1 − k/d)/den_k
    const tiedHazardX = new Float64Array(g * p); // Σ_k (1 − k/d) x̄_k/den_k
    const meanX = new Float64Array(g * p); // (1/d) Σ_k x̄_k
    let s0 = 0;
    const s1 = new Float64Array(p);
    const d1 = new Float64Array(p);
    for (let q = g - 1; q >= 0; q--) {
      let d0 = 0;
      let deaths = 0;
      d1.fill(0);
      for (let rr = groupStart[q]!; rr < groupEnd[q]!; rr++) {
        const i = block[rr]!;
        s0 += risk[i]!;
        for (let j = 0; j < p; j++) s1[j]! += risk[i]! * columns[j]![i]!;
        if (event[i] === 1) {
          deaths += 1;
          d0 += risk[i]!;
          for (let j = 0; j < p; j++) d1[j]! += risk[i]! * columns[j]![i]!;
        }
      }
      for (let k = 0; k < deaths; k++) {
        const fraction = breslow ? 0 : k / deaths;
        const denominator = s0 - fraction * d0;
        hazard[q]! += 1 / denominator;
        tiedHazard[q]! += (1 - fraction) / denominator;
        for (let j = 0; j < p; j++) {
          const xbar = (s1[j]! - fraction * d1[j]!) / denominator;
          hazardX[q * p + j]! += xbar / denominator;
          tiedHazardX[q * p + j]! += ((1 - fraction) * xbar) / denominator;
          meanX[q * p + j]! += xbar / deaths;
        }
      }
    }
    // Pass 2 (forwards): cumulative sums of the increments over times strictly before each subject's time.
    let cumHazard = 0;
    const cumHazardX = new Float64Array(p);
    for (let q = 0; q < g; q++) {
      const hasEvents = tiedHazard[q]! > 0;
      for (let rr = groupStart[q]!; rr < groupEnd[q]!; rr++) {
        const i = block[rr]!;
        const isEvent = event[i] === 1;
        // at this subject's own time: an event shares the tied (Efron-weighted) increment; a censored subject
        // at an event time is in the risk set for all d sub-steps.
        const ownHazard = hasEvents ? (isEvent ? tiedHazard[q]! : hazard[q]!) : 0;
        for (let j = 0; j < p; j++) {
          const ownHazardX = hasEvents ? (isEvent ? tiedHazardX[q * p + j]! : hazardX[q * p + j]!) : 0;
          const xi = columns[j]![i]!;
          let value = -risk[i]! * (xi * (cumHazard + ownHazard) - (cumHazardX[j]! + ownHazardX));
          if (isEvent) value += xi - meanX[q * p + j]!;
          residuals[i * p + j] = value;
        }
      }
      cumHazard += hazard[q]!;
      for (let j = 0; j < p; j++) cumHazardX[j]! += hazardX[q * p + j]!;
    }
  }
  return residuals;
}

/** Rows of R (n × p) times the symmetric p × p matrix V: the dfbeta residuals (Lin & Wei 1989). */
function multiplyRows(rows: Float64Array, matrix: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += rows[i * p + l]! * matrix[l * p + j]!;
      out[i * p + j] = s;
    }
  }
  return out;
}

/** Σ_g (Σ_{i∈g} D_i)(Σ_{i∈g} D_i)ᵀ: coxph's robust variance (Lin & Wei 1989), clustered when groups are given. */
function sandwich(dfbeta: Float64Array, n: number, p: number, groups?: { codes: Int32Array; count: number }): Float64Array {
  const out = new Float64Array(p * p);
  let sums = dfbeta;
  let count = n;
  if (groups !== undefined) {
    count = groups.count;
    sums = new Float64Array(count * p);
    for (let i = 0; i < n; i++) {
      const c = groups.codes[i]!;
      for (let j = 0; j < p; j++) sums[c * p + j]! += dfbeta[i * p + j]!;
    }
  }
  for (let c = 0; c < count; c++) {
    for (let j = 0; j < p; j++) {
      for (let l = 0; l < p; l++) out[j * p + l]! += sums[c * p + j]! * sums[c * p + l]!;
    }
  }
  return out;
}

function addVectors(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = a[j]! + b[j]!;
  return out;
}

/** Cholesky factor (lower, row-major) of a symmetric positive definite matrix; singular → TrialkitError. */
function cholesky(matrix: Float64Array, p: number, terms: readonly string[]): Float64Array {
  const l = new Float64Array(p * p);
  // coxph.control's toler.chol = .Machine$double.eps^0.75, relative to the diagonal
  const tolerance = Math.pow(Number.EPSILON, 0.75);
  for (let j = 0; j < p; j++) {
    let diagonal = matrix[j * p + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * p + k]! * l[j * p + k]!;
    if (!(diagonal > tolerance * Math.abs(matrix[j * p + j]!)) || !(diagonal > 0)) {
      throw survivalErrors.singularInformation(terms);
    }
    const root = Math.sqrt(diagonal);
    l[j * p + j] = root;
    for (let i = j + 1; i < p; i++) {
      let s = matrix[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = s / root;
    }
  }
  return l;
}

function choleskySolve(matrix: Float64Array, rhs: Float64Array, p: number, terms: readonly string[]): Float64Array {
  const l = cholesky(matrix, p, terms);
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = rhs[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * y[k]!;
    y[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}

function invertSymmetric(matrix: Float64Array, p: number, terms: readonly string[]): Float64Array {
  const inverse = new Float64Array(p * p);
  const unit = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    unit.fill(0);
    unit[j] = 1;
    const column = choleskySolve(matrix, unit, p, terms);
    for (let i = 0; i < p; i++) inverse[i * p + j] = column[i]!;
  }
  return inverse;
}
