/**
 * trialkit's own seeded resampling: golden values, the draw order (= core Rng's nextInt, one per unit position),
 * the bulk index stream against core's generator, strata and clusters kept, uniformity, and every refusal.
 */
import { createRng } from '@trialkit/core';
import { describe, expect, it } from 'vitest';
import { bootstrap, bootstrapCi, bootstrapItt, bootstrapRatio, minimumReps } from '../../src/bootstrap/index.js';
import { IndexStream } from '../../src/bootstrap/index-stream.js';
import { makeTrial } from './helpers.js';

const y10 = [3.1, 4.7, 2.2, 9.8, 5.5, 6.1, 1.3, 7.7, 8.4, 0.9];
const meanOf = (y: readonly number[]) => (rows: Int32Array): number => {
  let s = 0;
  for (const i of rows) s += y[i]!;
  return s / rows.length;
};

function recordRows(y: readonly number[], seen: number[][]) {
  return (rows: Int32Array): number => {
    seen.push(Array.from(rows));
    return meanOf(y)(rows);
  };
}

describe('IndexStream is core Rng, drawn in bulk', () => {
  it('gives core\'s nextUint32 stream', () => {
    const core = createRng('stream check');
    const stream = new IndexStream(createRng('stream check'));
    for (let i = 0; i < 20_000; i++) expect(stream.nextUint32()).toBe(core.nextUint32());
  });

  it('gives core\'s nextInt(n) draw for draw, rejection steps included', () => {
    for (const n of [1, 2, 3, 10, 1000, 99_991, 2_097_151, 2_097_152, 3_000_000_017, 2 ** 31 + 1, 4_294_967_295]) {
      const core = createRng(n);
      const stream = new IndexStream(createRng(n));
      for (let i = 0; i < 5_000; i++) expect(stream.nextInt(n)).toBe(core.nextInt(n));
    }
  });
});

