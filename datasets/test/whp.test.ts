import { describe, expect, it } from 'vitest';
import { findColumn, sha256Hex, type Dataset } from '@trialkit/core';
import { estimate } from '@trialkit/estimators';
import { simulateWhp } from '../src/index.js';

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
function fingerprint(data: Dataset, columns?: readonly string[]): string {
  const chosen = columns === undefined ? data.columns : data.columns.filter((c) => columns.includes(c.name));
  return sha256Hex(chosen.map((c) => (c.kind === 'number' ? Array.from(c.values).join(',') : c.values.join(','))).join('|'));
}
/** The columns simulateWhp had before benefit exit and cost were added (their values must never move). */
const ORIGINAL_COLUMNS = [
  'id', 'office', 'month', 'age', 'female', 'disabled', 'health', 'months_out_of_work', 'prior_earnings', 'arm',
  'assigned', 'started', 'job_outcome', 'earnings', 'days_to_first_job', 'job_started',
] as const;
const mean = (values: ArrayLike<number>, keep: (i: number) => boolean = () => true): number => {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (keep(i)) (sum += values[i] as number), (n += 1);
  return sum / n;
};

describe('simulateWhp', () => {
  const trial = simulateWhp({ n: 20_000, seed: 'whp-test' });
  const { data, truth } = trial;
  const z = numbers(data, 'assigned');
  const d = numbers(data, 'started');
  const y = numbers(data, 'job_outcome');

  it('is reproducible from its seed and changes with it', () => {
    expect(fingerprint(simulateWhp({ n: 500, seed: 7 }).data)).toBe(fingerprint(simulateWhp({ n: 500, seed: 7 }).data));
    expect(fingerprint(simulateWhp({ n: 500, seed: 7 }).data)).not.toBe(fingerprint(simulateWhp({ n: 500, seed: 8 }).data));
  });

  it('states population truth that is internally consistent', () => {
    const p = truth.population;
    expect(p.complierShare + p.alwaysTakerShare + p.neverTakerShare).toBeCloseTo(1, 12);
    expect(p.itt).toBeCloseTo(p.complierShare * p.cace, 12);
    expect(p.takeUp).toBeCloseTo(p.complierShare + p.alwaysTakerShare, 12);
    // Mean of the office-by-month contamination shares equals the stated average (the spread is centred).
    const byOffice = truth.contaminationByOffice.reduce((s, o) => s + o.rate, 0) / truth.contaminationByOffice.length;
    expect(byOffice).toBeCloseTo(p.contamination, 12);
  });

  it('realises take-up, contamination and the control job rate near their targets (4 SE)', () => {
    const n1 = mean(z) * data.nRows;
    const n0 = data.nRows - n1;
    const takeUp = mean(d, (i) => z[i] === 1);
    const contamination = mean(d, (i) => z[i] === 0);
    expect(Math.abs(takeUp - truth.population.takeUp)).toBeLessThan(4 * Math.sqrt(0.6 * 0.4 / n1));
    expect(Math.abs(contamination - truth.population.contamination)).toBeLessThan(4 * Math.sqrt(0.15 * 0.85 / n0));
    const controlRate = mean(y, (i) => z[i] === 0);
    expect(controlRate).toBeGreaterThan(0.1);
    expect(controlRate).toBeLessThan(0.14);
    expect(truth.sample.controlJobRate).toBeCloseTo(controlRate, 12);
  });

  it('has a sample CACE within Monte-Carlo error of the population CACE', () => {
    // Each complier's effect is Bernoulli(0.08): SE of the mean ≈ sqrt(0.08·0.92 / #compliers).
    const compliers = truth.sample.complierShare * data.nRows;
    expect(Math.abs(truth.sample.cace - truth.population.cace)).toBeLessThan(4 * Math.sqrt(0.08 * 0.92 / compliers));
  });

  it('allocates 1:1 by permuted blocks within office: each office nearly balanced', () => {
    const office = texts(data, 'office');
    const counts = new Map<string, [number, number]>();
    for (let i = 0; i < data.nRows; i++) {
      const c = counts.get(office[i] as string) ?? [0, 0];
      c[z[i] as 0 | 1] += 1;
      counts.set(office[i] as string, c);
    }
    expect(counts.size).toBe(12);
    // Within a stratum only the last, incomplete block can be unbalanced: by at most half the largest block (3).
    for (const [n0, n1] of counts.values()) expect(Math.abs(n1 - n0)).toBeLessThanOrEqual(3);
  });

  it('keeps outcomes coherent: earnings positive only with a job start, days censored at 365', () => {
    const earnings = numbers(data, 'earnings');
    const days = numbers(data, 'days_to_first_job');
    const event = numbers(data, 'job_started');
    let violations = 0;
    for (let i = 0; i < data.nRows; i++) {
      const censored = event[i] === 0;
      const bad =
        (y[i] === 1 && event[i] !== 1) ||
        (censored && (days[i] !== 365 || earnings[i] !== 0)) ||
        (days[i] as number) < 1 ||
        (days[i] as number) > 365;
      if (bad) violations += 1;
    }
    expect(violations).toBe(0);
    expect(mean(numbers(data, 'disabled'))).toBeGreaterThan(0.77);
  });

  it('pins its output at a fixed seed (golden values)', () => {
    const golden = simulateWhp({ n: 2000, seed: 'golden' });
    expect(golden.data.columns.map((c) => c.name)).toEqual([...ORIGINAL_COLUMNS, 'benefit_exit', 'cost', 'similar_provision_cost']);
    // The original 16 columns hash exactly as before the extra outcomes were added (checked against the previous
    // commit's simulator): the extras come from their own streams.
    expect(fingerprint(golden.data, ORIGINAL_COLUMNS)).toBe('16f1d023381ae70f28015fa75e86f8203ca4e82d1b97fc5dc728a1edfbe6bced');
    expect(fingerprint(golden.data)).toBe('7a57ff625866555d91e29d7f92195b0fc2b706850e51929051dadf73d64943d3');
    expect(texts(golden.data, 'office').slice(0, 3)).toEqual(['office-09', 'office-11', 'office-06']);
    expect(Array.from(numbers(golden.data, 'age').slice(0, 3))).toEqual([29, 35, 28]);
    expect(Array.from(numbers(golden.data, 'benefit_exit').slice(0, 3))).toEqual([0, 1, 0]);
    expect(mean(numbers(golden.data, 'job_outcome'))).toBe(0.132);
    expect(mean(numbers(golden.data, 'benefit_exit'))).toBe(0.2015);
    expect(mean(numbers(golden.data, 'cost'))).toBeCloseTo(636.4395, 9);
    expect(mean(numbers(golden.data, 'similar_provision_cost'))).toBeCloseTo(108.8715, 9);
    expect(golden.truth.sample.cace).toBeCloseTo(0.07508532423208192, 14);
    expect(golden.truth.sample.benefitExitCace).toBeCloseTo(0.05005688282138794, 14);
  });

  it('states the true benefit-exit and cost effects, and the cost per additional job outcome', () => {
    const p = truth.population;
    // 0.08 × (0.75 − (0.25 × 0.25 + 0.75 × 0.06)) = 0.0514
    expect(p.benefitExitCace).toBeCloseTo(0.0514, 12);
    expect(p.benefitExitItt).toBeCloseTo(p.complierShare * 0.0514, 12);
    expect(p.costItt).toBeCloseTo(0.6 * 2100, 9);
    expect(p.similarProvisionCostItt).toBeCloseTo(-0.15 * 1300, 9);
    expect(p.costPerAdditionalJobOutcome).toBeCloseTo(1260 / 0.036, 6);
    expect(p.netCostPerAdditionalJobOutcome).toBeCloseTo((1260 - 195) / 0.036, 6);
    // Days to first job: a sustained job starts on average on day 137.5, otherwise 0.25 × 183 + 0.75 × 365 = 319.5.
    expect(p.daysToFirstJobCace).toBeCloseTo(0.08 * (137.5 - 319.5), 9);
    expect(p.jobStartedCace).toBeCloseTo(0.08 * 0.75, 12);
    const days = estimate(data, { roles: { outcome: 'days_to_first_job', assignment: 'assigned', received: 'started' } });
    const daysCace = days.estimates.find((e) => e.estimand === 'CACE');
    expect(daysCace!.confLow).toBeLessThan(p.daysToFirstJobCace);
    expect(daysCace!.confHigh).toBeGreaterThan(p.daysToFirstJobCace);
  });

  it('costs only what was started: the programme for starters offered it, similar provision for signposted controls', () => {
    const cost = numbers(data, 'cost');
    const similar = numbers(data, 'similar_provision_cost');
    let bad = 0;
    for (let i = 0; i < data.nRows; i++) {
      const programme = d[i] === 1 && z[i] === 1;
      const signposted = d[i] === 1 && z[i] === 0;
      if (programme !== (cost[i]! > 0) || signposted !== (similar[i]! > 0)) bad += 1;
    }
    expect(bad).toBe(0);
    // Mean per starter: lognormal with mean 2,100 and σ = 0.35 (SD ≈ £760): 4 SE over ~6,000 starters ≈ £40.
    const starters = (i: number): boolean => d[i] === 1 && z[i] === 1;
    expect(Math.abs(mean(cost, starters) - 2100)).toBeLessThan(40);
    expect(Math.abs(mean(similar, (i) => d[i] === 1 && z[i] === 0) - 1300)).toBeLessThan(60);
    expect(Math.abs(truth.sample.costItt - truth.population.costItt)).toBeLessThan(40);
  });

  it('recovers the benefit-exit ITT and CACE, and the cost ITT, within their 95% CIs', () => {
    const exit = estimate(data, { roles: { outcome: 'benefit_exit', assignment: 'assigned', received: 'started' } });
    const itt = exit.estimates.find((e) => e.estimand === 'ITT');
    const cace = exit.estimates.find((e) => e.estimand === 'CACE');
    expect(itt!.confLow).toBeLessThan(truth.population.benefitExitItt);
    expect(itt!.confHigh).toBeGreaterThan(truth.population.benefitExitItt);
    expect(cace!.confLow).toBeLessThan(truth.population.benefitExitCace);
    expect(cace!.confHigh).toBeGreaterThan(truth.population.benefitExitCace);
    // Benefit exit follows the job outcome, so the exit rate is much higher among those with a job outcome.
    const exitValues = numbers(data, 'benefit_exit');
    expect(mean(exitValues, (i) => y[i] === 1)).toBeGreaterThan(0.7);
    expect(mean(exitValues, (i) => y[i] === 0)).toBeLessThan(0.12);
    const cost = estimate(data, { roles: { outcome: 'cost', assignment: 'assigned' } }).estimates.find((e) => e.estimand === 'ITT');
    expect(cost!.confLow).toBeLessThan(truth.population.costItt);
    expect(cost!.confHigh).toBeGreaterThan(truth.population.costItt);
  });

  it('refuses shares that do not fit in every office and month', () => {
    expect(() => simulateWhp({ n: 10, contamination: 0.02 })).toThrow(RangeError);
  });

  it('refuses options under which the truth would not describe the data', () => {
    // A complier effect of 1.2 used to give truth.population.cace 1.2 against a sample CACE of 1; −0.1 gave −0.1
    // against −0.089; negative never-takers a complier share above the take-up; a negative cost NaN costs.
    for (const bad of [
      { complierEffect: 1.2 },
      { complierEffect: -0.1 },
      { neverTakers: -0.2 },
      { n: 10.5 },
      { n: 1 },
      { offices: 0 },
      { months: 0 },
      { deliveryCostPerStarter: -5 },
      { similarProvisionCost: Number.NaN },
    ]) {
      expect(() => simulateWhp({ n: 10, ...bad }), JSON.stringify(bad)).toThrow(RangeError);
    }
    expect(simulateWhp({ n: 50, complierEffect: 0 }).truth.population.cace).toBe(0);
  });
});
