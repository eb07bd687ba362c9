import { describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import { STREAM_BLOCK, clusterIndex, robustVariance, streamingVariance, type VarianceType } from '../src/kernels/variance.js';

// Property: the one-pass variance (per-cluster sums in row order) equals the cluster-sorted implementation that
// CR2 falls back to when there are very many clusters — for every variance type, on seeded random input.
describe('streaming variance = cluster-sorted variance', () => {
  const rng = createRng(20261124);
  const n = 700;
  const k = 4;
  const q = Float64Array.from({ length: n * k }, () => (rng.nextDouble() - 0.5) * 0.1);
  const residuals = Float64Array.from({ length: n }, () => rng.nextDouble() - 0.5);
  const rInverse = Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 + rng.nextDouble() : i % k > Math.floor(i / k) ? rng.nextDouble() : 0));
  const codes = Int32Array.from({ length: n }, () => rng.nextInt(37));
  const source = {
    n,
    rank: k,
    fill(start: number, len: number, qOut: Float64Array, eOut: Float64Array) {
      for (let i = 0; i < len; i++) for (let a = 0; a < k; a++) qOut[a * STREAM_BLOCK + i] = q[(start + i) * k + a]!;
      eOut.set(residuals.subarray(start, start + len));
    },
  };
  for (const type of ['classical', 'HC0', 'HC1', 'HC2', 'HC3', 'CR0', 'CR2', 'stata'] as VarianceType[]) {
    it(type, () => {
      const clustered = type === 'CR0' || type === 'CR2' || type === 'stata';
      const streamed = streamingVariance(source, rInverse, type, clustered ? { codes, count: 37 } : undefined);
      const sorted = robustVariance(q, rInverse, residuals, n, k, type, clustered ? clusterIndex(codes, 37) : undefined);
      expect(streamed.nClusters).toBe(sorted.nClusters);
      if (type === 'CR2') {
        // The materialising fallback for very many clusters gives the same answer.
        const fallback = streamingVariance(source, rInverse, type, { codes, count: 37 }, 0);
        for (let i = 0; i < k * k; i++) expect(fallback.vcov[i]).toBe(sorted.vcov[i]);
      }
      for (let i = 0; i < k * k; i++) expect(Math.abs(streamed.vcov[i]! - sorted.vcov[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(sorted.vcov[i]!) + 1e-15);
      for (let j = 0; j < k; j++) expect(Math.abs(streamed.df[j]! - sorted.df[j]!)).toBeLessThanOrEqual(1e-10 * sorted.df[j]!);
    });
  }
});
