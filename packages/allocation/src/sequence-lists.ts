/**
 * Sequence tables for systems that take a pre-generated list per stratum (e.g. a case-management system that hands
 * out the next row of its stratum's table): N rows per stratum from the stratum's permuted-block stream
 * (schemes/block.ts), so the n-th row of a stratum's table is exactly the arm the n-th participant of that stratum
 * would get from `allocate` with the block scheme, or from live enrolment with the same seed.
 *
 * Run-out warning: a stratum with share π of recruitment, out of M expected participants, receives
 * K ~ Binomial(M, π) people. Its table of N rows runs out with probability P(K > N); we warn when that exceeds 1 %,
 * computed exactly from the binomial distribution (log-space terms summed over the upper tail).
 */
import { createHash } from 'node:crypto';
import { TRIALKIT_VERSION, diagnostic, sha256Hex } from '@trialkit/core';
import type { Diagnostic, Seed } from '@trialkit/core';
import type { ArmRatio } from './arms.js';
import { armsToText, checkArms } from './arms.js';
import { seedText } from './derive.js';
import { allocationErrors } from './errors.js';
import { BLOCK_VERSION, BlockStream, checkBlockSizes } from './schemes/block.js';

export interface SequenceListRequest {
  readonly arms: readonly ArmRatio[] | string;
  readonly seed: Seed;
  /** Stratum labels to make tables for (order kept). */
  readonly strata: readonly string[];
  readonly perStratum: number;
  readonly blockSizes?: readonly number[];
  /** Expected total recruitment and each stratum's expected share (e.g. from a participant or forecast file). */
  readonly expectedRecruitment?: number;
  readonly stratumShares?: Readonly<Record<string, number>>;
  readonly strataColumns?: readonly string[];
  readonly concealSeed?: boolean;
}

export interface SequenceRow {
  readonly stratum: string;
  readonly sequence: number;
  readonly arm: string;
}

export interface SequenceLists {
  readonly rows: readonly SequenceRow[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly diagnostics: readonly Diagnostic[];
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function sequenceListToCsv(rows: readonly SequenceRow[]): string {
  const parts = ['stratum,sequence,arm\n'];
  for (const row of rows) parts.push(`${csvField(row.stratum)},${row.sequence},${csvField(row.arm)}\n`);
  return parts.join('');
}

/** log of the binomial coefficient via log-gamma sums (exact enough for tail probabilities ≥ 1e-12). */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}

/** P(K > N) for K ~ Binomial(M, p). */
export function binomialUpperTail(M: number, p: number, N: number): number {
  if (N >= M) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let total = 0;
  let logTerm = logChoose(M, N + 1) + (N + 1) * Math.log(p) + (M - N - 1) * Math.log1p(-p);
  for (let k = N + 1; k <= M; k++) {
    total += Math.exp(logTerm);
    // term(k+1)/term(k) = (M−k)/(k+1) · p/(1−p)
    logTerm += Math.log((M - k) / (k + 1)) + Math.log(p) - Math.log1p(-p);
    if (logTerm < -745 && k > M * p) break;
  }
  return Math.min(1, total);
}

export function sequenceLists(request: SequenceListRequest): SequenceLists {
  const arms = checkArms(request.arms);
  const seed = seedText(request.seed);
  const blockSizes = checkBlockSizes(arms, request.blockSizes);
  const N = request.perStratum;
  if (!Number.isInteger(N) || N < 1 || N > 10_000_000) {
    throw allocationErrors.badOption('--per-stratum', N, 'The number of rows per stratum must be a whole number of at least 1', 'Use e.g. --per-stratum 500.');
  }
  if (request.strata.length === 0) throw allocationErrors.empty();
  const rows: SequenceRow[] = [];
  const seen = new Set<string>();
  for (const stratum of request.strata) {
    if (seen.has(stratum)) continue;
    seen.add(stratum);
    const stream = BlockStream.forStratum(seed, stratum, arms, blockSizes);
    for (let k = 1; k <= N; k++) rows.push({ stratum, sequence: k, arm: (arms[stream.next()] as ArmRatio).name });
  }
  const diagnostics: Diagnostic[] = [];
  const runOut: Record<string, number> = {};
  if (request.expectedRecruitment !== undefined && request.stratumShares !== undefined) {
    const M = request.expectedRecruitment;
    for (const stratum of seen) {
      const share = request.stratumShares[stratum] ?? 0;
      const probability = binomialUpperTail(M, share, N);
      runOut[stratum] = probability;
      if (probability > 0.01) {
        diagnostics.push(
          diagnostic(
            'ALLOC_SEQUENCE_LIST_MAY_RUN_OUT',
            'warning',
            `The list for stratum "${stratum}" has ${N} rows but expects ${(M * share).toFixed(1)} of ${M} participants; it runs out with probability ${probability.toFixed(3)}. Use a larger --per-stratum.`,
          ),
        );
      }
    }
  }
  const csv = sequenceListToCsv(rows);
  const hash = createHash('sha256');
  hash.update(JSON.stringify([...seen]));
  const meta = {
    scheme: 'block',
    schemeVersion: BLOCK_VERSION,
    kind: 'sequence-lists',
    parameters: {
      arms: armsToText(arms),
      blockSizes,
      perStratum: N,
      ...(request.strataColumns ? { strata: request.strataColumns } : {}),
      ...(request.expectedRecruitment !== undefined ? { expectedRecruitment: request.expectedRecruitment } : {}),
    },
    ...(request.concealSeed === true ? {} : { seed }),
    seedCommitment: sha256Hex(seed),
    trialkitVersion: TRIALKIT_VERSION,
    inputSha256: hash.digest('hex'),
    listSha256: sha256Hex(csv),
    strata: [...seen],
    ...(Object.keys(runOut).length > 0 ? { runOutProbability: runOut } : {}),
    diagnostics,
  };
  return { rows, meta, diagnostics };
}
