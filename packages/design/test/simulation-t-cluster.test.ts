/**
 * The exact (noncentral t) method and the Eldridge design effect checked by simulation, with data drawn from
 * core's seeded PRNG and analysed by @trialkit/estimators' estimate():
 *  1. small individually randomised trial (8 per arm, δ = 1.2 SD), classical t test (lm_robust, se "classical",
 *     df = n − 2): the noncentral t power is right and the normal approximation overstates it;
 *  2. cluster-randomised trial with unequal cluster sizes (16 clusters per arm, sizes 12 and 28: mean 20, CV 0.4),
 *     ICC 0.05, analysed by the clustered difference in means (CR2, clusters − 2 df): the power from the design
 *     effect 1 + ((cv² + 1)m − 1)·ICC and a t on clusters − 2 df.
 * Replicates: 2,000 and 1,500. Tolerance: 3 Monte-Carlo SEs + 0.01. Measured values are in the package README.
 */
import { createRng, type Dataset } from '@trialkit/core';
import { standardNormal } from '@trialkit/datasets';
import { estimate } from '@trialkit/estimators';
import { describe, expect, it } from 'vitest';
import { planTrial } from '../src/index.js';

function dataset(y: Float64Array, z: Float64Array, cluster?: readonly string[]): Dataset {
  return {
    nRows: y.length,
    columns: [
      { kind: 'number', name: 'y', values: y },
      { kind: 'number', name: 'z', values: z },
      ...(cluster === undefined ? [] : [{ kind: 'text' as const, name: 'cluster', values: [...cluster] }]),
    ],
  };
}

describe('exact method by simulation: a small trial analysed by the classical t test', () => {
  it('8 per arm, effect 1.2 SD: simulated power matches the noncentral t, not the normal approximation', () => {
    const spec = { outcome: 'continuous', sd: 1, effect: 1.2, n: 16 } as const;
    const exact = planTrial(spec).power;
    const normal = planTrial({ ...spec, method: 'normal' }).power;
    const replicates = 2000;
    const rng = createRng('design-power/small-t');
    const z = Float64Array.from({ length: 16 }, (_, i) => (i < 8 ? 0 : 1));
    let rejections = 0;
    for (let r = 0; r < replicates; r++) {
      const y = Float64Array.from(z, (zi) => standardNormal(rng) + 1.2 * zi);
      const result = estimate(dataset(y, z), { roles: { outcome: 'y', assignment: 'z' }, se: 'classical' });
      expect(result.estimates[0]?.df).toBe(14);
      if ((result.estimates[0]?.pValue ?? 1) < 0.05) rejections += 1;
    }
    const simulated = rejections / replicates;
    const mcSe = Math.sqrt((exact * (1 - exact)) / replicates);
    expect(Math.abs(simulated - exact), `exact ${exact}, normal ${normal}, simulated ${simulated}`).toBeLessThan(3 * mcSe + 0.01);
    expect(normal - simulated).toBeGreaterThan(3 * mcSe);
  });
});

describe('cluster design effect with unequal sizes by simulation (Eldridge et al. 2006)', () => {
  it('16 clusters per arm of 12 or 28 (CV 0.4), ICC 0.05, effect 0.3 SD', () => {
    const sizes = Array.from({ length: 32 }, (_, k) => (k % 2 === 0 ? 12 : 28)); // mean 20, SD 8
    const arm = sizes.map((_, k) => (k < 16 ? 0 : 1)); // each arm: 8 clusters of 12 and 8 of 28
    const n = sizes.reduce((s, m) => s + m, 0);
    const design = planTrial({ outcome: 'continuous', sd: 1, effect: 0.3, n, icc: 0.05, clusterSize: 20, clusterCv: 0.4 });
    expect(design.clustering?.designEffect).toBeCloseTo(2.11, 12);
    expect(design.df).toBe(30);
    const predicted = design.power;
    const replicates = 1500;
    const rng = createRng('design-power/clusters');
    const z = new Float64Array(n);
    const cluster: string[] = [];
    sizes.forEach((m, k) => {
      for (let i = 0; i < m; i++) {
        z[cluster.length] = arm[k] as number;
        cluster.push(`c${k}`);
      }
    });
    let rejections = 0;
    const between = Math.sqrt(0.05);
    const within = Math.sqrt(0.95);
    for (let r = 0; r < replicates; r++) {
      const y = new Float64Array(n);
      let row = 0;
      for (let k = 0; k < sizes.length; k++) {
        const u = between * standardNormal(rng);
        for (let i = 0; i < (sizes[k] as number); i++, row++) y[row] = u + within * standardNormal(rng) + 0.3 * (arm[k] as number);
      }
      const result = estimate(dataset(y, z, cluster), { roles: { outcome: 'y', assignment: 'z', cluster: 'cluster' } });
      if ((result.estimates[0]?.pValue ?? 1) < 0.05) rejections += 1;
    }
    const simulated = rejections / replicates;
    const mcSe = Math.sqrt((predicted * (1 - predicted)) / replicates);
    expect(Math.abs(simulated - predicted), `predicted ${predicted}, simulated ${simulated}`).toBeLessThan(3 * mcSe + 0.01);
  });
});