describe('seeded resampling', () => {
  it('golden values: seed 2026, 10 rows, 3 replicates', () => {
    const seen: number[][] = [];
    const result = bootstrap({ n: 10, reps: 3, seed: 2026, statistic: recordRows(y10, seen) });
    expect(seen).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], // t0 on the original rows
      [5, 2, 8, 8, 8, 7, 8, 8, 8, 2],
      [9, 3, 8, 7, 4, 7, 2, 1, 7, 3],
      [0, 2, 6, 2, 8, 1, 9, 4, 8, 2],
    ]);
    expect(Array.from(result.t[0]!)).toEqual([6.860000000000001, 6.44, 3.8900000000000006]);
    expect(result.seed).toBe('2026');
  });

  it('draws are core Rng nextInt(n_s), one per unit position, replicate by replicate', () => {
    const seen: number[][] = [];
    bootstrap({ n: 10, reps: 4, seed: 'order', statistic: recordRows(y10, seen) });
    const rng = createRng('order');
    for (let r = 1; r <= 4; r++) expect(seen[r]).toEqual(Array.from({ length: 10 }, () => rng.nextInt(10)));
  });

  it('golden ITT: seed "trialkit-bootstrap", 999 replicates', () => {
    const z = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    const est = bootstrapItt(makeTrial({ y: y10, z }), { reps: 999, seed: 'trialkit-bootstrap' });
    expect(est.stdError).toBe(1.805153825200847);
    expect(est.confLow).toBe(-2.3960020724757407);
    expect(est.confHigh).toBe(4.81273660314852);
    expect(est['bootPercentile']).toEqual([-1.939999999999998, 5.02]);
    expect(est['bias']).toBe(0.035055055055054796);
    expect(est['bootSeed']).toBe('trialkit-bootstrap');
    expect(est.diagnostics.map((d) => d.code)).toContain('BOOT_FEW_REPLICATES');
  });

  it('is deterministic for a seed and changes with it; numeric and text seeds as core', () => {
    const run = (seed: number | string) => bootstrap({ n: 10, reps: 50, seed, statistic: meanOf(y10) }).t[0]!;
    expect(run(7)).toEqual(run(7));
    expect(run('7')).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
    expect(() => run(-1)).toThrow(expect.objectContaining({ code: 'CORE_BAD_SEED' }));
  });

  it('stratified resampling keeps every stratum\'s size and draws only from the stratum', () => {
    const strata = Int32Array.from([0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    const seen: number[][] = [];
    bootstrap({ n: 10, reps: 200, seed: 1, strata, statistic: recordRows(y10, seen) });
    for (const rows of seen.slice(1)) {
      expect(rows).toHaveLength(10);
      rows.forEach((row, position) => expect(strata[row]).toBe(strata[position]));
    }
  });

  it('sparse codes (ids) work and are ordered by value', () => {
    const strata = [2_000_000_000, 7, 7, 2_000_000_000, 7];
    const seen: number[][] = [];
    const result = bootstrap({ n: 5, reps: 50, seed: 2, strata, statistic: recordRows([1, 2, 3, 4, 5], seen) });
    expect(result.nStrata).toBe(2);
    for (const rows of seen.slice(1)) rows.forEach((row, position) => expect(strata[row]).toBe(strata[position]));
  });

  it('cluster resampling keeps clusters whole and the number of clusters per stratum', () => {
    // 7 clusters of unequal size, in 2 strata (clusters 0–2 in stratum 0, 3–6 in stratum 1); rows not sorted.
    const cluster = Int32Array.from([0, 3, 1, 1, 4, 2, 5, 6, 6, 3, 0, 2, 2, 5, 4, 4, 1]);
    const stratumOfCluster = [0, 0, 0, 1, 1, 1, 1];
    const strata = Int32Array.from(cluster, (g) => stratumOfCluster[g]!);
    const rowsOf = (g: number) => Array.from(cluster.keys()).filter((i) => cluster[i] === g);
    const y = Array.from(cluster, (_, i) => i * 1.5);
    const seen: number[][] = [];
    const result = bootstrap({ n: cluster.length, reps: 300, seed: 'clusters', cluster, strata, statistic: recordRows(y, seen) });
    expect(result.nUnits).toBe(7);
    expect(result.clustered).toBe(true);
    for (const rows of seen.slice(1)) {
      // split the rows into runs of one cluster each: each run is exactly that cluster's rows, in row order
      let at = 0;
      const drawn: number[] = [];
      while (at < rows.length) {
        const g = cluster[rows[at]!]!;
        const whole = rowsOf(g);
        expect(rows.slice(at, at + whole.length)).toEqual(whole);
        drawn.push(g);
        at += whole.length;
      }
      expect(drawn).toHaveLength(7);
      expect(drawn.filter((g) => stratumOfCluster[g] === 0)).toHaveLength(3);
    }
  });

  it('each unit is drawn with probability 1/n_s (frequencies within 4 Monte Carlo SD)', () => {
    const strata = Int32Array.from([0, 0, 1, 1, 1, 1, 1]);
    const counts = new Float64Array(7);
    const reps = 4000;
    bootstrap({ n: 7, reps, seed: 99, strata, statistic: (rows) => { for (const i of rows) counts[i]!++; return 0; } });
    // counts include t0's rows once each
    for (let i = 0; i < 7; i++) {
      const ns = strata[i] === 0 ? 2 : 5;
      const draws = reps * ns; // positions in the stratum over all replicates
      const p = 1 / ns;
      expect(Math.abs(counts[i]! - 1 - draws * p)).toBeLessThan(4 * Math.sqrt(draws * p * (1 - p)));
    }
  });

  it('reports progress', () => {
    const calls: [number, number][] = [];
    bootstrap({ n: 10, reps: 130, seed: 3, statistic: meanOf(y10), onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[64, 130], [128, 130], [130, 130]]);
  });

  it('a vector statistic gives one replicate series per component', () => {
    const result = bootstrap({ n: 10, reps: 20, seed: 5, statistic: (rows) => [meanOf(y10)(rows), rows.length] });
    expect(result.t).toHaveLength(2);
    expect(Array.from(result.t[1]!)).toEqual(new Array(20).fill(10));
  });
});

