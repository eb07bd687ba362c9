/**
 * Constrained randomisation for cluster trials — scheme version `constrained@1`.
 *
 * Moulton (2004), "Covariate-based constrained randomization of group-randomized trials", Clinical Trials 1:297–305;
 * balance score of Raab & Butcher (2001), Stat Med 20:351–365, in the multi-arm "l2" form evaluated by Li et al.
 * (2016), Stat Med 35:1565–1579:
 *   1. cluster-level covariates x_ck = mean of the members' covariate k (standardised by its SD across clusters);
 *   2. candidates: every allocation of clusters with exact per-arm counts when there are at most `candidates` of
 *      them and the counts are whole (enumerated in lexicographic order), otherwise `candidates` complete
 *      randomisations of the clusters (complete.ts), duplicates removed; all draws from
 *      rng = deriveRng(seed, "constrained@1");
 *   3. score B = Σ_k Σ_a (x̄_{k,a} − x̄_k)² / s_k²  (between-arm spread of standardised cluster means);
 *   4. the constrained set = the ⌈q·candidates⌉ lowest scores (ties by candidate order); the allocation is one of
 *      them drawn uniformly with rng.
 * Validity (Moulton 2004 §3): over the constrained set, the share of allocations in which each pair of clusters is
 * in the same arm. A pair always together or never together, or a cluster always in the same arm, makes the design
 * invalid for randomisation inference; the report lists how many and their share, and a warning is added.
 */
import type { Diagnostic } from '@trialkit/core';
import { diagnostic } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { ratioSum } from '../arms.js';
import { deriveRng } from '../derive.js';
import { allocationErrors } from '../errors.js';
import type { PreparedUnits } from '../prepare.js';
import type { AllocationRequest } from '../types.js';
import { clusterUnits } from './cluster.js';
import { completeAllocation } from './complete.js';
import { covariateMatrix } from './rerandomisation.js';

export const CONSTRAINED_VERSION = 'constrained@1';

/** Number of ways to place C clusters with these exact counts (multinomial), capped at `cap` + 1. */
function countAllocations(counts: readonly number[], cap: number): number {
  let remaining = counts.reduce((a, b) => a + b, 0);
  let total = 1;
  for (const c of counts) {
    // C(remaining, c)
    let binom = 1;
    for (let i = 1; i <= c; i++) {
      binom = (binom * (remaining - c + i)) / i;
      if (binom > cap) return cap + 1;
    }
    total *= Math.round(binom);
    if (total > cap) return cap + 1;
    remaining -= c;
  }
  return total;
}

/** Every allocation of C clusters with exact counts per arm, lexicographic in (cluster 0's arm, cluster 1's arm, …). */
function enumerateAllocations(C: number, counts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const current = new Uint8Array(C);
  const left = [...counts];
  const recurse = (c: number): void => {
    if (c === C) {
      out.push(current.slice());
      return;
    }
    for (let a = 0; a < left.length; a++) {
      if ((left[a] as number) === 0) continue;
      left[a] = (left[a] as number) - 1;
      current[c] = a;
      recurse(c + 1);
      left[a] = (left[a] as number) + 1;
    }
  };
  recurse(0);
  return out;
}

