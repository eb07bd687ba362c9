/**
 * Randomisation inference with the trial's own assignment mechanism: the caller supplies each redraw (e.g. the
 * allocation scheme re-run with a derived seed: permuted blocks of random size, minimisation, constrained or
 * re-randomisation — see `trialkit estimate --allocation-dir`), and the p-value of the sharp null is
 * (1 + #{|T*| ≥ |T_obs|}) / (1 + draws), T the same difference in means as the ITT (block-size-weighted within the
 * trial's blocks when it has them).
 *
 *   PreparedTrial (outcome, observed assignment, blocks) + redraw(r, out) for r = 1…draws
 *     ──► T(a) = Σ_b (N_b/N)·(ȳ1_b − ȳ0_b) per redraw, O(N) ──► { riPValue, riDraws, nAsExtreme, … }
 *
 * Such a mechanism may not keep arm sizes fixed, so a redraw can leave a block with one arm: T is then undefined
 * and the redraw is left out (a diagnostic says how many). The observed assignment has both arms in every block
 * (else the analysis is refused), so the reference distribution is the mechanism conditional on that event:
 * p = (1 + #extreme)/(1 + #defined redraws). Counting the undefined redraws as "not extreme" instead would shrink
 * p by the share of defined redraws (by 16 for Bernoulli assignment within 4 pairs) and over-reject. The p-value is
 * never "exact": the possible assignments of a scheme are not enumerated.
 */
import { diagnostic, TrialkitError, type Diagnostic } from '@trialkit/core';
import type { PreparedTrial } from '@trialkit/data';
import { MAX_DRAWS, riErrors } from './errors.js';
import { RI_TIE_TOLERANCE, type RandomisationInferenceResult } from './randomisation-inference.js';
import { invertPairs, type CaceRandomisationSet } from './cace-interval.js';