describe('bootstrap ITT properties (seeded)', () => {
  function simulated(n: number, seed: number) {
    const rng = createRng(seed);
    const z: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      z.push(i % 2);
      // Box–Muller from core doubles
      const u = 1 - rng.nextDouble();
      const v = rng.nextDouble();
      y.push(10 + 2 * (i % 2) + 3 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    }
    return makeTrial({ y, z });
  }

  it('the bootstrap SE is close to the Welch SE for a large sample', () => {
    const trial = simulated(2000, 11);
    const est = bootstrapItt(trial, { reps: 1000, seed: 12, interval: 'percentile' });
    // Welch SE √(s1²/n1 + s0²/n0) ≈ 3·√(2/1000) = 0.134; the bootstrap SE has about 2.2% Monte Carlo error at R = 1000
    const se = 3 * Math.sqrt(2 / 1000);
    expect(Math.abs(est.stdError / se - 1)).toBeLessThan(0.1);
    expect(est.confLow).toBeLessThan(est.estimate);
    expect(est.confHigh).toBeGreaterThan(est.estimate);
  });

  it('90% percentile and BCa intervals cover the true ITT about 90% of the time (300 seeded trials)', () => {
    // y = 10 + 1.5 z + e, e skewed (exponential − 1, sd 2); n = 100 + 100; 499 replicates each. Coverage of a
    // bootstrap interval at this n is near nominal (seeded result: BCa 0.907, percentile 0.923; at 30 + 30 both were
    // 0.85, the known small-sample undercoverage); 4 MC SD of 300 trials is ±0.07.
    const rng = createRng('coverage');
    let coveredBca = 0;
    let coveredPercentile = 0;
    const trials = 300;
    for (let k = 0; k < trials; k++) {
      const z = Array.from({ length: 200 }, (_, i) => i % 2);
      const y = z.map((a) => 10 + 1.5 * a + 2 * (-Math.log(1 - rng.nextDouble()) - 1));
      const est = bootstrapItt(makeTrial({ y, z }), { reps: 499, seed: k, level: 0.9 });
      const [bl, bh] = est['bootBca'] as [number, number];
      const [pl, ph] = est['bootPercentile'] as [number, number];
      if (bl <= 1.5 && 1.5 <= bh) coveredBca++;
      if (pl <= 1.5 && 1.5 <= ph) coveredPercentile++;
    }
    for (const covered of [coveredBca, coveredPercentile]) {
      expect(covered / trials).toBeGreaterThan(0.83);
      expect(covered / trials).toBeLessThan(0.97);
    }
  });

  it('the closed-form jackknife equals the generic one (blocked and clustered)', () => {
    const y = Array.from({ length: 24 }, (_, i) => ((i * 7919) % 23) + (i % 3));
    const z = Array.from({ length: 24 }, (_, i) => (Math.floor(i / 2) % 2));
    const block = Array.from({ length: 24 }, (_, i) => (i < 12 ? 'a' : 'b'));
    const cluster = Array.from({ length: 24 }, (_, i) => `c${Math.floor(i / 2)}`);
    for (const trial of [makeTrial({ y, z, block }), makeTrial({ y, z, cluster }), makeTrial({ y, z, block, cluster })]) {
      const fast = bootstrapItt(trial, { reps: 399, seed: 4 });
      // the same ITT statistic through the generic engine (jackknife by re-evaluation)
      const cell = Int32Array.from(trial.assignment.values, (a, i) => 2 * (trial.blocks?.codes[i] ?? 0) + a);
      const itt = (rows: Int32Array): number => {
        const n = new Float64Array(4), s = new Float64Array(4);
        for (const i of rows) { n[cell[i]!]!++; s[cell[i]!]! += y[i]!; }
        let total = 0;
        for (let b = 0; b < 2; b++) {
          const nb = n[2 * b]! + n[2 * b + 1]!;
          if (nb > 0) total += (nb / rows.length) * (s[2 * b + 1]! / n[2 * b + 1]! - s[2 * b]! / n[2 * b]!);
        }
        return total;
      };
      const generic = bootstrap({ n: 24, reps: 399, seed: 4, statistic: itt, strata: cell, ...(trial.cluster === undefined ? {} : { cluster: trial.cluster }) });
      const ci = bootstrapCi(generic);
      expect(Math.abs((fast['bootAcceleration'] as number) - ci.acceleration!)).toBeLessThan(1e-12);
      expect(fast['bootBca']).toEqual(ci.bca?.map((v) => expect.closeTo(v, 10)));
    }
  });

  it('a ratio whose denominator replicates sometimes cross zero gets a warning, and keeps its interval', () => {
    // job ITT 0.2 on 30 + 30: about 5% of replicates ≤ 0 at most; level 0.8 so (1 − level)/2 = 10% is not reached
    const z = Array.from({ length: 60 }, (_, i) => i % 2);
    const job = z.map((a, i) => (Math.floor(i / 2) < (a === 1 ? 15 : 9) ? 1 : 0)); // 15/30 vs 9/30: ITT 0.2
    const cost = z.map((a, i) => (a === 1 ? 2000 : 300) + ((i * 53) % 17) * 40);
    const trial = makeTrial({ y: cost, z, outcomeName: 'cost', covariates: [{ name: 'job', values: Float64Array.from(job) }] });
    const est = bootstrapRatio(trial, { denominator: 'job', reps: 999, seed: 21, level: 0.8 });
    const crossing = est['denominatorReplicatesCrossingZero'] as number;
    expect(crossing).toBeGreaterThan(0);
    expect(crossing / 999).toBeLessThan(0.1);
    expect(est.diagnostics.map((d) => d.code)).toContain('BOOT_RATIO_DENOMINATOR_CROSSES_ZERO');
    expect(Number.isFinite(est.confLow) && Number.isFinite(est.confHigh)).toBe(true);
  });
});

