/** Constrained randomisation of clusters and Morgan–Rubin re-randomisation. */
import { describe, expect, it } from 'vitest';
import { TrialkitError } from '@trialkit/core';
import { AllocationErrorCode, allocate, simulateDesign } from '../src/index.js';
import type { AllocationRequest } from '../src/index.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `u${i + 1}`);
/** A fixed, deterministic covariate pattern (no randomness needed). */
const covariate = (n: number, a: number, b: number): number[] => Array.from({ length: n }, (_, i) => ((i * a) % 17) + ((i * b) % 5) / 2);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TrialkitError ? error.code : `not a TrialkitError: ${String(error)}`;
  }
  return undefined;
}

describe('constrained randomisation', () => {
  const n = 8;
  const base: AllocationRequest = {
    ids: ids(n),
    clusters: ids(n),
    arms: 'control:1,whp:1',
    scheme: 'constrained',
    seed: 4,
    covariates: [
      { name: 'size', values: [120, 80, 200, 150, 90, 60, 170, 110] },
      { name: 'baseline', values: [0.1, 0.14, 0.08, 0.12, 0.2, 0.15, 0.09, 0.11] },
    ],
  };

  it('enumerates all C(8,4) = 70 allocations, keeps the best 10 % and draws from them', () => {
    const list = allocate(base);
    const report = list.meta.report as Record<string, number | boolean | Record<string, number>>;
    expect(report['enumerated']).toBe(true);
    expect(report['candidatesScored']).toBe(70);
    expect(report['constrainedSetSize']).toBe(7);
    expect(report['chosenScore'] as number).toBeLessThanOrEqual(report['scoreCutoff'] as number);
    expect(report['scoreCutoff'] as number).toBeLessThanOrEqual(report['medianScoreAllCandidates'] as number);
    expect(list.meta.counts).toEqual({ control: 4, whp: 4 });
    expect(list.meta.schemeVersion).toBe('constrained@1');
  });

  it('reports validity: a small constrained set has pairs always / never together, the full set has none', () => {
    const tight = allocate({ ...base, bestShare: 0.03 });
    const validity = (tight.meta.report as { validity: { alwaysTogether: number; neverTogether: number; pairs: number } }).validity;
    expect(validity.pairs).toBe(28);
    expect(validity.alwaysTogether + validity.neverTogether).toBeGreaterThan(0);
    expect(tight.meta.diagnostics.map((d) => d.code)).toEqual(['ALLOC_CONSTRAINED_INVALID']);
    const loose = allocate({ ...base, bestShare: 1 });
    const v = (loose.meta.report as { validity: { alwaysTogether: number; neverTogether: number; minPairTogether: number } }).validity;
    expect(v.alwaysTogether + v.neverTogether).toBe(0);
    // With every allocation allowed, a pair shares an arm in (C(6,2) + C(6,4)) / C(8,4) = 30/70 of them.
    expect(v.minPairTogether).toBeCloseTo(30 / 70, 12);
    expect(loose.meta.diagnostics).toEqual([]);
  });

  it('samples when there are too many allocations, members of a cluster share the arm', () => {
    const m = 40;
    const clusters = ids(m * 3).map((_, i) => `k${Math.floor(i / 3)}`);
    const list = allocate({
      ids: ids(m * 3),
      clusters,
      arms: 'a:1,b:1',
      scheme: 'constrained',
      seed: 2,
      candidates: 2000,
      covariates: [{ name: 'x', values: covariate(m * 3, 7, 3) }],
    });
    const report = list.meta.report as Record<string, unknown>;
    expect(report['enumerated']).toBe(false);
    expect(report['candidatesScored']).toBe(2000);
    const armOf = new Map<string, string>();
    for (const row of list.rows) {
      if (armOf.has(row.cluster!)) expect(row.arm).toBe(armOf.get(row.cluster!));
      armOf.set(row.cluster!, row.arm);
    }
  });

  it('refuses missing covariates, strata, and constant covariates', () => {
    expect(codeOf(() => allocate({ ...base, covariates: undefined as never }))).toBe(AllocationErrorCode.badOption);
    expect(codeOf(() => allocate({ ...base, strata: ids(n) }))).toBe(AllocationErrorCode.badOption);
    expect(codeOf(() => allocate({ ...base, covariates: [{ name: 'c', values: new Array(n).fill(1) }] }))).toBe(AllocationErrorCode.badOption);
    expect(codeOf(() => allocate({ ...base, covariates: [{ name: 'c', values: [1, 2, Number.NaN, 4, 5, 6, 7, 8] }] }))).toBe(AllocationErrorCode.badCovariate);
  });
});

