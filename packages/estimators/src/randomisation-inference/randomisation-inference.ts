/**
 * Randomisation inference for the ITT: the two-sided p-value of Fisher's sharp null (no effect for anyone), found by
 * redrawing the assignment exactly as it was made and recomputing the test statistic on the unchanged outcomes
 * (Fisher 1935; Imbens & Rubin 2015, ch. 5; Gerber & Green 2012, §3.4).
 *
 *   PreparedTrial ──buildDesign──► RiDesign (units or clusters by block, sums, k_b)
 *     C = Π_b C(G_b, k_b) ≤ draws → enumerate every assignment (combinations in lexicographic order, block 1
 *                                    slowest), p = #{|T(a)| ≥ |T_obs|} / C, exact (the observed one is among them)
 *     otherwise               → `draws` independent redraws (a uniform k_b-subset of G_b units per block from
 *                                    SubsetSampler, sampler.ts, exact), p = (1 + #{|T*| ≥ |T_obs|}) / (1 + draws)
 *   ──► { riPValue, riDraws, exact, nPossibleAssignments, observed, nAsExtreme, method, diagnostics }
 *
 * The statistic is difference_in_means' estimate for the design: Σ_b (N_b/N)·(ȳ1_b − ȳ0_b) with unit (row) means
 * inside each block and N_b rows per block (one block when unblocked; cluster designs use row means too), or, with
 * `statistic: 't'`, difference_in_means' t statistic (estimate / its design's SE), recomputed by differenceInMeans.
 * Ties: |T*| ≥ |T_obs|·(1 − 1e-12).
 */
import { createRng, diagnostic, type Diagnostic, type Rng, type Seed } from '@trialkit/core';
import type { PreparedTrial } from '@trialkit/data';
import { differenceInMeans } from '../difference-in-means.js';
import { buildDesign, defaultDesign, RI_DESIGNS, type RiDesign, type RiDesignKind } from './design.js';
import { MAX_DRAWS, riErrors } from './errors.js';
import { SubsetSampler } from './sampler.js';

export type RiStatistic = 'difference-in-means' | 't';