export function constrainedAllocation(
  request: AllocationRequest,
  units: PreparedUnits,
  arms: readonly ArmRatio[],
): { armIndex: Uint8Array; parameters: Record<string, unknown>; report: Record<string, unknown>; diagnostics: Diagnostic[] } {
  if (units.clusters === undefined) {
    throw allocationErrors.badOption('--cluster', undefined, 'Constrained randomisation allocates clusters and needs a cluster column', 'Give --cluster <column> (one row per cluster is fine: --cluster id).');
  }
  if (request.strata !== undefined) {
    throw allocationErrors.badOption('--strata', request.strataColumns?.join(','), 'Constrained randomisation balances covariates instead of stratifying', 'Give the stratification variables as --covariates (e.g. as 0/1 columns) and drop --strata.');
  }
  const candidatesWanted = request.candidates ?? 10_000;
  const bestShare = request.bestShare ?? 0.1;
  if (!Number.isInteger(candidatesWanted) || candidatesWanted < 1 || candidatesWanted > 1_000_000) {
    throw allocationErrors.badOption('--candidates', candidatesWanted, 'The number of candidate allocations must be a whole number from 1 to 1,000,000', 'Use e.g. --candidates 10000.');
  }
  if (!(bestShare > 0 && bestShare <= 1)) {
    throw allocationErrors.badOption('--best-share', bestShare, 'The share of best-balanced allocations must be above 0 and at most 1', 'Use e.g. --best-share 0.1.');
  }
  const clusters = clusterUnits(units);
  const C = clusters.labels.length;
  const A = arms.length;
  if (C < A * 2) throw allocationErrors.tooFewUnits(`Constrained randomisation of ${C} clusters into ${A} arms leaves too few allocations to choose from`);
  // Cluster-level covariates: member means, standardised across clusters.
  const X = covariateMatrix(request, units.n);
  const K = X.K;
  const clusterMeans = new Float64Array(C * K);
  for (let i = 0; i < units.n; i++) {
    const c = clusters.clusterIndex[i] as number;
    const size = clusters.sizes[c] as number;
    for (let k = 0; k < K; k++) clusterMeans[c * K + k] = (clusterMeans[c * K + k] as number) + (X.values[i * K + k] as number) / size;
  }
  for (let k = 0; k < K; k++) {
    let mean = 0;
    for (let c = 0; c < C; c++) mean += (clusterMeans[c * K + k] as number) / C;
    let ss = 0;
    for (let c = 0; c < C; c++) ss += ((clusterMeans[c * K + k] as number) - mean) ** 2;
    const sd = Math.sqrt(ss / (C - 1));
    if (!(sd > 0)) {
      throw allocationErrors.badOption('--covariates', X.names[k], `The covariate "${X.names[k]}" has the same cluster mean in every cluster`, 'Drop it: it cannot be balanced or unbalanced.');
    }
    for (let c = 0; c < C; c++) clusterMeans[c * K + k] = ((clusterMeans[c * K + k] as number) - mean) / sd;
  }
  const rng = deriveRng(request.seed, CONSTRAINED_VERSION);
  const R = ratioSum(arms);
  const exact = arms.every((arm) => (C * arm.ratio) % R === 0);
  const counts = arms.map((arm) => (C * arm.ratio) / R);
  const total = exact ? countAllocations(counts, candidatesWanted) : Infinity;
  let candidates: Uint8Array[];
  const enumerated = total <= candidatesWanted;
  if (enumerated) candidates = enumerateAllocations(C, counts);
  else {
    const seen = new Set<string>();
    candidates = [];
    const zeros = new Int32Array(C);
    for (let draw = 0; draw < candidatesWanted; draw++) {
      const allocation = completeAllocation(zeros, 1, arms, rng);
      const key = Buffer.from(allocation).toString('base64');
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(allocation);
    }
  }
  // Score each candidate.
  const scores = new Float64Array(candidates.length);
  const sums = new Float64Array(A * K);
  const sizes = new Float64Array(A);
  candidates.forEach((allocation, index) => {
    sums.fill(0);
    sizes.fill(0);
    for (let c = 0; c < C; c++) {
      const a = allocation[c] as number;
      sizes[a] = (sizes[a] as number) + 1;
      for (let k = 0; k < K; k++) sums[a * K + k] = (sums[a * K + k] as number) + (clusterMeans[c * K + k] as number);
    }
    let score = 0;
    for (let a = 0; a < A; a++) {
      const n = sizes[a] as number;
      if (n === 0) continue;
      for (let k = 0; k < K; k++) score += ((sums[a * K + k] as number) / n) ** 2; // overall mean is 0 after standardising
    }
    scores[index] = score;
  });
  const order = Array.from(candidates.keys()).sort((i, j) => (scores[i] as number) - (scores[j] as number) || i - j);
  const setSize = Math.max(1, Math.ceil(bestShare * candidates.length));
  const constrainedSet = order.slice(0, setSize);
  const chosen = constrainedSet[rng.nextInt(setSize)] as number;
  const perCluster = candidates[chosen] as Uint8Array;
  // Validity: pairs of clusters together in what share of the constrained set; clusters' arm probabilities.
  const together = new Float64Array((C * (C - 1)) / 2);
  const armShare = new Float64Array(C * A);
  for (const index of constrainedSet) {
    const allocation = candidates[index] as Uint8Array;
    let p = 0;
    for (let i = 0; i < C; i++) {
      armShare[i * A + (allocation[i] as number)] = (armShare[i * A + (allocation[i] as number)] as number) + 1;
      for (let j = i + 1; j < C; j++, p++) if (allocation[i] === allocation[j]) together[p] = (together[p] as number) + 1;
    }
  }
  let always = 0;
  let never = 0;
  let minTogether = 1;
  let maxTogether = 0;
  const examples: string[] = [];
  let p = 0;
  for (let i = 0; i < C; i++) {
    for (let j = i + 1; j < C; j++, p++) {
      const share = (together[p] as number) / setSize;
      minTogether = Math.min(minTogether, share);
      maxTogether = Math.max(maxTogether, share);
      if (share === 1 || share === 0) {
        if (share === 1) always++;
        else never++;
        if (examples.length < 10) examples.push(`${clusters.labels[i]}–${clusters.labels[j]} ${share === 1 ? 'always' : 'never'} together`);
      }
    }
  }
  let fixedClusters = 0;
  for (let i = 0; i < C; i++) for (let a = 0; a < A; a++) if ((armShare[i * A + a] as number) === setSize) fixedClusters++;
  const pairs = (C * (C - 1)) / 2;
  const diagnostics: Diagnostic[] = [];
  if (always + never > 0 || fixedClusters > 0) {
    diagnostics.push(
      diagnostic(
        'ALLOC_CONSTRAINED_INVALID',
        'warning',
        `In the constrained set of ${setSize} allocations, ${always} cluster pairs are always and ${never} never in the same arm (${(((always + never) / pairs) * 100).toFixed(1)}% of ${pairs} pairs), and ${fixedClusters} clusters are always in the same arm: randomisation inference is not valid for them. Use a larger --best-share or more candidates. Examples: ${examples.join('; ')}.`,
      ),
    );
  }
  const armIndex = new Uint8Array(units.n);
  for (let i = 0; i < units.n; i++) armIndex[i] = perCluster[clusters.clusterIndex[i] as number] as number;
  return {
    armIndex,
    parameters: { covariates: X.names, candidates: candidatesWanted, bestShare, ...(request.clusterColumn ? { cluster: request.clusterColumn } : {}) },
    report: {
      clusters: C,
      enumerated,
      candidatesScored: candidates.length,
      constrainedSetSize: setSize,
      scoreCutoff: scores[constrainedSet[setSize - 1] as number],
      chosenScore: scores[chosen],
      medianScoreAllCandidates: scores[order[Math.floor(order.length / 2)] as number],
      validity: { pairs, alwaysTogether: always, neverTogether: never, shareAlwaysOrNever: (always + never) / pairs, minPairTogether: minTogether, maxPairTogether: maxTogether, clustersAlwaysInOneArm: fixedClusters },
    },
    diagnostics,
  };
}
