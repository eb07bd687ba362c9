import { describe, expect, it } from 'vitest';
import { findColumn, sha256Hex, type Dataset } from '@trialkit/core';
import { estimate } from '@trialkit/estimators';
import { simulateIps } from '../src/index.js';

function numbers(data: Dataset, name: string): Float64Array {
  const column = findColumn(data, name);
  if (column?.kind !== 'number') throw new Error(`no numeric column ${name}`);
  return column.values;
}
function texts(data: Dataset, name: string): readonly (string | null)[] {
  const column = findColumn(data, name);
  if (column?.kind !== 'text') throw new Error(`no text column ${name}`);
  return column.values;
}
function fingerprint(data: Dataset): string {
  return sha256Hex(data.columns.map((c) => (c.kind === 'number' ? Array.from(c.values).join(',') : c.values.join(','))).join('|'));
}
const mean = (values: ArrayLike<number>, keep: (i: number) => boolean = () => true): number => {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (keep(i)) (sum += values[i] as number), (n += 1);
  return sum / n;
};
function within(estimateResult: ReturnType<typeof estimate>, estimand: string, truth: number): boolean {
  const e = estimateResult.estimates.find((x) => x.estimand === estimand);
  if (e === undefined) throw new Error(`no ${estimand}`);
  return e.confLow <= truth && truth <= e.confHigh;
}

