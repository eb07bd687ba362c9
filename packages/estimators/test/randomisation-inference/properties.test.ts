import { describe, expect, it } from 'vitest';
import { createRng, isTrialkitError, type Rng } from '@trialkit/core';
import { buildDesign } from '../../src/randomisation-inference/design.js';
import { designSampler, drawUnitAssignment } from '../../src/randomisation-inference/randomisation-inference.js';
import { popcount, SubsetSampler } from '../../src/randomisation-inference/sampler.js';
import { RandomisationInferenceErrorCode, randomisationInference } from '../../src/randomisation-inference/index.js';
import { makeTrial, readRiFixture, trialOfCase } from './helpers.js';

// Seeded property tests: validity under the null, power under a large effect, redraws that respect the design,
// reproducibility, and the sampled p-value against the exact one (fixtures/randomisation-inference, R enumeration).

function normal(rng: Rng): number {
  // Box–Muller
  const u = 1 - rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
}

/** n units, half treated (complete randomisation by the core Rng), outcome N(0,1) + effect·z. */
function simulated(rng: Rng, n: number, effect: number): ReturnType<typeof makeTrial> {
  const perm = rng.permutation(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n / 2; i++) z[perm[i]!] = 1;
  const y = Float64Array.from(z, (zi) => normal(rng) + effect * zi);
  return makeTrial({ y, z });
}

