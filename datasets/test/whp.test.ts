import { describe, expect, it } from 'vitest';
import { findColumn, sha256Hex, type Dataset } from '@trialkit/core';
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
function fingerprint(data: Dataset): string {
  return sha256Hex(
    data.columns.map((c) => (c.kind === 'number' ? Array.from(c.values).join(',') : c.values.join(','))).join('|'),
  );
}
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

  it('refuses shares that do not fit in every office and month', () => {
    expect(() => simulateWhp({ n: 10, contamination: 0.02 })).toThrow(RangeError);
  });
});
