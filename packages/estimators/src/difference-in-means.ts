/**
 * difference_in_means (estimatr 1.0.0; ESTIMATORS-MATH.md §1): checks the design exactly as estimatr does, in its
 * order, refuses what estimatr refuses (TrialkitError, errors.ts), picks the design from blocks/clusters and the
 * units (or clusters) per block, and calls the kernels in kernels/difference-in-means.ts.
 *
 *   checks ─► design: Standard | Clustered | Blocked | Matched-pair | Block-clustered | Matched-pair clustered
 *          ─► kernel (τ̂, SE, df) ─► inference (t, p, CI)
 */
import { diagnostic, type Diagnostic } from '@trialkit/core';
import { checkFinite, checkLength, checkLevel, rowsByGroup, toTreatment, type CoefficientRow, type GroupCodes } from './checks.js';
import { estimatorsErrors } from './errors.js';
import {
  blockDifferences,
  clusteredCr2,
  combineBlocks,
  matchedPairs,
  matchedPairsClustered,
  welch,
  type DimKernelResult,
} from './kernels/difference-in-means.js';
import { tInference } from './kernels/inference.js';

export type DimDesign =
  | 'Standard'
  | 'Clustered'
  | 'Blocked'
  | 'Matched-pair'
  | 'Block-clustered'
  | 'Matched-pair clustered';

export interface DifferenceInMeansArgs {
  readonly outcome: Float64Array;
  /** 0 = control (estimatr's condition1), 1 = treatment (condition2). */
  readonly assignment: Float64Array | Uint8Array;
  readonly blocks?: GroupCodes;
  readonly cluster?: GroupCodes;
  readonly level?: number;
  /** Name of the treatment term (estimatr names it after the assignment variable). */
  readonly term?: string;
}

