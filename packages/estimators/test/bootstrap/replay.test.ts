/**
 * trialkit's engine and trial functions on R's own resamples: boot.array(b, indices = TRUE) − 1 is replayed through
 * `unitIndices`, so the replicates t*, the jackknife influence values (leave one row, or one cluster, out) and the
 * four intervals can be compared with R boot's (fixtures/bootstrap/make-fixtures.R) — t* to 1e-12 relative, L and
 * the intervals to 1e-9 / 1e-8.
 */
import { describe, expect, it } from 'vitest';
import { differenceInMeans } from '../../src/index.js';
import { bootstrap, bootstrapCi, bootstrapEstimate, bootstrapItt, bootstrapRatio, bootCi } from '../../src/bootstrap/index.js';
import { bootCase, relativeError, replicates, t0Of, trialOfCase, zeroBased, type BootCase } from './helpers.js';

function expectClose(actual: number, expected: number, tolerance: number): void {
  expect(relativeError(actual, expected), `${actual} vs ${expected}`).toBeLessThan(tolerance);
}

function expectInterval(actual: unknown, expected: readonly [number, number], tolerance = 1e-8): void {
  const pair = actual as [number, number];
  expectClose(pair[0], expected[0], tolerance);
  expectClose(pair[1], expected[1], tolerance);
}

/** Influence values agree to 1e-9 of the largest |L| (single values can be near zero). */
function expectInfluence(actual: Float64Array, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!) / scale).toBeLessThan(1e-9);
}

const mean = (y: readonly number[]) => (rows: Int32Array) => {
  let s = 0;
  for (let j = 0; j < rows.length; j++) s += y[rows[j]!]!;
  return s / rows.length;
};

describe('engine on R boot resamples: mean of a skewed sample', () => {
  const c = bootCase('mean');
  const result = bootstrap({ n: c.y!.length, statistic: mean(c.y!), reps: c.R, unitIndices: zeroBased(c) });

  it('reproduces t0 and every replicate', () => {
    expectClose(result.t0[0]!, t0Of(c, 0), 1e-14);
    const expected = replicates(c, 0);
    for (let r = 0; r < c.R; r++) expectClose(result.t[0]![r]!, expected[r]!, 1e-12);
    expect(result.seed).toBeNull();
  });

  it('gives boot\'s jackknife influence values (empinf type "jack")', () => {
    expectInfluence(result.influence(0), c.L);
  });

  it('bootstrapEstimate turns any engine result into an Estimate with boot\'s intervals', () => {
    const expected = c.ci[1]!;
    const est = bootstrapEstimate(result, { estimand: 'mean', term: '(mean)', outcome: 'y', level: expected.conf });
    expectClose(est.estimate, t0Of(c, 0), 1e-14);
    expectClose(est.stdError, c.sd, 1e-10);
    expectInterval([est.confLow, est.confHigh], expected.bca);
    expectInterval(est['bootPercentile'], expected.percent);
    expect(est.estimator).toBe('bootstrap');
    expect(est.nObs).toBe(c.y!.length);
    expect(est['bootMethod']).toContain('from the whole sample');
  });

  it('gives boot.ci\'s four intervals at 0.95 and 0.9', () => {
    for (const expected of c.ci) {
      const ci = bootstrapCi(result, { level: expected.conf });
      expectInterval(ci.normal, expected.normal);
      expectInterval(ci.basic, expected.basic);
      expectInterval(ci.percentile, expected.percent);
      expectInterval(ci.bca, expected.bca);
    }
  });
});

describe('generic engine with strata and clusters on R boot resamples', () => {
  it('cluster case: the statistic sees whole clusters; leave-one-cluster-out influence = R\'s', () => {
    const c = bootCase('cluster');
    const y = c.y!;
    const z = c.z!;
    const dim = (rows: Int32Array): number => {
      let s1 = 0, n1 = 0, s0 = 0, n0 = 0;
      for (const i of rows) {
        if (z[i] === 1) { s1 += y[i]!; n1++; } else { s0 += y[i]!; n0++; }
      }
      return s1 / n1 - s0 / n0;
    };
    const result = bootstrap({ n: y.length, statistic: dim, reps: c.R, cluster: Int32Array.from(c.cluster!), strata: Int32Array.from(z), unitIndices: zeroBased(c) });
    expect(result.nUnits).toBe(c.n_units);
    expect(result.clustered).toBe(true);
    const expected = replicates(c, 0);
    for (let r = 0; r < c.R; r++) expectClose(result.t[0]![r]!, expected[r]!, 1e-12);
    expectInfluence(result.influence(0), c.L);
  });

  it('stratified case: generic jackknife (O(n²)) equals R\'s', () => {
    const c = bootCase('stratified-blocked');
    const trial = trialOfCase(c);
    const y = c.y!, z = c.z!, block = c.block!;
    const blocked = (rows: Int32Array): number => {
      const count = new Float64Array(8), sum = new Float64Array(8);
      for (const i of rows) { const k = 2 * block[i]! + z[i]!; count[k]!++; sum[k]! += y[i]!; }
      let total = 0, n = 0;
      for (let b = 1; b <= 3; b++) {
        const nb = count[2 * b]! + count[2 * b + 1]!;
        total += nb * (sum[2 * b + 1]! / count[2 * b + 1]! - sum[2 * b]! / count[2 * b]!);
        n += nb;
      }
      return total / n;
    };
    const result = bootstrap({ n: trial.n, statistic: blocked, reps: c.R, strata: Int32Array.from(c.unit_strata), unitIndices: zeroBased(c) });
    expectInfluence(result.influence(0), c.L);
  });
});