describe('simulateIps (individually randomised, default size)', () => {
  const trial = simulateIps({ seed: 'ips-test' });
  const { data, truth } = trial;
  const z = numbers(data, 'assigned');
  const d = numbers(data, 'started');
  const y = numbers(data, 'job_outcome');

  it('has the documented columns, 11,300 rows and two sub-regions', () => {
    expect(data.nRows).toBe(11_300);
    expect(data.columns.map((c) => c.name)).toEqual([
      'id', 'subregion', 'referral_route', 'gp_practice', 'practice_route', 'office', 'stratum', 'age', 'female',
      'health', 'months_out_of_work', 'prior_earnings', 'arm', 'assigned', 'started', 'job_outcome', 'earnings',
      'days_to_first_job', 'job_started', 'benefit_exit', 'cost', 'similar_provision_cost',
    ]);
    expect(new Set(texts(data, 'subregion'))).toEqual(new Set(['wmca', 'scr']));
    expect(new Set(texts(data, 'referral_route'))).toEqual(new Set(['health', 'employment']));
    expect(truth.design).toEqual({ scheme: 'block', strata: ['subregion', 'referral_route'], cluster: null, practices: 120, offices: 14 });
  });

  it('states population truth that is internally consistent', () => {
    const p = truth.population;
    expect(p.complierShare + p.alwaysTakerShare + p.neverTakerShare).toBeCloseTo(1, 12);
    expect(p.itt).toBeCloseTo(p.complierShare * p.cace, 12);
    expect(p.takeUp).toBeCloseTo(p.complierShare + p.alwaysTakerShare, 12);
    // Sub-region ITTs add up to the overall ITT; the overall CACE is the complier-weighted mean of τ_r.
    const itt = truth.bySubregion.reduce((s, r) => s + r.share * r.itt, 0);
    expect(itt).toBeCloseTo(p.itt, 12);
    // Offices are spread symmetrically within each sub-region and equally used in expectation: contamination 0.10.
    expect(p.contamination).toBeCloseTo(0.1, 12);
    // Never-takers: 0.55 × 0.22 + 0.45 × 0.34 = 0.274.
    expect(p.neverTakerShare).toBeCloseTo(0.274, 12);
    expect(p.cace).toBeCloseTo(0.38 * 0.06 + 0.62 * 0.03, 12);
    expect(p.costPerAdditionalJobOutcome).toBeCloseTo(p.costItt / p.itt, 9);
    expect(p.daysToFirstJobCace).toBeCloseTo(-182 * p.cace, 9);
    // Sample complier effects (from potential outcomes) sit near the population ones: complier effect on the job
    // outcome is Bernoulli(τ_r), so its mean over ~7,000 compliers has SE ≈ 0.0024.
    expect(Math.abs(truth.sample.cace - p.cace)).toBeLessThan(4 * 0.0024);
    expect(Math.abs(truth.sample.daysToFirstJobCace - p.daysToFirstJobCace)).toBeLessThan(4 * 182 * 0.0024);
  });

  it('realises take-up, contamination and the control job rate near their targets (4 SE)', () => {
    const n1 = mean(z) * data.nRows;
    const n0 = data.nRows - n1;
    const p = truth.population;
    expect(Math.abs(mean(d, (i) => z[i] === 1) - p.takeUp)).toBeLessThan(4 * Math.sqrt((p.takeUp * (1 - p.takeUp)) / n1));
    expect(Math.abs(mean(d, (i) => z[i] === 0) - p.contamination)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / n0));
    const controlRate = mean(y, (i) => z[i] === 0);
    expect(controlRate).toBeGreaterThan(0.17);
    expect(controlRate).toBeLessThan(0.23);
    expect(truth.sample.controlJobRate).toBeCloseTo(controlRate, 12);
  });

  it('recovers the ITT and CACE of every outcome within its 95% CI', () => {
    const roles = { assignment: 'assigned', received: 'started' };
    const p = truth.population;
    for (const [outcome, itt, cace] of [
      ['job_outcome', p.itt, p.cace],
      ['earnings', p.earningsItt, p.earningsCace],
      ['benefit_exit', p.benefitExitItt, p.benefitExitCace],
      ['days_to_first_job', p.daysToFirstJobItt, p.daysToFirstJobCace],
      ['job_started', p.jobStartedItt, p.jobStartedCace],
    ] as const) {
      const result = estimate(data, { roles: { ...roles, outcome } });
      expect(within(result, 'ITT', itt), `${outcome} ITT`).toBe(true);
      expect(within(result, 'CACE', cace), `${outcome} CACE`).toBe(true);
      expect(within(result, 'first-stage', p.complierShare), `${outcome} first stage`).toBe(true);
    }
    expect(within(estimate(data, { roles: { outcome: 'cost', assignment: 'assigned' } }), 'ITT', p.costItt)).toBe(true);
  });

  it('allocates 1:1 by permuted blocks within sub-region × referral route', () => {
    const stratum = texts(data, 'stratum');
    const counts = new Map<string, [number, number]>();
    for (let i = 0; i < data.nRows; i++) {
      expect(stratum[i]).toBe(`${texts(data, 'subregion')[i]}|${texts(data, 'referral_route')[i]}`);
      const c = counts.get(stratum[i] as string) ?? [0, 0];
      c[z[i] as 0 | 1] += 1;
      counts.set(stratum[i] as string, c);
    }
    expect(counts.size).toBe(4);
    for (const [n0, n1] of counts.values()) expect(Math.abs(n1 - n0)).toBeLessThanOrEqual(3);
    expect(trial.allocation.meta.schemeVersion).toBe('block@1');
  });

  it('keeps outcomes coherent: earnings and days with job starts, costs only for starters', () => {
    const earnings = numbers(data, 'earnings');
    const days = numbers(data, 'days_to_first_job');
    const event = numbers(data, 'job_started');
    const cost = numbers(data, 'cost');
    const similar = numbers(data, 'similar_provision_cost');
    let violations = 0;
    for (let i = 0; i < data.nRows; i++) {
      const censored = event[i] === 0;
      const bad =
        (y[i] === 1 && event[i] !== 1) ||
        (censored && (days[i] !== 365 || earnings[i] !== 0)) ||
        days[i]! < 1 || days[i]! > 365 ||
        (d[i] === 1 && z[i] === 1) !== cost[i]! > 0 ||
        (d[i] === 1 && z[i] === 0) !== similar[i]! > 0;
      if (bad) violations += 1;
    }
    expect(violations).toBe(0);
  });

  it('is reproducible from its seed and changes with it', () => {
    expect(fingerprint(simulateIps({ n: 400, seed: 3 }).data)).toBe(fingerprint(simulateIps({ n: 400, seed: 3 }).data));
    expect(fingerprint(simulateIps({ n: 400, seed: 3 }).data)).not.toBe(fingerprint(simulateIps({ n: 400, seed: 4 }).data));
  });
});