export interface DifferenceInMeansResult extends CoefficientRow {
  readonly design: DimDesign;
  readonly level: number;
  readonly nObs: number;
  readonly nBlocks: number | undefined;
  readonly nClusters: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function differenceInMeans(args: DifferenceInMeansArgs): DifferenceInMeansResult {
  const level = checkLevel(args.level);
  const y = args.outcome;
  const n = y.length;
  checkLength(args.assignment, n, 'assignment');
  checkFinite(y, 'outcome');
  const t = toTreatment(args.assignment, 'assignment');
  if (args.blocks !== undefined) checkLength(args.blocks.codes, n, 'blocks');
  if (args.cluster !== undefined) checkLength(args.cluster.codes, n, 'cluster');
  let treated = 0;
  for (let i = 0; i < n; i++) treated += t[i]!;
  if (treated === 0 || treated === n) throw estimatorsErrors.oneArm('assignment');

  const diagnostics: Diagnostic[] = [];
  const cluster = args.cluster;
  const blocks = args.blocks;
  let kernel: DimKernelResult;
  let design: DimDesign;
  let nClusters: number | undefined;
  let nBlocks: number | undefined;

  if (blocks === undefined) {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    checkBlock(t, all, cluster, undefined, false);
    if (cluster === undefined) {
      design = 'Standard';
      kernel = welch(y, t);
    } else {
      design = 'Clustered';
      const result = clusteredCr2(y, t, cluster.codes, cluster.labels.length);
      kernel = result;
      nClusters = result.nClusters;
    }
  } else {
    const allBlockRows = rowsByGroup(blocks.codes, blocks.labels.length);
    const used = allBlockRows.map((rows, b) => (rows.length > 0 ? b : -1)).filter((b) => b >= 0);
    const blockRows = used.map((b) => allBlockRows[b]!);
    const blockLabels = used.map((b) => blocks.labels[b]!);
    nBlocks = blockRows.length;
    // Clusters must be nested in blocks (estimatr checks this first).
    const clusterCount = new Int32Array(blockRows.length);
    if (cluster !== undefined) {
      const clusterBlock = new Int32Array(cluster.labels.length).fill(-1);
      for (let b = 0; b < blockRows.length; b++) {
        const rows = blockRows[b]!;
        for (let r = 0; r < rows.length; r++) {
          const g = cluster.codes[rows[r]!]!;
          if (clusterBlock[g] === -1) {
            clusterBlock[g] = b;
            clusterCount[b] = clusterCount[b]! + 1;
          } else if (clusterBlock[g] !== b) {
            throw estimatorsErrors.clustersNotNested(cluster.labels[g]!, blocks.name ?? 'blocks');
          }
        }
      }
    } else {
      for (let b = 0; b < blockRows.length; b++) clusterCount[b] = blockRows[b]!.length;
    }
    // Units (or clusters) per block decide the design (§1 table).
    let pairs = 0;
    let larger = 0;
    for (let b = 0; b < blockRows.length; b++) {
      const c = clusterCount[b]!;
      if (c === 1) throw estimatorsErrors.blockTooSmall(blockLabels[b]!, cluster !== undefined);
      if (c === 2) pairs++;
      else larger++;
    }
    const pairMatched = pairs > 0;
    if (pairs > 0 && larger > 0) {
      diagnostics.push(
        diagnostic(
          'EST_MIXED_PAIR_BLOCKS',
          'warning',
          `Some blocks have two ${cluster === undefined ? 'units' : 'clusters'} while others have more; as estimatr does, the matched-pairs variance estimator is used for all blocks (size-weighted estimate, unweighted pair-type variance, df = J − 1).`,
        ),
      );
    }
    for (let b = 0; b < blockRows.length; b++) checkBlock(t, blockRows[b]!, cluster, blockLabels[b]!, pairMatched);
    if (pairMatched) {
      const { differences, sizes } = blockDifferences(y, t, blockRows);
      if (cluster === undefined) {
        design = 'Matched-pair';
        kernel = matchedPairs(differences, sizes);
      } else {
        design = 'Matched-pair clustered';
        kernel = matchedPairsClustered(differences, sizes);
        nClusters = 2 * blockRows.length; // estimatr reports 2 per block, even for mixed designs
      }
    } else {
      const j = blockRows.length;
      const estimates = new Float64Array(j);
      const stdErrors = new Float64Array(j);
      const sizes = new Float64Array(j);
      let totalClusters = 0;
      for (let b = 0; b < j; b++) {
        const rows = blockRows[b]!;
        const part = cluster === undefined ? welch(y, t, rows) : clusteredCr2(y, t, cluster.codes, cluster.labels.length, rows);
        estimates[b] = part.estimate;
        stdErrors[b] = part.stdError;
        sizes[b] = rows.length;
        totalClusters += clusterCount[b]!;
      }
      const combined = combineBlocks(estimates, stdErrors, sizes);
      if (cluster === undefined) {
        design = 'Blocked';
        kernel = { ...combined, df: n - 2 * j }; // estimatr: "we don't know if this is correct! matches lm_lin"
      } else {
        design = 'Block-clustered';
        kernel = { ...combined, df: totalClusters - 2 * j };
        nClusters = totalClusters;
      }
    }
  }
  const inference = tInference(kernel.estimate, kernel.stdError, kernel.df, level);
  if (Number.isNaN(inference.df)) {
    diagnostics.push(
      diagnostic('EST_UNDEFINED_DF', 'warning', 'The degrees of freedom are undefined (e.g. no variation in the outcome within either arm), so no p-value or confidence interval is given.'),
    );
  }
  return {
    term: args.term ?? 'assignment',
    estimate: kernel.estimate,
    stdError: kernel.stdError,
    ...inference,
    design,
    level,
    nObs: n,
    nBlocks,
    nClusters,
    diagnostics,
  };
}

/** estimatr's per-block checks, in its order: treatment constant within clusters, both arms, ≥ 2 units per arm. */
function checkBlock(
  t: Uint8Array,
  rows: Int32Array,
  cluster: GroupCodes | undefined,
  blockLabel: string | undefined,
  pairMatched: boolean,
): void {
  if (cluster !== undefined) {
    const seen = new Map<number, number>();
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      const g = cluster.codes[i]!;
      const arm = seen.get(g);
      if (arm === undefined) seen.set(g, t[i]!);
      else if (arm !== t[i]) throw estimatorsErrors.treatmentVariesInCluster(cluster.labels[g]!);
    }
  }
  let treated = 0;
  for (let r = 0; r < rows.length; r++) treated += t[rows[r]!]!;
  const control = rows.length - treated;
  if (treated === 0 || control === 0) throw estimatorsErrors.blockMissingArm(blockLabel ?? '(all rows)');
  if (!pairMatched && (treated === 1 || control === 1)) throw estimatorsErrors.tooFewPerArm(blockLabel);
}