describe('ratio and ITT edge cases', () => {
  it('a ratio whose leave-one-out denominator is zero loses BCa with a diagnostic, not an error', () => {
    // control 2/10 jobs, treated 3/11: ITT(job) = 0.073; leaving out a treated job-holder gives 2/10 − 2/10 = 0
    const z = [...new Array(10).fill(0), ...new Array(11).fill(1)];
    const job = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const cost = z.map((a, i) => (a === 1 ? 2100 : 400) + i * 10);
    const trial = makeTrial({ y: cost, z, outcomeName: 'cost', covariates: [{ name: 'job', values: Float64Array.from(job) }] });
    const est = bootstrapRatio(trial, { denominator: 'job', reps: 999, seed: 8 });
    const bca = est.diagnostics.find((d) => d.code === 'BOOT_BCA_UNDEFINED');
    expect(bca?.message).toContain('exactly zero');
    // No NaN but the test of ratio = 0, which is NaN exactly when the set is unbounded (BOOT_RATIO_UNBOUNDED).
    const unbounded = est.diagnostics.some((d) => d.code === 'BOOT_RATIO_UNBOUNDED');
    for (const [key, value] of Object.entries(est)) {
      if (typeof value !== 'number') continue;
      expect(Number.isNaN(value), key).toBe(unbounded && (key === 'pValue' || key === 'statistic'));
    }
  });

  it('warns that few units per stratum make the bootstrap SE too small by √((n_s − 1)/n_s)', () => {
    // 6 clusters per arm: resampling 6 clusters with replacement has variance (6 − 1)/6 of the sample's, so the
    // bootstrap SE is about 9% too small (Davison & Hinkley 1997, §3.2.1 / §3.7) — nothing said so before.
    const z = Array.from({ length: 48 }, (_, i) => Math.floor(i / 4) % 2);
    const cluster = Array.from({ length: 48 }, (_, i) => `gp${Math.floor(i / 4)}`);
    const y = Array.from({ length: 48 }, (_, i) => ((i * 37) % 11) + 2 * z[i]!);
    const clustered = bootstrapItt(makeTrial({ y, z, cluster }), { reps: 399, seed: 3 });
    const few = clustered.diagnostics.find((d) => d.code === 'BOOT_FEW_UNITS_PER_STRATUM');
    expect(few?.severity).toBe('warning');
    expect(few?.message).toMatch(/6 clusters/);
    expect(few?.message).toMatch(/0\.91/); // √(5/6) = 0.913
    const ratio = bootstrapRatio(makeTrial({ y, z, cluster, outcomeName: 'cost', covariates: [{ name: 'job', values: Float64Array.from(z, (a, i) => (a + (i % 3 === 0 ? 1 : 0)) % 2) }] }), { denominator: 'job', reps: 399, seed: 3 });
    expect(ratio.diagnostics.map((d) => d.code)).toContain('BOOT_FEW_UNITS_PER_STRATUM');
    // 24 rows per arm: no warning.
    const rows = bootstrapItt(makeTrial({ y, z }), { reps: 399, seed: 3 });
    expect(rows.diagnostics.map((d) => d.code)).not.toContain('BOOT_FEW_UNITS_PER_STRATUM');
  });

  it('writes the level as a percentage without floating-point noise (0.57 → 57%, 0.975 → 97.5%)', () => {
    // 0.57 * 100 is 56.99999999999999 in floating point, which the method text printed.
    const z = Array.from({ length: 40 }, (_, i) => i % 2);
    const y = Array.from({ length: 40 }, (_, i) => (i * 13) % 7);
    const a = bootstrapItt(makeTrial({ y, z }), { reps: 999, seed: 1, level: 0.57 });
    expect(a['bootMethod']).toContain('the 57% BCa interval');
    const b = bootstrapItt(makeTrial({ y, z }), { reps: 999, seed: 1, level: 0.975 });
    expect(b['bootMethod']).toContain('the 97.5% BCa interval');
  });

  it('says the bootstrapped ITT ignores covariates', () => {
    const z = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    const trial = makeTrial({ y: y10, z, covariates: [{ name: 'age', values: Float64Array.from(y10) }] });
    const est = bootstrapItt(trial, { reps: 199, seed: 1 });
    expect(est.diagnostics.map((d) => d.code)).toContain('BOOT_ITT_UNADJUSTED');
  });
});