export interface RedrawOptions {
  readonly draws: number;
  /** Rows of the source data (before missing rows were dropped): the length of the array `redraw` fills. */
  readonly sourceRows: number;
  /**
   * Fill `assignment` — one entry per row of the SOURCE data (row i, 1-based, at index i − 1), 1 = treatment,
   * 0 = control — with redraw r (1-based). Must be a fresh draw of the mechanism that made the observed assignment,
   * independent across r (e.g. the scheme re-run with a seed derived from the user's seed and r). The rows the
   * analysis keeps are picked out by the trial's sourceRows.
   */
  readonly redraw: (r: number, assignment: Uint8Array) => void;
  /** How the redraws were made, for the method text (e.g. "block@1 permuted blocks within office, seed …"). */
  readonly mechanism: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The block structure and the difference-in-means statistic of one or more outcomes on a row assignment. */
function redrawStatistic(trial: PreparedTrial, outcomes: readonly Float64Array[]): { nBlocks: number; of: (z: ArrayLike<number>, out: Float64Array) => void } {
  const n = trial.n;
  const rowBlock = new Int32Array(n);
  let nBlocks = 1;
  if (trial.blocks !== undefined) {
    const dense = new Int32Array(trial.blocks.labels.length).fill(-1);
    nBlocks = 0;
    for (let i = 0; i < n; i++) {
      const code = trial.blocks.codes[i]!;
      if (dense[code] === -1) dense[code] = nBlocks++;
      rowBlock[i] = dense[code]!;
    }
  }
  const k = outcomes.length;
  const blockCount = new Float64Array(nBlocks);
  const blockSum = new Float64Array(nBlocks * k);
  for (let i = 0; i < n; i++) {
    const b = rowBlock[i]!;
    blockCount[b] = blockCount[b]! + 1;
    for (let j = 0; j < k; j++) blockSum[b * k + j] = blockSum[b * k + j]! + outcomes[j]![i]!;
  }
  const s1 = new Float64Array(nBlocks * k);
  const n1 = new Float64Array(nBlocks);
  return {
    nBlocks,
    of(z: ArrayLike<number>, out: Float64Array): void {
      s1.fill(0);
      n1.fill(0);
      for (let i = 0; i < n; i++) {
        if (z[i] === 1) {
          const b = rowBlock[i]!;
          n1[b] = n1[b]! + 1;
          for (let j = 0; j < k; j++) s1[b * k + j] = s1[b * k + j]! + outcomes[j]![i]!;
        }
      }
      out.fill(0);
      for (let b = 0; b < nBlocks; b++) {
        const nb = blockCount[b]!;
        const m = n1[b]!;
        if (m === 0 || m === nb) {
          out.fill(Number.NaN);
          return;
        }
        for (let j = 0; j < k; j++) {
          const sum = s1[b * k + j]!;
          out[j] = out[j]! + (nb / n) * (sum / m - (blockSum[b * k + j]! - sum) / (nb - m));
        }
      }
    },
  };
}

/** Run the redraws, calling `each(r, statistics)` with the statistic of every outcome for redraw r. */
function runRedraws(trial: PreparedTrial, options: RedrawOptions, outcomes: readonly Float64Array[], each: (r: number, t: Float64Array, observed: Float64Array) => void): { observed: Float64Array; nBlocks: number } {
  const draws = options.draws;
  if (typeof draws !== 'number' || !Number.isInteger(draws) || draws < 1 || draws > MAX_DRAWS) throw riErrors.badDraws(draws);
  const n = trial.n;
  let lastRow = 0;
  for (let i = 0; i < n; i++) lastRow = Math.max(lastRow, trial.sourceRows[i] ?? i + 1);
  const sourceRows = options.sourceRows;
  if (!(typeof sourceRows === 'number' && Number.isInteger(sourceRows) && sourceRows >= lastRow && sourceRows >= 1)) {
    throw new TrialkitError({
      code: 'RI_BAD_SOURCE_ROWS',
      argument: 'sourceRows',
      value: sourceRows,
      what: `sourceRows must be the number of rows of the source data, a whole number at least ${lastRow} (the last row the analysis uses)`,
      hint: 'Pass the row count of the data file the trial was prepared from (PreparedTrial.sourceRows holds 1-based rows of it).',
    });
  }
  for (const y of outcomes) for (let i = 0; i < n; i++) if (!Number.isFinite(y[i]!)) throw riErrors.nonFinite(trial.sourceRows[i] ?? i + 1);
  const statistic = redrawStatistic(trial, outcomes);
  const observed = new Float64Array(outcomes.length);
  statistic.of(trial.assignment.values, observed);
  if (Number.isNaN(observed[0]!)) throw riErrors.oneArm();
  const source = new Uint8Array(options.sourceRows);
  const assignment = new Uint8Array(n);
  const t = new Float64Array(outcomes.length);
  for (let r = 1; r <= draws; r++) {
    source.fill(2); // neither arm: a redraw that leaves a row unfilled is caught below
    options.redraw(r, source);
    for (let i = 0; i < n; i++) {
      const row = trial.sourceRows[i]!;
      const z = source[row - 1];
      if (z === undefined || z > 1) throw riErrors.redrawIncomplete(r, row);
      assignment[i] = z;
    }
    statistic.of(assignment, t);
    each(r, t, observed);
    if (options.onProgress !== undefined && (r & 63) === 0) options.onProgress(r, draws); // a scheme redraw is slow: often
  }
  if (options.onProgress !== undefined) options.onProgress(draws, draws);
  return { observed, nBlocks: statistic.nBlocks };
}

export function randomisationInferenceFromRedraws(trial: PreparedTrial, options: RedrawOptions): RandomisationInferenceResult {
  const draws = options.draws;
  let asExtreme = 0;
  let undefinedDraws = 0;
  const { observed, nBlocks } = runRedraws(trial, options, [trial.outcome.values], (_r, t, observedT) => {
    const x = t[0]!;
    if (Number.isNaN(x)) undefinedDraws++;
    else if (Math.abs(x) >= Math.abs(observedT[0]!) * (1 - RI_TIE_TOLERANCE)) asExtreme++;
  });
  const used = draws - undefinedDraws;
  const diagnostics: Diagnostic[] = [];
  if (trial.covariates.length > 0) {
    diagnostics.push(
      diagnostic('RI_STATISTIC_UNADJUSTED', 'info', 'The randomisation test statistic is the unadjusted difference in means (blocked when the design is), not the covariate-adjusted ITT estimate; the p-value is valid for the sharp null either way.'),
    );
  }
  if (undefinedDraws > 0) {
    diagnostics.push(
      diagnostic(
        'RI_UNDEFINED_DRAWS',
        'warning',
        `${undefinedDraws} of ${draws} redraws left a block with one arm only, so the statistic was undefined; they are left out, and the p-value rests on the other ${used} ` +
          '(the randomisation distribution given both arms in every block, as in the observed assignment).' +
          (used < 1000 ? ' So few redraws remain that the p-value is coarse: ask for more redraws, or analyse with coarser blocks.' : ''),
      ),
    );
  }
  const riPValue = (1 + asExtreme) / (1 + used);
  const blocked = trial.blocks !== undefined;
  return Object.freeze({
    riPValue,
    riDraws: used,
    exact: false,
    nPossibleAssignments: Number.NaN,
    observed: observed[0]!,
    nAsExtreme: asExtreme,
    monteCarloStdError: used > 0 ? Math.sqrt((riPValue * (1 - riPValue)) / used) : 0,
    design: blocked ? 'blocked' : 'complete',
    statistic: 'difference-in-means',
    nBlocks,
    nUnits: trial.n,
    method: `Randomisation inference for the sharp null of no effect on any unit: ${draws.toLocaleString('en-GB')} redraws by the trial's own assignment mechanism (${options.mechanism}); statistic the difference in means${blocked ? ` (block-size-weighted within-block differences over ${nBlocks} blocks, as difference_in_means)` : ''}; p = (1 + #{|T*| ≥ |T_obs|})/(1 + ${used.toLocaleString('en-GB')})${undefinedDraws > 0 ? ` over the ${used.toLocaleString('en-GB')} redraws with both arms in every block` : ''}; ties within 1e-12 relative count as extreme.`,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** The CACE's randomisation confidence set (cace-interval.ts) from the same redraws of the trial's own mechanism. */
export function caceRandomisationSetFromRedraws(trial: PreparedTrial, options: RedrawOptions & { readonly level?: number }): CaceRandomisationSet {
  const received = trial.received;
  if (received === undefined) throw riErrors.noReceived();
  const level = options.level ?? 0.95;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    // As caceRandomisationSet: a level outside (0, 1) would make α = 1 − level put every τ in (or out of) the set.
    throw new TrialkitError({ code: 'RI_BAD_LEVEL', argument: 'level', value: level, what: 'The confidence level must be between 0 and 1', hint: 'Use e.g. 0.95.' });
  }
  const a = new Float64Array(options.draws);
  const b = new Float64Array(options.draws);
  let m = 0;
  const { observed } = runRedraws(trial, options, [trial.outcome.values, received.values], (_r, t) => {
    // A redraw that leaves a block with one arm is left out, as in randomisationInferenceFromRedraws.
    if (Number.isNaN(t[0]!) || Number.isNaN(t[1]!)) return;
    a[m] = t[0]!;
    b[m] = t[1]!;
    m++;
  });
  const left = options.draws - m;
  const drawsText = `${m} redraws${left > 0 ? ` (${left} that left a block with one arm left out)` : ''}, p = (1 + #)/(1 + ${m})`;
  return invertPairs({ a: a.subarray(0, m), b: b.subarray(0, m) }, observed[0]!, observed[1]!, false, Number.NaN, level, `difference in means, redraws by ${options.mechanism}`, drawsText);
}