describe('randomisation inference: seeded properties', () => {
  it('is valid under the sharp null: P(p ≤ 0.05) and P(p ≤ 0.2) within Monte Carlo error over 400 data sets', () => {
    const rng = createRng('ri-null-uniformity');
    const datasets = 400;
    let at05 = 0;
    let at20 = 0;
    let sum = 0;
    for (let s = 0; s < datasets; s++) {
      const trial = simulated(rng, 20, 0);
      // 99 redraws: (1 + b)/100 is exactly uniform on {0.01, …, 1} under the null for continuous outcomes.
      const { riPValue, exact } = randomisationInference(trial, { draws: 99, seed: s });
      expect(exact).toBe(false);
      if (riPValue <= 0.05) at05++;
      if (riPValue <= 0.2) at20++;
      sum += riPValue;
    }
    // Binomial(400, 0.05): sd 0.0109; 4 sd either side. Binomial(400, 0.2): sd 0.02.
    expect(Math.abs(at05 / datasets - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / datasets));
    expect(Math.abs(at20 / datasets - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / datasets));
    // E(p) = 0.505 for (1 + b)/100 uniform on {0.01, …, 1}; sd of the mean ≈ 0.29/20.
    expect(Math.abs(sum / datasets - 0.505)).toBeLessThan(4 * (0.29 / Math.sqrt(datasets)));
  });

  it('gives the smallest attainable p-value for a large effect', () => {
    const trial = simulated(createRng('ri-large-effect'), 40, 4);
    const result = randomisationInference(trial, { draws: 999, seed: 7 });
    expect(result.riPValue).toBe(1 / 1000);
    expect(result.nAsExtreme).toBe(0);
  });

  it('same seed, same p-value (golden); another seed draws differently', () => {
    const trial = simulated(createRng('ri-golden'), 60, 0.1);
    const a = randomisationInference(trial, { draws: 2000, seed: 2026 });
    const b = randomisationInference(trial, { draws: 2000, seed: 2026 });
    expect(b).toEqual(a);
    // Golden value (regression only: it pins the draw scheme — SubsetSampler on the core Rng — not a truth).
    expect(a.nAsExtreme).toBe(GOLDEN_AS_EXTREME);
    expect(a.riPValue).toBe((1 + GOLDEN_AS_EXTREME) / 2001);
    const c = randomisationInference(trial, { draws: 2000, seed: 'another seed' });
    expect(c.nAsExtreme).not.toBe(a.nAsExtreme);
    // The t statistic path draws the same assignments (same bits); its p-value is close to the difference's here.
    const t = randomisationInference(trial, { draws: 2000, seed: 2026, statistic: 't' });
    expect(Math.abs(t.riPValue - a.riPValue)).toBeLessThan(0.05);
  });

  it('a sampled p-value agrees with the exact one within Monte Carlo error', () => {
    const fixture = readRiFixture();
    for (const name of ['binary-12-6', 'blocked-4-5-6', 'block-clustered-5-6']) {
      const c = fixture.cases.find((x) => x.name === name)!;
      const draws = Math.floor(c.nPossible / 2); // fewer draws than assignments: sampled
      const result = randomisationInference(trialOfCase(c), { draws: 4000 > draws ? draws : 4000, seed: name });
      expect(result.exact).toBe(false);
      const se = Math.sqrt((c.pValue * (1 - c.pValue)) / result.riDraws);
      expect(Math.abs(result.riPValue - c.pValue), name).toBeLessThan(4 * se + 1 / result.riDraws);
      expect(result.monteCarloStdError).toBeGreaterThan(0);
    }
  });

  it('redraws every k-subset with equal probability (χ² over the 20 subsets of 3 of 6)', () => {
    const trial = makeTrial({ y: [1, 2, 3, 4, 5, 6], z: [1, 1, 1, 0, 0, 0] });
    const design = buildDesign(trial, 'complete');
    const sampler = designSampler(design, createRng('ri-subsets'));
    const treated = new Uint8Array(6);
    const counts = new Map<string, number>();
    const draws = 20_000;
    for (let d = 0; d < draws; d++) {
      drawUnitAssignment(sampler, treated);
      const key = treated.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    const expected = draws / 20;
    let chi2 = 0;
    for (const observed of counts.values()) chi2 += (observed - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(45.97); // qchisq(0.9995, 19) = 45.97 (R)
  });

  // Each start (empty, full, Bernoulli bits with p̃ = j/2^m) and block sizes across word boundaries: every
  // k-subset equally likely (χ², R's qchisq(0.9995, C − 1)), exactly k treated, bits above G clear.
  it.each([
    [6, 3, 45.97], // bits, p̃ = 1/2
    [7, 2, 47.5], // C = 21
    [9, 1, 27.87], // empty start (C = 9)
    [9, 8, 27.87], // full start
    [8, 3, 96.16], // C = 56, p̃ = 3/8
    [34, 1, 66.4], // crosses a word (C = 34)
    [33, 32, 65.0], // full start across a word (C = 33)
  ] as const)('redraws every %i-choose-%i subset with equal probability, exactly k each time', (size, k, critical) => {
    const sampler = new SubsetSampler(Int32Array.of(0, size), Int32Array.of(k), createRng(`ri-subsets-${size}-${k}`));
    const treated = new Uint8Array(size);
    const counts = new Map<string, number>();
    let combinations = 1;
    for (let i = 1; i <= k; i++) combinations = (combinations * (size - k + i)) / i;
    const draws = Math.round(combinations) * 400;
    for (let d = 0; d < draws; d++) {
      drawUnitAssignment(sampler, treated);
      let ones = 0;
      for (const w of sampler.words) ones += popcount(w);
      expect(ones).toBe(k);
      const key = treated.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(Math.round(combinations));
    const expected = draws / combinations;
    let chi2 = 0;
    for (const observed of counts.values()) chi2 += (observed - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(critical);
  });

  it('treats each unit with probability k/G in large blocks of every start (1,000 draws of 5 blocks)', () => {
    const sizes = [1000, 333, 2, 4097, 100];
    const ks = [500, 111, 1, 60, 97];
    const unitStart = new Int32Array(sizes.length + 1);
    sizes.forEach((g, b) => (unitStart[b + 1] = unitStart[b]! + g));
    const sampler = new SubsetSampler(unitStart, Int32Array.from(ks), createRng('ri-marginals'));
    const treated = new Uint8Array(unitStart[sizes.length]!);
    const hits = new Float64Array(treated.length);
    const draws = 1000;
    for (let d = 0; d < draws; d++) {
      drawUnitAssignment(sampler, treated);
      for (let b = 0; b < sizes.length; b++) {
        let inBlock = 0;
        for (let u = unitStart[b]!; u < unitStart[b + 1]!; u++) inBlock += treated[u]!;
        expect(inBlock).toBe(ks[b]);
      }
      for (let u = 0; u < treated.length; u++) hits[u]! += treated[u]!;
    }
    // Per block, the share treated at each unit averaged over the block's first and second halves (no drift by
    // position, which a biased start or correction would show): within 4.5 binomial SEs.
    for (let b = 0; b < sizes.length; b++) {
      const p = ks[b]! / sizes[b]!;
      const half = Math.floor(sizes[b]! / 2);
      for (const [from, to] of [[unitStart[b]!, unitStart[b]! + half], [unitStart[b]! + half, unitStart[b + 1]!]] as const) {
        let sum = 0;
        for (let u = from; u < to; u++) sum += hits[u]!;
        const trials = (to - from) * draws;
        expect(Math.abs(sum / trials - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / trials) + 1e-12);
      }
    }
  });

  it('popcount counts set bits', () => {
    expect([0, 1, 0xffffffff, 0x80000000, 0x12345678].map(popcount)).toEqual([0, 1, 32, 1, 13]);
  });

  it('blocked and block-clustered redraws never move units across blocks or split clusters', () => {
    const rng = createRng('ri-blocks');
    const nClusters = 30;
    const clusterBlock = Array.from({ length: nClusters }, (_, g) => g % 4);
    const cluster: number[] = [];
    for (let g = 0; g < nClusters; g++) for (let r = 0; r <= (g % 3) + 1; r++) cluster.push(g);
    const block = cluster.map((g) => `b${clusterBlock[g]}`);
    const zCluster = Array.from({ length: nClusters }, (_, g) => (g < 16 ? 1 : 0)); // ≥ 1 treated and control per block
    const z = cluster.map((g) => zCluster[g]!);
    const y = cluster.map(() => normal(rng));
    const trial = makeTrial({ y, z, block, cluster });
    for (const kind of ['blocked', 'block-clustered'] as const) {
      const design = buildDesign(trial, kind);
      const sampler = designSampler(design, createRng(kind));
      const unitTreated = new Uint8Array(design.unitSum.length);
      const rows = new Uint8Array(trial.n);
      for (let d = 0; d < 300; d++) {
        drawUnitAssignment(sampler, unitTreated);
        for (let i = 0; i < trial.n; i++) rows[i] = unitTreated[design.rowUnit[i]!]!;
        // treated rows (blocked) or clusters (block-clustered) per block stay as observed
        for (const label of new Set(block)) {
          const inBlock = (i: number): boolean => block[i] === label;
          if (kind === 'blocked') {
            let drawn = 0;
            let observed = 0;
            for (let i = 0; i < trial.n; i++) if (inBlock(i)) { drawn += rows[i]!; observed += z[i]!; }
            expect(drawn).toBe(observed);
          } else {
            const drawnClusters = new Set<number>();
            const observedClusters = new Set<number>();
            for (let i = 0; i < trial.n; i++) {
              if (!inBlock(i)) continue;
              if (rows[i] === 1) drawnClusters.add(cluster[i]!);
              if (z[i] === 1) observedClusters.add(cluster[i]!);
            }
            expect(drawnClusters.size).toBe(observedClusters.size);
          }
        }
        if (kind === 'block-clustered') {
          for (let i = 1; i < trial.n; i++) if (cluster[i] === cluster[i - 1]) expect(rows[i]).toBe(rows[i - 1]);
        }
      }
    }
  });

  it('a block-constant shift of the outcome leaves the blocked p-value unchanged (sampled and exact)', () => {
    const rng = createRng('ri-block-shift');
    const n = 40;
    const block = Array.from({ length: n }, (_, i) => `b${i % 4}`);
    const z = Array.from({ length: n }, (_, i) => (Math.floor(i / 4) % 2 === 0 ? 1 : 0)); // 5 of 10 treated per block
    // Integer outcomes and shifts: every sum is exact, so equality is exact.
    const y = Array.from({ length: n }, (_, i) => Math.round(10 * normal(rng)) + 3 * z[i]!);
    const shifts = [0, 1000, -250, 37];
    const shifted = y.map((v, i) => v + shifts[i % 4]!);
    const plain = randomisationInference(makeTrial({ y, z, block }), { draws: 3000, seed: 11 });
    const moved = randomisationInference(makeTrial({ y: shifted, z, block }), { draws: 3000, seed: 11 });
    expect(moved.riPValue).toBe(plain.riPValue);
    expect(Math.abs(moved.observed - plain.observed)).toBeLessThan(1e-12 * Math.abs(plain.observed)); // rounding of the means only
    // Ignoring the blocks, the same shift changes the test entirely.
    const across = randomisationInference(makeTrial({ y: shifted, z, block }), { draws: 3000, seed: 11, design: 'complete' });
    expect(across.riPValue).not.toBe(plain.riPValue);
    expect(across.diagnostics.map((d) => d.code)).toContain('RI_DESIGN_IGNORES_BLOCKS');
    // Exact: 4 blocks of 4 units, 2 treated each → 6^4 = 1296 assignments.
    const small = Array.from({ length: 16 }, (_, i) => i);
    const bs = small.map((i) => `b${i % 4}`);
    const zs = small.map((i) => (Math.floor(i / 4) % 2 === 0 ? 1 : 0));
    const ys = small.map((i) => Math.round(5 * normal(rng)) + 2 * zs[i]!);
    const a = randomisationInference(makeTrial({ y: ys, z: zs, block: bs }), { draws: 2000, seed: 1 });
    const b = randomisationInference(makeTrial({ y: ys.map((v, i) => v + shifts[i % 4]!), z: zs, block: bs }), { draws: 2000, seed: 1 });
    expect(a.exact).toBe(true);
    expect(a.nPossibleAssignments).toBe(1296);
    expect(b.riPValue).toBe(a.riPValue);
  });

  it('reports progress and ends at the total', () => {
    const trial = simulated(createRng('ri-progress'), 30, 0);
    const calls: [number, number][] = [];
    randomisationInference(trial, { draws: 2500, seed: 1, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1024, 2500], [2048, 2500], [2500, 2500]]);
  });
});

describe('randomisation inference: refusals and diagnostics', () => {
  const small = makeTrial({ y: [1, 2, 3, 4, 5, 6], z: [1, 0, 1, 0, 1, 0] });
  const codeOf = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      return isTrialkitError(error) ? error.code : 'not a TrialkitError';
    }
    return undefined;
  };
  it('refuses bad arguments with stable codes', () => {
    for (const draws of [0, -1, 1.5, Number.NaN, 1e9]) {
      expect(codeOf(() => randomisationInference(small, { draws, seed: 1 }))).toBe(RandomisationInferenceErrorCode.badDraws);
    }
    expect(codeOf(() => randomisationInference(small, { draws: 10, seed: 1, design: 'blocked' }))).toBe(RandomisationInferenceErrorCode.designNeedsBlocks);
    expect(codeOf(() => randomisationInference(small, { draws: 10, seed: 1, design: 'clustered' }))).toBe(RandomisationInferenceErrorCode.designNeedsCluster);
    expect(codeOf(() => randomisationInference(small, { draws: 10, seed: 1, design: 'pairs' as never }))).toBe(RandomisationInferenceErrorCode.badDesign);
    expect(codeOf(() => randomisationInference(small, { draws: 10, seed: 1, statistic: 'rank' as never }))).toBe(RandomisationInferenceErrorCode.badStatistic);
    expect(codeOf(() => randomisationInference(small, { draws: 10, seed: -3 }))).toBe('CORE_BAD_SEED');
  });
  it('refuses designs that cannot be redrawn', () => {
    const oneArm = makeTrial({ y: [1, 2, 3], z: [1, 1, 1] });
    expect(codeOf(() => randomisationInference(oneArm, { draws: 10, seed: 1 }))).toBe(RandomisationInferenceErrorCode.oneArm);
    const blockOneArm = makeTrial({ y: [1, 2, 3, 4], z: [1, 0, 1, 1], block: ['a', 'a', 'b', 'b'] });
    expect(codeOf(() => randomisationInference(blockOneArm, { draws: 10, seed: 1 }))).toBe(RandomisationInferenceErrorCode.blockOneArm);
    const varies = makeTrial({ y: [1, 2, 3, 4], z: [1, 0, 1, 0], cluster: ['a', 'a', 'b', 'b'] });
    expect(codeOf(() => randomisationInference(varies, { draws: 10, seed: 1 }))).toBe(RandomisationInferenceErrorCode.treatmentVariesInCluster);
    const notNested = makeTrial({ y: [1, 2, 3, 4, 5, 6], z: [1, 1, 0, 0, 1, 0], cluster: ['a', 'a', 'b', 'b', 'c', 'd'], block: ['x', 'y', 'x', 'x', 'y', 'y'] });
    expect(codeOf(() => randomisationInference(notNested, { draws: 10, seed: 1 }))).toBe(RandomisationInferenceErrorCode.clustersNotNested);
  });
  it('says when the statistic is unadjusted and when the test cannot reject at 5%', () => {
    const withCovariates = makeTrial({ y: [1, 2, 3, 4, 5], z: [1, 0, 1, 0, 0], covariates: 1 });
    const result = randomisationInference(withCovariates, { draws: 100, seed: 1 });
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).toContain('RI_STATISTIC_UNADJUSTED');
    expect(codes).toContain('RI_FEW_ASSIGNMENTS'); // C(5,2) = 10: smallest p 0.1
    expect(result.method).toContain('unadjusted');
    expect(result.exact).toBe(true);
    expect(result.nPossibleAssignments).toBe(10);
    // 20 assignments can reach p = 0.05: no warning.
    const twenty = randomisationInference(makeTrial({ y: [1, 2, 3, 4, 5, 6], z: [1, 0, 1, 0, 1, 0] }), { draws: 100, seed: 1 });
    expect(twenty.diagnostics.map((d) => d.code)).not.toContain('RI_FEW_ASSIGNMENTS');
  });
  it('with no variation within an arm the t statistic is undefined and says so', () => {
    const flat = makeTrial({ y: [2, 2, 2, 2, 2, 2], z: [1, 1, 1, 0, 0, 0] }); // t = 0/0
    const result = randomisationInference(flat, { draws: 100, seed: 1, statistic: 't' });
    expect(Number.isNaN(result.riPValue)).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).toContain('RI_STATISTIC_UNDEFINED');
    expect(randomisationInference(flat, { draws: 100, seed: 1 }).riPValue).toBe(1); // the difference in means is 0 for every assignment
  });
});

// nAsExtreme of 2,000 redraws with seed 2026 on the 'ri-golden' data (first run of this code, 2026-11-24).
const GOLDEN_AS_EXTREME = 195;