const ittCases = ['difference-in-means', 'stratified-blocked', 'cluster', 'block-cluster'];

describe('bootstrapItt on R boot resamples', () => {
  for (const name of ittCases) {
    const c: BootCase = bootCase(name);
    it(`${name}: estimate, bias, SD and all four intervals as R at both levels`, () => {
      const trial = trialOfCase(c);
      for (const expected of c.ci) {
        const est = bootstrapItt(trial, { reps: c.R, unitIndices: zeroBased(c), level: expected.conf });
        expectClose(est.estimate, t0Of(c, 0), 1e-12);
        expectClose(est.stdError, c.sd, 1e-10);
        expectClose(est['bias'] as number, c.bias, 1e-8);
        expectInterval(est['bootNormal'], expected.normal);
        expectInterval(est['bootBasic'], expected.basic);
        expectInterval(est['bootPercentile'], expected.percent);
        expectInterval(est['bootBca'], expected.bca);
        expect([est.confLow, est.confHigh]).toEqual(est['bootBca']);
        expect(est.estimator).toBe('bootstrap');
        expect(est.bootType).toBe('bca');
        expect(est.bootSeed).toBeNull();
        expect(est.level).toBe(expected.conf);
      }
    });
  }

  it('the ITT is difference_in_means\' estimate (itself checked against estimatr)', () => {
    for (const name of ittCases) {
      const c = bootCase(name);
      const trial = trialOfCase(c);
      const dim = differenceInMeans({
        outcome: trial.outcome.values,
        assignment: trial.assignment.values,
        ...(trial.blocks === undefined ? {} : { blocks: trial.blocks }),
        ...(trial.cluster === undefined ? {} : { cluster: trial.cluster }),
      });
      const est = bootstrapItt(trial, { reps: c.R, unitIndices: zeroBased(c) });
      expectClose(est.estimate, dim.estimate, 1e-12);
      if (trial.cluster !== undefined) expect(est.nClusters).toBe(c.n_units);
    }
  });

  it('interval choice sets confLow/confHigh', () => {
    const c = bootCase('difference-in-means');
    const trial = trialOfCase(c);
    const expected = c.ci[0]!;
    for (const [interval, want] of [['percentile', expected.percent], ['normal', expected.normal], ['basic', expected.basic]] as const) {
      const est = bootstrapItt(trial, { reps: c.R, unitIndices: zeroBased(c), interval });
      expectInterval([est.confLow, est.confHigh], want);
      expect(est.bootType).toBe(interval);
    }
  });
});

describe('bootstrapRatio on R boot resamples: cost per additional job outcome', () => {
  it('ratio, its two ITTs and the ratio\'s four intervals as R', () => {
    const c = bootCase('ratio-cost-per-job');
    const trial = trialOfCase(c);
    for (const expected of c.ci) {
      const est = bootstrapRatio(trial, { denominator: 'job', reps: c.R, unitIndices: zeroBased(c), level: expected.conf });
      expectClose(est.estimate, t0Of(c, 0), 1e-12);
      expectClose(est.stdError, c.sd, 1e-10);
      expectInterval(est['bootPercentile'], expected.percent);
      expectInterval(est['bootBca'], expected.bca);
      expectInterval(est['bootNormal'], expected.normal);
      expectInterval(est['bootBasic'], expected.basic);
      expect(est.estimand).toBe('ITT-ratio');
      expect(est.outcome).toBe('cost/job');
      const numerator = est['ratioNumerator'] as { estimate: number; outcome: string };
      const denominator = est['ratioDenominator'] as { estimate: number; outcome: string };
      expectClose(numerator.estimate, t0Of(c, 1), 1e-12);
      expectClose(denominator.estimate, t0Of(c, 2), 1e-12);
      expect(est['denominatorReplicatesCrossingZero']).toBe(0);
      expect(est.diagnostics.map((d) => d.code)).not.toContain('BOOT_RATIO_UNBOUNDED');
    }
  });

  it('a denominator ITT indistinguishable from zero makes the ratio unbounded, said plainly (no NaN)', () => {
    const c = bootCase('ratio-denominator-near-zero');
    const trial = trialOfCase(c);
    const den = replicates(c, 2);
    const crossing = den.filter((v) => v <= 0).length;
    expect(crossing / c.R).toBeGreaterThan(0.025);
    const est = bootstrapRatio(trial, { denominator: 'job', reps: c.R, unitIndices: zeroBased(c) });
    expect(est['denominatorReplicatesCrossingZero']).toBe(crossing);
    expect(est.confLow).toBe(-Infinity);
    expect(est.confHigh).toBe(Infinity);
    expect(est.stdError).toBe(Infinity);
    // No test of ratio = 0 with an unbounded set: statistic and p are NaN (null in JSON), the warning says why.
    expect(est.pValue).toBeNaN();
    expect(est.statistic).toBeNaN();
    const warning = est.diagnostics.find((d) => d.code === 'BOOT_RATIO_UNBOUNDED');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain(`${crossing} of ${c.R}`);
    for (const field of ['bootPercentile', 'bootBca', 'bootNormal', 'bootBasic']) expect(est[field]).toEqual([-Infinity, Infinity]);
    for (const [key, value] of Object.entries(est)) if (typeof value === 'number' && key !== 'pValue' && key !== 'statistic') expect(Number.isNaN(value), key).toBe(false);
    // R's own (misleading) percentile interval on these replicates, for the record: boot.ci still gives numbers.
    const raw = bootCi({ t0: t0Of(c, 0), t: replicates(c, 0), influence: c.L });
    expectInterval(raw.percentile, c.ci[0]!.percent);
  });
});
