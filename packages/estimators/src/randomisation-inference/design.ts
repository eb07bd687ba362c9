/**
 * The randomisation design as the redraw kernel sees it: "randomisation units" (individuals, or whole clusters)
 * grouped by block, with each unit's outcome sum and size, each block's number of treated units, and the weights
 * with which the blocks' differences in means are combined (as difference_in_means does).
 *
 *   PreparedTrial + design ──checks (both arms per block, treatment constant in clusters, clusters nested in
 *   blocks)──► RiDesign { units sorted by block (first-appearance order inside a block), sums, counts, k_b, w_b }
 */
import type { PreparedTrial } from '@trialkit/data';
import { riErrors } from './errors.js';

export type RiDesignKind = 'complete' | 'blocked' | 'clustered' | 'block-clustered';

export const RI_DESIGNS: readonly RiDesignKind[] = ['complete', 'blocked', 'clustered', 'block-clustered'];

export interface RiDesign {
  readonly kind: RiDesignKind;
  readonly nRows: number;
  /** Blocks actually present (one block for an unblocked design). */
  readonly nBlocks: number;
  readonly blockLabels: readonly string[];
  /** Randomisation units of block b are unitStart[b] … unitStart[b + 1] − 1. */
  readonly unitStart: Int32Array;
  /** Sum of the outcome over each randomisation unit's rows. */
  readonly unitSum: Float64Array;
  /** Rows in each randomisation unit (1 without clusters). */
  readonly unitCount: Float64Array;
  /** Observed assignment of each randomisation unit (1 = treatment). */
  readonly unitTreated: Uint8Array;
  /** Treated randomisation units per block (kept fixed by every redraw). */
  readonly treatedPerBlock: Int32Array;
  readonly blockSum: Float64Array;
  readonly blockCount: Float64Array;
  /** N_b / N: difference_in_means' block weights (rows, also for clustered blocks). */
  readonly blockWeight: Float64Array;
  /** The randomisation unit of each row. */
  readonly rowUnit: Int32Array;
  readonly clustered: boolean;
  readonly blocked: boolean;
}

export function defaultDesign(trial: PreparedTrial): RiDesignKind {
  if (trial.blocks !== undefined) return trial.cluster !== undefined ? 'block-clustered' : 'blocked';
  return trial.cluster !== undefined ? 'clustered' : 'complete';
}

