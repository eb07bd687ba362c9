/**
 * Mean of a column over the rows that pass a filter, with a normal interval. SE: s/√n for independent participants,
 * or CR0 (Liang–Zeger) √(Σ_g (Σ_{i∈g} (xᵢ − x̄))²)/n with clusters.
 */
import type { ClusterCodes } from './arm-ratio.js';
import type { NormalInterval } from './interval.js';
import { normalInterval } from './interval.js';

export interface SubgroupMean extends NormalInterval {
  readonly n: number;
}

/** null when fewer than 2 rows pass (no SE); the caller reports why. */
export function subgroupMean(
  values: Float64Array,
  include: (i: number) => boolean,
  z: number,
  clusters?: ClusterCodes,
): SubgroupMean | null {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!include(i)) continue;
    n++;
    sum += values[i] as number;
  }
  if (n < 2) return null;
  const mean = sum / n;
  if (clusters !== undefined) {
    const clusterSums = new Float64Array(clusters.count);
    for (let i = 0; i < values.length; i++) {
      if (include(i)) clusterSums[clusters.codes[i] as number]! += (values[i] as number) - mean;
    }
    let squares = 0;
    for (let g = 0; g < clusters.count; g++) squares += (clusterSums[g] as number) ** 2;
    return { ...normalInterval(mean, Math.sqrt(squares) / n, z), n };
  }
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    if (!include(i)) continue;
    const deviation = (values[i] as number) - mean;
    squares += deviation * deviation;
  }
  return { ...normalInterval(mean, Math.sqrt(squares / (n - 1) / n), z), n };
}