describe('refusals', () => {
  const z = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
  const trial = makeTrial({ y: y10, z });
  const code = (c: string) => expect.objectContaining({ code: c });

  it('bad replicate counts, no seed, too few replicates for the level', () => {
    expect(() => bootstrap({ n: 10, reps: 1, seed: 1, statistic: meanOf(y10) })).toThrow(code('BOOT_BAD_REPS'));
    expect(() => bootstrap({ n: 10, reps: 2.5, seed: 1, statistic: meanOf(y10) })).toThrow(code('BOOT_BAD_REPS'));
    expect(() => bootstrap({ n: 10, reps: 10, statistic: meanOf(y10) })).toThrow(code('BOOT_NO_SEED'));
    expect(() => bootstrap({ n: 1, reps: 10, seed: 1, statistic: meanOf(y10) })).toThrow(code('BOOT_BAD_ROWS'));
    expect(minimumReps(0.95)).toBe(199);
    expect(minimumReps(0.9)).toBe(99);
    expect(() => bootstrapItt(trial, { reps: 198, seed: 1 })).toThrow(code('BOOT_TOO_FEW_REPS_FOR_LEVEL'));
    expect(() => bootstrapItt(trial, { reps: 199, seed: 1, level: 0.99 })).toThrow(code('BOOT_TOO_FEW_REPS_FOR_LEVEL'));
    expect(() => bootstrapCi(bootstrap({ n: 10, reps: 50, seed: 1, statistic: meanOf(y10) }))).toThrow(code('BOOT_TOO_FEW_REPS_FOR_LEVEL'));
    expect(() => bootstrapItt(trial, { reps: 999 })).toThrow(code('BOOT_NO_SEED'));
    expect(() => bootstrapItt(trial, { reps: 999, seed: 1, interval: 'studentised' as never })).toThrow(code('BOOT_BAD_INTERVAL'));
  });

  it('a non-finite statistic names the replicate and the value', () => {
    let calls = 0;
    const statistic = (rows: Int32Array) => (++calls === 4 ? NaN : meanOf(y10)(rows));
    expect(() => bootstrap({ n: 10, reps: 10, seed: 1, statistic })).toThrow(/component 1 is NaN in bootstrap replicate 3/);
    expect(() => bootstrap({ n: 10, reps: 10, seed: 1, statistic: () => Infinity })).toThrow(code('BOOT_NON_FINITE_STATISTIC'));
    let k = 0;
    expect(() => bootstrap({ n: 10, reps: 10, seed: 1, statistic: () => (k++ === 0 ? [1, 2] : [1]) })).toThrow(code('BOOT_STATISTIC_LENGTH'));
  });

  it('a stratum with one unit (or one cluster) is refused', () => {
    expect(() => bootstrap({ n: 10, reps: 10, seed: 1, strata: [0, 0, 0, 0, 0, 1, 1, 1, 1, 2], statistic: meanOf(y10) })).toThrow(code('BOOT_STRATUM_ONE_UNIT'));
    // a block with a single treated unit: its treated stratum has one unit
    const blocked = makeTrial({ y: y10, z: [0, 1, 0, 0, 0, 1, 0, 1, 0, 1], block: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b'] });
    expect(() => bootstrapItt(blocked, { reps: 999, seed: 1 })).toThrow(code('BOOT_STRATUM_ONE_UNIT'));
    // one treated cluster
    const clustered = makeTrial({ y: y10, z: [0, 0, 1, 1, 1, 0, 0, 0, 0, 0], cluster: ['a', 'a', 'b', 'b', 'b', 'c', 'c', 'd', 'd', 'd'] });
    expect(() => bootstrapItt(clustered, { reps: 999, seed: 1 })).toThrow(/single cluster/);
  });

  it('clusters must be whole within strata and arms; arms and blocks must be complete', () => {
    expect(() => bootstrap({ n: 4, reps: 10, seed: 1, cluster: [0, 0, 1, 1], strata: [0, 1, 1, 1], statistic: () => 1 })).toThrow(code('BOOT_CLUSTER_SPANS_STRATA'));
    const mixed = makeTrial({ y: y10, z, cluster: ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd', 'e', 'e'] });
    expect(() => bootstrapItt(mixed, { reps: 999, seed: 1 })).toThrow(code('BOOT_TREATMENT_VARIES_IN_CLUSTER'));
    expect(() => bootstrapItt(makeTrial({ y: y10, z: new Array(10).fill(1) }), { reps: 999, seed: 1 })).toThrow(code('BOOT_ONE_ARM'));
    const oneArmBlock = makeTrial({ y: y10, z: [0, 0, 0, 1, 1, 1, 0, 1, 0, 1], block: ['a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b'] });
    expect(() => bootstrapItt(oneArmBlock, { reps: 999, seed: 1 })).toThrow(code('BOOT_BLOCK_MISSING_ARM'));
    expect(() => bootstrap({ n: 10, reps: 10, seed: 1, strata: [0, 0, 1], statistic: meanOf(y10) })).toThrow(code('BOOT_BAD_GROUPING'));
    expect(() => bootstrap({ n: 3, reps: 10, seed: 1, strata: [0, 0.5, 1], statistic: meanOf(y10) })).toThrow(code('BOOT_BAD_GROUPING'));
  });

  it('outcome values, ratio columns and a zero denominator', () => {
    expect(() => bootstrapItt(makeTrial({ y: [...y10.slice(0, 9), NaN], z }), { reps: 999, seed: 1 })).toThrow(expect.objectContaining({ code: 'BOOT_NON_FINITE_VALUE', row: 10 }));
    expect(() => bootstrapRatio(trial, { denominator: 'jobs', reps: 999, seed: 1 })).toThrow(code('BOOT_UNKNOWN_COLUMN'));
    const flat = makeTrial({ y: y10, z, covariates: [{ name: 'job', values: Float64Array.from([1, 1, 0, 0, 1, 1, 0, 0, 1, 1]) }] });
    expect(() => bootstrapRatio(flat, { denominator: 'job', reps: 999, seed: 1 })).toThrow(code('BOOT_RATIO_ZERO_DENOMINATOR'));
  });

  it('replayed resamples must fit the strata', () => {
    const strata = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const good = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(() => bootstrap({ n: 10, reps: 2, strata, statistic: meanOf(y10), unitIndices: [good, [5, 1, 2, 3, 4, 5, 6, 7, 8, 9]] })).toThrow(/Replicate 2 of the given resamples draws row 6/);
    expect(() => bootstrap({ n: 10, reps: 2, statistic: meanOf(y10), unitIndices: [good] })).toThrow(code('BOOT_BAD_UNIT_INDICES'));
    expect(() => bootstrap({ n: 10, reps: 1 + 1, statistic: meanOf(y10), unitIndices: [good, [0, 1]] })).toThrow(code('BOOT_BAD_UNIT_INDICES'));
  });

  it('influence values and component index are checked', () => {
    const result = bootstrap({ n: 10, reps: 999, seed: 1, statistic: meanOf(y10) });
    expect(() => bootstrapCi(result, { index: 1 })).toThrow(code('BOOT_BAD_INDEX'));
    expect(() => bootstrapCi(result, { influence: [1, 2] })).toThrow(code('BOOT_BAD_INFLUENCE'));
    expect(bootstrapCi(result, { bca: false }).bca).toBeNull();
  });
});