export interface RandomisationInferenceOptions {
  /** Redraws of the assignment (the CLI's --ri N). When the design has at most this many assignments, all are enumerated. */
  readonly draws: number;
  readonly seed: Seed;
  /** How the assignment was made; default from the trial: blocks → within blocks, cluster → by cluster. */
  readonly design?: RiDesignKind;
  /** Default 'difference-in-means' (the ITT estimate of difference_in_means). */
  readonly statistic?: RiStatistic;
  /** Called about every 1,024 draws (and at the end) with the draws done and the total, for progress on long runs. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RandomisationInferenceResult {
  /** Two-sided p-value of the sharp null of no effect. */
  readonly riPValue: number;
  /**
   * Assignments the p-value is based on: all of them when exact, else the redraws (the observed one not counted),
   * less those on which the statistic is undefined (RI_UNDEFINED_DRAWS).
   */
  readonly riDraws: number;
  readonly exact: boolean;
  /** Π_b C(G_b, k_b): exact below 2^53, a floating approximation above (Infinity past 1.8e308). */
  readonly nPossibleAssignments: number;
  /** The test statistic on the observed assignment. */
  readonly observed: number;
  /** Assignments (exact) or redraws (sampled) with |T| ≥ |T_obs|; ri2's p-value is nAsExtreme / riDraws. */
  readonly nAsExtreme: number;
  /** Monte Carlo standard error √(p(1 − p)/draws) of a sampled p-value; 0 when exact. */
  readonly monteCarloStdError: number;
  readonly design: RiDesignKind;
  readonly statistic: RiStatistic;
  readonly nBlocks: number;
  /** Randomisation units: rows, or clusters. */
  readonly nUnits: number;
  readonly method: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Relative tolerance for |T*| = |T_obs| (rounding in sums taken in a different order). */
export const RI_TIE_TOLERANCE = 1e-12;

export function randomisationInference(trial: PreparedTrial, options: RandomisationInferenceOptions): RandomisationInferenceResult {
  const draws = options.draws;
  if (typeof draws !== 'number' || !Number.isInteger(draws) || draws < 1 || draws > MAX_DRAWS) throw riErrors.badDraws(draws);
  const kind = options.design ?? defaultDesign(trial);
  if (!RI_DESIGNS.includes(kind)) throw riErrors.badDesign(kind);
  const statistic = options.statistic ?? 'difference-in-means';
  if (statistic !== 'difference-in-means' && statistic !== 't') throw riErrors.badStatistic(statistic);
  const rng = createRng(options.seed); // validates the seed before any work
  const design = buildDesign(trial, kind);
  const diagnostics: Diagnostic[] = designDiagnostics(trial, design, statistic);

  const evaluate = statistic === 't' ? tStatistic(trial, design) : null;
  const observed = evaluate === null ? observedDifference(design) : evaluate.fromUnits(design.unitTreated);
  const nPossible = possibleAssignments(design);
  const exact = nPossible <= draws;
  const threshold = Math.abs(observed) * (1 - RI_TIE_TOLERANCE);
  const progress = options.onProgress;

  let nAsExtreme: number;
  let riDraws: number;
  let undefinedDraws = 0;
  if (Number.isNaN(observed)) {
    nAsExtreme = 0;
    riDraws = 0;
  } else if (exact) {
    riDraws = nPossible;
    const counts = enumerate(design, threshold, evaluate, nPossible, progress);
    nAsExtreme = counts.asExtreme;
    undefinedDraws = counts.undefined;
  } else {
    riDraws = draws;
    const counts =
      evaluate === null ? sampleDifferences(design, rng, draws, threshold, progress) : sampleGeneric(design, rng, draws, threshold, evaluate, progress);
    nAsExtreme = counts.asExtreme;
    undefinedDraws = counts.undefined;
  }
  let riPValue: number;
  if (Number.isNaN(observed)) {
    riPValue = Number.NaN;
    diagnostics.push(
      diagnostic('RI_STATISTIC_UNDEFINED', 'warning', 'The test statistic is undefined on the observed assignment (e.g. no outcome variation within an arm for the t statistic), so no randomisation p-value is given; use the difference in means.'),
    );
  } else {
    // Assignments on which the statistic is undefined are left out (the observed one is defined, so the reference
    // distribution is the design's given that), as randomisationInferenceFromRedraws does.
    riPValue = exact ? nAsExtreme / (nPossible - undefinedDraws) : (1 + nAsExtreme) / (1 + draws - undefinedDraws);
  }
  if (undefinedDraws > 0) {
    diagnostics.push(
      diagnostic('RI_UNDEFINED_DRAWS', 'warning', `The t statistic was undefined on ${undefinedDraws} of ${riDraws} assignments (no outcome variation within an arm); they are left out of the p-value, which is over the ${riDraws - undefinedDraws} assignments where it is defined.`),
    );
  }
  if (exact && nPossible > 0 && 1 / nPossible > 0.05) {
    diagnostics.push(
      diagnostic('RI_FEW_ASSIGNMENTS', 'warning', `Only ${nPossible} assignments were possible, so the smallest attainable p-value is ${formatP(1 / nPossible)}: the test cannot reject at 5%.`),
    );
  }
  const definedDraws = riDraws - undefinedDraws;
  const monteCarloStdError = exact || Number.isNaN(riPValue) ? 0 : Math.sqrt((riPValue * (1 - riPValue)) / definedDraws);
  return Object.freeze({
    riPValue,
    riDraws: definedDraws,
    exact,
    nPossibleAssignments: nPossible,
    observed,
    nAsExtreme,
    monteCarloStdError,
    design: kind,
    statistic,
    nBlocks: design.nBlocks,
    nUnits: design.unitSum.length,
    method: describe(design, statistic, exact, riDraws, trial.covariates.length > 0),
    diagnostics: Object.freeze(diagnostics),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Statistic

/** w_b·(S1/N1 − (S_b − S1)/(N_b − N1)): block b's weighted difference in row means. */
function blockTerm(design: RiDesign, b: number, s1: number, n1: number): number {
  const sb = design.blockSum[b]!;
  const nb = design.blockCount[b]!;
  return design.blockWeight[b]! * (s1 / n1 - (sb - s1) / (nb - n1));
}

/** The observed statistic, adding each block's treated units in unit order (as enumeration does). */
function observedDifference(design: RiDesign): number {
  let t = 0;
  for (let b = 0; b < design.nBlocks; b++) {
    let s1 = 0;
    let n1 = 0;
    for (let u = design.unitStart[b]!; u < design.unitStart[b + 1]!; u++) {
      if (design.unitTreated[u] === 1) {
        s1 += design.unitSum[u]!;
        n1 += design.unitCount[u]!;
      }
    }
    t += blockTerm(design, b, s1, n1);
  }
  return t;
}

interface GenericStatistic {
  /** The statistic for a unit-level assignment (1 = treated); allocation-free apart from differenceInMeans itself. */
  fromUnits(unitTreated: Uint8Array): number;
}

/** difference_in_means' t statistic for the design's blocks/clusters, recomputed for each assignment. */
function tStatistic(trial: PreparedTrial, design: RiDesign): GenericStatistic {
  const rows = new Uint8Array(design.nRows);
  const outcome = trial.outcome.values;
  const blocks = design.blocked ? trial.blocks : undefined;
  const cluster = design.clustered ? trial.cluster : undefined;
  return {
    fromUnits(unitTreated: Uint8Array): number {
      for (let i = 0; i < rows.length; i++) rows[i] = unitTreated[design.rowUnit[i]!]!;
      return differenceInMeans({
        outcome,
        assignment: rows,
        ...(blocks === undefined ? {} : { blocks }),
        ...(cluster === undefined ? {} : { cluster }),
      }).statistic;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Counting assignments

/** C(n, k) by the multiplicative formula; every partial product is an integer C(n − k + i, i), exact below 2^53. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= m; i++) c = (c * (n - m + i)) / i;
  return Math.round(c);
}

/** Π_b C(G_b, k_b). */
export function possibleAssignments(design: RiDesign): number {
  let total = 1;
  for (let b = 0; b < design.nBlocks; b++) {
    total *= binomial(design.unitStart[b + 1]! - design.unitStart[b]!, design.treatedPerBlock[b]!);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// Exact enumeration

interface Counts {
  asExtreme: number;
  undefined: number;
}

/**
 * Every assignment: per block the k_b-subsets of its G_b units in lexicographic order (next-combination in place),
 * combined like an odometer with the last block turning fastest. Each block's term is recomputed only when its
 * subset changes; terms are added in block order, as for the observed statistic, so the observed assignment gives
 * bit-for-bit the observed value.
 */
function enumerate(
  design: RiDesign,
  threshold: number,
  generic: GenericStatistic | null,
  total: number,
  progress: ((done: number, total: number) => void) | undefined,
): Counts {
  const nBlocks = design.nBlocks;
  const combos: Int32Array[] = [];
  const terms = new Float64Array(nBlocks);
  const unitTreated = new Uint8Array(design.unitSum.length);
  const termOf = (b: number): number => {
    const start = design.unitStart[b]!;
    const combo = combos[b]!;
    let s1 = 0;
    let n1 = 0;
    for (let i = 0; i < combo.length; i++) {
      const u = start + combo[i]!;
      s1 += design.unitSum[u]!;
      n1 += design.unitCount[u]!;
    }
    return blockTerm(design, b, s1, n1);
  };
  const markBlock = (b: number): void => {
    const start = design.unitStart[b]!;
    unitTreated.fill(0, start, design.unitStart[b + 1]!);
    const combo = combos[b]!;
    for (let i = 0; i < combo.length; i++) unitTreated[start + combo[i]!] = 1;
  };
  for (let b = 0; b < nBlocks; b++) {
    const k = design.treatedPerBlock[b]!;
    combos.push(Int32Array.from({ length: k }, (_, i) => i));
    if (generic === null) terms[b] = termOf(b);
    else markBlock(b);
  }
  let asExtreme = 0;
  let undefinedCount = 0;
  let done = 0;
  for (;;) {
    let t: number;
    if (generic === null) {
      t = 0;
      for (let b = 0; b < nBlocks; b++) t += terms[b]!;
    } else {
      t = generic.fromUnits(unitTreated);
    }
    if (Math.abs(t) >= threshold) asExtreme++;
    else if (Number.isNaN(t)) undefinedCount++;
    done++;
    if (progress !== undefined && (done & 1023) === 0) progress(done, total);
    // Advance the odometer.
    let b = nBlocks - 1;
    for (; b >= 0; b--) {
      const size = design.unitStart[b + 1]! - design.unitStart[b]!;
      const advanced = nextCombination(combos[b]!, size);
      if (generic === null) terms[b] = termOf(b);
      else markBlock(b);
      if (advanced) break;
    }
    if (b < 0) break;
  }
  if (done !== total) throw new Error(`internal: enumerated ${done} assignments, expected ${total}`);
  if (progress !== undefined) progress(done, total);
  return { asExtreme, undefined: undefinedCount };
}

/** Next k-subset of 0..n−1 in lexicographic order, in place; false (and reset to the first) after the last. */
export function nextCombination(combo: Int32Array, n: number): boolean {
  const k = combo.length;
  let i = k - 1;
  while (i >= 0 && combo[i] === n - k + i) i--;
  if (i < 0) {
    for (let j = 0; j < k; j++) combo[j] = j;
    return false;
  }
  combo[i] = combo[i]! + 1;
  for (let j = i + 1; j < k; j++) combo[j] = combo[j - 1]! + 1;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Sampled redraws

/**
 * The fast path. Each draw is a uniform k_b-subset of each block's G_b units from SubsetSampler (sampler.ts: random
 * words of Bernoulli bits, then the count fixed exactly), and S1 (and N1 with clusters) is summed over the set bits
 * of each word, lowest first (x & −x): about G_b/32 random words, k_b additions and one unpredictable branch per
 * word, with no allocation. (Selection sampling took two random bits and two unpredictable branches per unit:
 * 18 s for 10,000 draws at N = 1e5.)
 */
function sampleDifferences(
  design: RiDesign,
  rng: Rng,
  draws: number,
  threshold: number,
  progress: ((done: number, total: number) => void) | undefined,
): Counts {
  const nBlocks = design.nBlocks;
  const unitSum = design.unitSum;
  const unitCount = design.unitCount;
  const unitStart = design.unitStart;
  const sampler = new SubsetSampler(unitStart, design.treatedPerBlock, rng);
  const words = sampler.words;
  const wordStart = sampler.wordStart;
  // Without clusters every unit is one row, so N1 is k_b: no need to add the counts.
  const n1Fixed = !design.clustered;
  let asExtreme = 0;
  for (let d = 0; d < draws; d++) {
    sampler.draw();
    let t = 0;
    for (let b = 0; b < nBlocks; b++) {
      let s1 = 0;
      let n1 = 0;
      let base = unitStart[b]!;
      const last = wordStart[b + 1]!;
      if (n1Fixed) {
        for (let w = wordStart[b]!; w < last; w++, base += 32) {
          let x = words[w]! | 0;
          while (x !== 0) {
            const low = x & -x;
            s1 += unitSum[base + 31 - Math.clz32(low)]!;
            x ^= low;
          }
        }
        n1 = design.treatedPerBlock[b]!;
      } else {
        for (let w = wordStart[b]!; w < last; w++, base += 32) {
          let x = words[w]! | 0;
          while (x !== 0) {
            const low = x & -x;
            const u = base + 31 - Math.clz32(low);
            s1 += unitSum[u]!;
            n1 += unitCount[u]!;
            x ^= low;
          }
        }
      }
      t += blockTerm(design, b, s1, n1);
    }
    if (Math.abs(t) >= threshold) asExtreme++;
    if (progress !== undefined && ((d + 1) & 1023) === 0) progress(d + 1, draws);
  }
  if (progress !== undefined) progress(draws, draws);
  return { asExtreme, undefined: 0 };
}

/** A sampler of the design's redraws (the same scheme as the fast path, so the same assignments per seed). */
export function designSampler(design: RiDesign, rng: Rng): SubsetSampler {
  return new SubsetSampler(design.unitStart, design.treatedPerBlock, rng);
}

/** Draw one assignment of the randomisation units into `unitTreated` (1 = treated). */
export function drawUnitAssignment(sampler: SubsetSampler, unitTreated: Uint8Array): void {
  sampler.draw();
  sampler.fill(unitTreated);
}

function sampleGeneric(
  design: RiDesign,
  rng: Rng,
  draws: number,
  threshold: number,
  generic: GenericStatistic,
  progress: ((done: number, total: number) => void) | undefined,
): Counts {
  const sampler = designSampler(design, rng);
  const unitTreated = new Uint8Array(design.unitSum.length);
  let asExtreme = 0;
  let undefinedCount = 0;
  for (let d = 0; d < draws; d++) {
    drawUnitAssignment(sampler, unitTreated);
    const t = generic.fromUnits(unitTreated);
    if (Math.abs(t) >= threshold) asExtreme++;
    else if (Number.isNaN(t)) undefinedCount++;
    if (progress !== undefined && ((d + 1) & 1023) === 0) progress(d + 1, draws);
  }
  if (progress !== undefined) progress(draws, draws);
  return { asExtreme, undefined: undefinedCount };
}

// ---------------------------------------------------------------------------------------------------------------
// Words

function designDiagnostics(trial: PreparedTrial, design: RiDesign, statistic: RiStatistic): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (trial.covariates.length > 0 && statistic === 'difference-in-means') {
    out.push(
      diagnostic(
        'RI_STATISTIC_UNADJUSTED',
        'info',
        'The randomisation test statistic is the unadjusted difference in means (blocked when the design is), not the covariate-adjusted ITT estimate; the p-value is valid for the sharp null either way.',
      ),
    );
  }
  if (!design.blocked && trial.blocks !== undefined) {
    out.push(diagnostic('RI_DESIGN_IGNORES_BLOCKS', 'warning', `The '${design.kind}' design redraws across blocks "${trial.blocks.name}": if assignment was made within blocks, use the blocked design.`));
  }
  if (!design.clustered && trial.cluster !== undefined) {
    out.push(diagnostic('RI_DESIGN_IGNORES_CLUSTERS', 'warning', `The '${design.kind}' design redraws individuals, ignoring the clusters "${trial.cluster.name}": if whole clusters were assigned, use a clustered design.`));
  }
  return out;
}

function describe(design: RiDesign, statistic: RiStatistic, exact: boolean, riDraws: number, adjusted: boolean): string {
  const redraw =
    design.kind === 'complete'
      ? `complete randomisation of ${design.unitSum.length} units keeping the arm sizes`
      : design.kind === 'blocked'
        ? `randomisation within each of ${design.nBlocks} blocks keeping each block's arm sizes`
        : design.kind === 'clustered'
          ? `randomisation of ${design.unitSum.length} whole clusters keeping the number of treated clusters`
          : `randomisation of whole clusters within each of ${design.nBlocks} blocks keeping each block's number of treated clusters`;
  const stat =
    statistic === 't'
      ? "difference_in_means' t statistic (estimate / its design-based SE), recomputed for each assignment"
      : `the difference in means${design.blocked ? ' (block-size-weighted within-block differences, as difference_in_means)' : ''}${adjusted ? ', unadjusted for covariates' : ''}`;
  const count = exact
    ? `all ${riDraws.toLocaleString('en-GB')} possible assignments enumerated (exact): p = #{|T| ≥ |T_obs|}/${riDraws.toLocaleString('en-GB')}, the observed assignment included`
    : `${riDraws.toLocaleString('en-GB')} random redraws: p = (1 + #{|T*| ≥ |T_obs|})/(1 + ${riDraws.toLocaleString('en-GB')})`;
  return `Randomisation inference for the sharp null of no effect on any unit: ${redraw}; statistic ${stat}; ${count}; ties within 1e-12 relative count as extreme.`;
}

function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(2);
}