describe('simulateIps (clustered by GP practice)', () => {
  const trial = simulateIps({ seed: 'ips-test', clustered: true });
  const { data, truth } = trial;
  const z = numbers(data, 'assigned');

  it('randomises whole GP practices within sub-region × practice route, with the same people as unclustered', () => {
    const practice = texts(data, 'gp_practice');
    const armOf = new Map<string, number>();
    for (let i = 0; i < data.nRows; i++) {
      const a = armOf.get(practice[i] as string);
      if (a === undefined) armOf.set(practice[i] as string, z[i] as number);
      else expect(a).toBe(z[i]);
    }
    expect(armOf.size).toBe(truth.sample.practices);
    expect(truth.design.cluster).toBe('gp_practice');
    expect(trial.allocation.meta.schemeVersion).toBe('cluster@1');
    // Only the assignment (and what follows from it) differs from the individually randomised trial.
    const individual = simulateIps({ seed: 'ips-test' }).data;
    for (const name of ['id', 'subregion', 'gp_practice', 'office', 'age', 'prior_earnings']) {
      expect(findColumn(data, name)).toEqual(findColumn(individual, name));
    }
  });

  it('has a non-trivial GP-practice ICC and CR2 intervals that cover the truth', () => {
    expect(truth.population.latentIcc).toBeCloseTo(0.35 ** 2 / (0.35 ** 2 + Math.PI ** 2 / 3), 12);
    expect(truth.sample.controlIcc).toBeGreaterThan(0.005);
    const result = estimate(data, {
      roles: { outcome: 'job_outcome', assignment: 'assigned', received: 'started', cluster: 'gp_practice' },
      se: 'CR2',
    });
    expect(within(result, 'ITT', truth.population.itt)).toBe(true);
    expect(within(result, 'CACE', truth.population.cace)).toBe(true);
    expect(result.estimates.every((e) => e.seType === 'CR2')).toBe(true);
  });
});

describe('simulateIps golden values (n = 1,500, seed "golden")', () => {
  it('pins the individually randomised trial', () => {
    const { data, truth } = simulateIps({ n: 1500, seed: 'golden' });
    expect(fingerprint(data)).toBe('51f8469ccb4cea4dad31ed038b5e37d5ce8f1ea723cb448957a8e452b60e06e4');
    expect(texts(data, 'gp_practice').slice(0, 3)).toEqual(['gp-118', 'gp-087', 'gp-117']);
    expect(texts(data, 'office').slice(0, 3)).toEqual(['office-12', 'office-13', 'office-11']);
    expect(texts(data, 'stratum').slice(0, 3)).toEqual(['scr|employment', 'scr|health', 'scr|employment']);
    expect(Array.from(numbers(data, 'earnings').slice(0, 3))).toEqual([9737, 972, 0]);
    expect(Array.from(numbers(data, 'cost').slice(0, 3))).toEqual([3490, 0, 0]);
    expect(mean(numbers(data, 'job_outcome'))).toBeCloseTo(289 / 1500, 14);
    expect(mean(numbers(data, 'benefit_exit'))).toBeCloseTo(0.242, 14);
    expect(truth.sample.cace).toBeCloseTo(0.03739316239316239, 14);
    expect(truth.sample.complierShare).toBeCloseTo(0.624, 14);
    expect(truth.sample.controlJobRate).toBeCloseTo(0.17623497997329773, 14);
  });

  it('pins the cluster-randomised trial (same people, practices randomised)', () => {
    const { data, truth } = simulateIps({ n: 1500, seed: 'golden', clustered: true });
    expect(fingerprint(data)).toBe('a69edb5bf16048ea716d39371f493dc78302cab3b56d8afc8e6cb4ad2305cad5');
    expect(texts(data, 'stratum').slice(0, 3)).toEqual(['scr|employment', 'scr|health', 'scr|health']);
    expect(Array.from(numbers(data, 'assigned').slice(0, 3))).toEqual([0, 0, 1]);
    expect(mean(numbers(data, 'assigned'))).toBeCloseTo(674 / 1500, 14);
    expect(truth.sample.controlJobRate).toBeCloseTo(0.18401937046004843, 14);
    expect(truth.sample.practices).toBe(119);
  });
});

describe('simulateIps options', () => {
  it('refuses shares that leave no compliers, and bad sizes', () => {
    expect(() => simulateIps({ n: 10, contamination: 0.05 })).toThrow(RangeError);
    expect(() => simulateIps({ n: 10, neverTakers: { health: 0.5, employment: 0.9 } })).toThrow(RangeError);
    expect(() => simulateIps({ n: 1 })).toThrow(RangeError);
    expect(() => simulateIps({ n: 10, deliveryCostPerStarter: -1 })).toThrow(RangeError);
    expect(() => simulateIps({ n: 10, similarProvisionCost: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