describe('re-randomisation (Morgan–Rubin)', () => {
  const n = 60;
  const base: AllocationRequest = {
    ids: ids(n),
    arms: 'control:1,treatment:1',
    scheme: 'rerandomisation',
    seed: 1,
    acceptance: 0.05,
    covariates: [
      { name: 'age', values: covariate(n, 5, 2) },
      { name: 'months_unemployed', values: covariate(n, 11, 3) },
    ],
  };

  it('accepts a draw under the χ² threshold, with exact totals, and beats plain complete randomisation', () => {
    let accepted = 0;
    let draws = 0;
    for (let r = 0; r < 40; r++) {
      const list = allocate({ ...base, seed: r });
      const report = list.meta.report as { mahalanobis: number; threshold: number; draws: number };
      // χ²(2) at 0.05 = −2 ln 0.95
      expect(report.threshold).toBeCloseTo(-2 * Math.log(0.95), 10);
      expect(report.mahalanobis).toBeLessThanOrEqual(report.threshold);
      expect(list.meta.counts).toEqual({ control: 30, treatment: 30 });
      accepted += report.mahalanobis;
      draws += report.draws;
    }
    // Under complete randomisation E[M] ≈ df = 2; accepted draws sit below the 5 % quantile (≈ 0.103).
    expect(accepted / 40).toBeLessThan(0.103);
    // About 1 / 0.05 = 20 draws each on average (geometric); allow a wide band.
    expect(draws / 40).toBeGreaterThan(8);
    expect(draws / 40).toBeLessThan(40);
  });

  it('gives up with a clear error when no draw can pass', () => {
    expect(codeOf(() => allocate({ ...base, threshold: 1e-12, maxDraws: 50 }))).toBe(AllocationErrorCode.noAcceptableDraw);
    expect(codeOf(() => allocate({ ...base, covariates: [{ name: 'a', values: new Array(n).fill(3) }] }))).toBe(AllocationErrorCode.badOption);
  });

  it('design simulation keeps units near target here and flags a unit pinned by the criterion', () => {
    const sim = simulateDesign({ ...base, acceptance: 0.2 }, 400);
    expect(sim.arms).toEqual(['control', 'treatment']);
    expect(sim.probabilities).toHaveLength(n);
    // An outlier with a strict threshold is pushed towards being balanced by specific partners, but each unit's
    // probability of treatment is still 1/2 by symmetry of the two arms (swapping arms keeps M): check the mean.
    const mean = sim.probabilities.reduce((s, p) => s + (p[1] as number), 0) / n;
    expect(mean).toBeCloseTo(0.5, 10);
  });
});

describe('design simulation flags', () => {
  const n = 8;
  const request: AllocationRequest = {
    ids: ids(n),
    clusters: ids(n),
    arms: 'control:1,whp:1',
    scheme: 'constrained',
    seed: 4,
    covariates: [{ name: 'size', values: [120, 80, 200, 150, 90, 60, 170, 110] }],
  };
  it('flags clusters that a too-tight constrained set always puts in one arm', () => {
    const tight = simulateDesign({ ...request, bestShare: 0.03 }, 300);
    expect(tight.flaggedTotal).toBeGreaterThan(0);
    // Scores are symmetric in the arms (a mirrored allocation scores the same), so the set of ceil(0.03 × 70) = 3
    // allocations gives clusters probabilities of 1/3 or 2/3 of an arm: far off 1/2.
    for (const flag of tight.flagged) expect(Math.abs(flag.probability - 0.5)).toBeGreaterThan(0.1);
    expect(tight.diagnostics.map((d) => d.code)).toEqual(['ALLOC_UNIT_PROBABILITY_OFF_TARGET']);
  });
  it('flags nothing when every allocation is allowed (each cluster 1/2 exactly)', () => {
    const loose = simulateDesign({ ...request, bestShare: 1 }, 600);
    expect(loose.flaggedTotal).toBe(0);
    expect(loose.perArm['whp']!.maxDeviation).toBeLessThan(4.5 * Math.sqrt(0.25 / 600));
  });
});
