/**
 * Cluster and blocked-cluster randomisation — scheme version `cluster@1`.
 *
 * Every member of a cluster gets the cluster's arm. Clusters, in order of first appearance, are the units of
 * complete randomisation (complete.ts) with rng = deriveRng(seed, "cluster@1"); when strata are given, each
 * cluster's stratum (which must be the same for all its members) forms the blocks of blocked cluster
 * randomisation (Hayes & Moulton, "Cluster Randomised Trials", 2nd ed., 2017, ch. 5): exact numbers of clusters
 * per arm in every block, and overall, and every cluster's probability of arm a is exactly r_a/R.
 */
import type { Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { allocationErrors } from '../errors.js';
import type { PreparedUnits } from '../prepare.js';
import { completeAllocation } from './complete.js';

export const CLUSTER_VERSION = 'cluster@1';

export interface ClusterUnits {
  /** Distinct clusters in order of first appearance. */
  readonly labels: readonly string[];
  /** Cluster index per participant. */
  readonly clusterIndex: Int32Array;
  /** Stratum index (into units.strataOrder) per cluster. */
  readonly stratumOfCluster: Int32Array;
  /** Members per cluster. */
  readonly sizes: Int32Array;
}

export function clusterUnits(units: PreparedUnits): ClusterUnits {
  const clusters = units.clusters;
  if (clusters === undefined) throw allocationErrors.missingCluster(1, undefined);
  const indexOf = new Map<string, number>();
  const labels: string[] = [];
  const clusterIndex = new Int32Array(units.n);
  const stratum: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < units.n; i++) {
    const label = clusters[i] as string;
    let c = indexOf.get(label);
    if (c === undefined) {
      c = labels.length;
      indexOf.set(label, c);
      labels.push(label);
      stratum.push(units.stratumIndex[i] as number);
      sizes.push(0);
    } else if (stratum[c] !== units.stratumIndex[i]) {
      throw allocationErrors.stratumVariesInCluster(label, i + 1);
    }
    sizes[c] = (sizes[c] as number) + 1;
    clusterIndex[i] = c;
  }
  return { labels, clusterIndex, stratumOfCluster: Int32Array.from(stratum), sizes: Int32Array.from(sizes) };
}

/** Arm index per participant, and per cluster. */
export function clusterAllocation(
  units: PreparedUnits,
  arms: readonly ArmRatio[],
  seed: Seed,
): { perUnit: Uint8Array; perCluster: Uint8Array; clusters: ClusterUnits } {
  const clusters = clusterUnits(units);
  const perCluster = completeAllocation(clusters.stratumOfCluster, units.strataOrder.length, arms, seed, CLUSTER_VERSION);
  const perUnit = new Uint8Array(units.n);
  for (let i = 0; i < units.n; i++) perUnit[i] = perCluster[clusters.clusterIndex[i] as number] as number;
  return { perUnit, perCluster, clusters };
}