export function buildDesign(trial: PreparedTrial, kind: RiDesignKind): RiDesign {
  const n = trial.n;
  const y = trial.outcome.values;
  const z = trial.assignment.values;
  const blocked = kind === 'blocked' || kind === 'block-clustered';
  const clustered = kind === 'clustered' || kind === 'block-clustered';
  if (blocked && trial.blocks === undefined) throw riErrors.designNeedsBlocks(kind);
  if (clustered && trial.cluster === undefined) throw riErrors.designNeedsCluster(kind);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i]!)) throw riErrors.nonFinite(trial.sourceRows[i] ?? i + 1);

  // Dense block index of each row (blocks with no rows dropped, label order kept).
  const rowBlock = new Int32Array(n);
  let blockLabels: string[] = ['all'];
  if (blocked) {
    const blocks = trial.blocks!;
    const dense = new Int32Array(blocks.labels.length).fill(-1);
    for (let i = 0; i < n; i++) dense[blocks.codes[i]!] = 0;
    blockLabels = [];
    for (let g = 0; g < dense.length; g++) {
      if (dense[g] === 0) {
        dense[g] = blockLabels.length;
        blockLabels.push(blocks.labels[g]!);
      }
    }
    for (let i = 0; i < n; i++) rowBlock[i] = dense[blocks.codes[i]!]!;
  }
  const nBlocks = blockLabels.length;

  // Randomisation unit of each row: the row itself, or its cluster (numbered in order of first appearance).
  const rowUnitRaw = new Int32Array(n);
  let nUnits = 0;
  let unitBlockRaw: Int32Array;
  let unitTreatedRaw: Uint8Array;
  if (clustered) {
    const cluster = trial.cluster!;
    const clusterUnit = new Int32Array(cluster.labels.length).fill(-1);
    const blockOf: number[] = [];
    const treatedOf: number[] = [];
    for (let i = 0; i < n; i++) {
      const g = cluster.codes[i]!;
      let u = clusterUnit[g]!;
      if (u === -1) {
        u = nUnits++;
        clusterUnit[g] = u;
        blockOf.push(rowBlock[i]!);
        treatedOf.push(z[i]!);
      } else {
        if (blockOf[u] !== rowBlock[i]) throw riErrors.clustersNotNested(cluster.labels[g]!);
        if (treatedOf[u] !== z[i]) throw riErrors.treatmentVariesInCluster(cluster.labels[g]!);
      }
      rowUnitRaw[i] = u;
    }
    unitBlockRaw = Int32Array.from(blockOf);
    unitTreatedRaw = Uint8Array.from(treatedOf);
  } else {
    nUnits = n;
    unitBlockRaw = rowBlock;
    unitTreatedRaw = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      rowUnitRaw[i] = i;
      unitTreatedRaw[i] = z[i]!;
    }
  }

  // Sort units by block (stable counting sort: first-appearance order within a block).
  const unitStart = new Int32Array(nBlocks + 1);
  for (let u = 0; u < nUnits; u++) unitStart[unitBlockRaw[u]! + 1] = unitStart[unitBlockRaw[u]! + 1]! + 1;
  for (let b = 0; b < nBlocks; b++) unitStart[b + 1] = unitStart[b + 1]! + unitStart[b]!;
  const position = new Int32Array(nUnits);
  const fill = unitStart.slice(0, nBlocks);
  for (let u = 0; u < nUnits; u++) {
    const b = unitBlockRaw[u]!;
    position[u] = fill[b]!;
    fill[b] = fill[b]! + 1;
  }
  const rowUnit = new Int32Array(n);
  const unitSum = new Float64Array(nUnits);
  const unitCount = new Float64Array(nUnits);
  const unitTreated = new Uint8Array(nUnits);
  for (let u = 0; u < nUnits; u++) unitTreated[position[u]!] = unitTreatedRaw[u]!;
  // Sums in row order: the observed statistic and every enumerated assignment add the same numbers in the same order.
  for (let i = 0; i < n; i++) {
    const u = position[rowUnitRaw[i]!]!;
    rowUnit[i] = u;
    unitSum[u] = unitSum[u]! + y[i]!;
    unitCount[u] = unitCount[u]! + 1;
  }

  const treatedPerBlock = new Int32Array(nBlocks);
  const blockSum = new Float64Array(nBlocks);
  const blockCount = new Float64Array(nBlocks);
  let totalTreated = 0;
  for (let b = 0; b < nBlocks; b++) {
    for (let u = unitStart[b]!; u < unitStart[b + 1]!; u++) {
      treatedPerBlock[b] = treatedPerBlock[b]! + unitTreated[u]!;
      blockSum[b] = blockSum[b]! + unitSum[u]!;
      blockCount[b] = blockCount[b]! + unitCount[u]!;
    }
    totalTreated += treatedPerBlock[b]!;
  }
  if (totalTreated === 0 || totalTreated === nUnits) throw riErrors.oneArm();
  for (let b = 0; b < nBlocks; b++) {
    const k = treatedPerBlock[b]!;
    if (k === 0 || k === unitStart[b + 1]! - unitStart[b]!) throw riErrors.blockOneArm(blockLabels[b]!);
  }
  const blockWeight = new Float64Array(nBlocks);
  for (let b = 0; b < nBlocks; b++) blockWeight[b] = blockCount[b]! / n;

  return {
    kind,
    nRows: n,
    nBlocks,
    blockLabels,
    unitStart,
    unitSum,
    unitCount,
    unitTreated,
    treatedPerBlock,
    blockSum,
    blockCount,
    blockWeight,
    rowUnit,
    clustered,
    blocked,
  };
}
