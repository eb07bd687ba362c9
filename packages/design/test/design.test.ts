/**
 * Closed forms (design effect, receipt inflation, the textbook normal sample size and MDE), how the pieces
 * combine (ITT = CACE × (p₁ − p₀), n × 1/(p₁ − p₀)², variance × (1 − R²)·DE), rounding up to whole participants
 * and clusters, diagnostics, and the refusals for bad input.
 */
import { isTrialkitError, normalQuantile } from '@trialkit/core';
import { describe, expect, it } from 'vitest';
import { cohenH, designEffect, planTrial, receiptInflation, type DesignSpec } from '../src/index.js';

const Z = normalQuantile(0.975) + normalQuantile(0.8); // 2.801585218...

function code(spec: DesignSpec): string {
  try {
    planTrial(spec);
  } catch (error) {
    if (isTrialkitError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('closed forms', () => {
  it('design effect: 1 + (m − 1)ICC, and Eldridge et al. (2006) with unequal cluster sizes', () => {
    expect(designEffect(0.02, 20)).toBeCloseTo(1.38, 14);
    expect(designEffect(0.02, 20, 0)).toBe(designEffect(0.02, 20));
    expect(designEffect(0.02, 20, 0.4)).toBeCloseTo(1 + (1.16 * 20 - 1) * 0.02, 14); // 1.444
    expect(designEffect(0, 50, 0.7)).toBe(1);
  });
  it('receipt inflation 1/(p₁ − p₀)² and Cohen\'s h', () => {
    expect(receiptInflation(1, 0)).toBe(1);
    expect(receiptInflation(0.6, 0.15)).toBeCloseTo(1 / 0.45 ** 2, 14); // 4.938
    expect(cohenH(0.5, 0.5)).toBe(0);
    expect(cohenH(0.2, 0.12)).toBeCloseTo(2 * Math.asin(Math.sqrt(0.2)) - 2 * Math.asin(Math.sqrt(0.12)), 15);
  });
  it('normal method, continuous: n = (z₁₋α/₂ + z₁₋β)² σ² f (1 + r)²/(r δ²), and the MDE inverts it', () => {
    const spec = { outcome: 'continuous', sd: 4000, effect: 500, method: 'normal', ratio: 2, r2: 0.2 } as const;
    const result = planTrial(spec);
    const expected = (Z * Z * 4000 ** 2 * 0.8 * 9) / (2 * 500 ** 2);
    expect(result.sampleSize.total).toBeCloseTo(expected, 8);
    expect(result.method.closedForm).toBe(true);
    expect(result.sampleSize.treatment / result.sampleSize.control).toBeCloseTo(2, 12);
    const mde = planTrial({ ...spec, effect: undefined as never, n: expected } as DesignSpec);
    expect(mde.solvedFor).toBe('mde');
    expect(mde.effect.itt).toBeCloseTo(500, 9);
    expect(planTrial({ ...spec, n: expected }).power).toBeCloseTo(0.8, 12);
  });
  it('normal method, binary (unpooled Wald): the closed form and the power at it', () => {
    const pC = 0.12;
    const pT = 0.16;
    const result = planTrial({ outcome: 'binary', controlRate: pC, effect: 0.04, method: 'normal' });
    const expected = (Z * Z * (pT * (1 - pT) * 2 + pC * (1 - pC) * 2)) / 0.04 ** 2;
    expect(result.sampleSize.total).toBeCloseTo(expected, 8);
    expect(planTrial({ outcome: 'binary', controlRate: pC, effect: 0.04, method: 'normal', n: expected }).power).toBeCloseTo(0.8, 12);
  });
  it('strict normal: solved by root finding, a hair below the closed form (the other tail adds power)', () => {
    const loose = planTrial({ outcome: 'continuous', sd: 1, effect: 0.3, method: 'normal' });
    const strict = planTrial({ outcome: 'continuous', sd: 1, effect: 0.3, method: 'normal', strict: true });
    expect(strict.method.closedForm).toBe(false);
    expect(strict.sampleSize.total).toBeLessThan(loose.sampleSize.total);
    expect(strict.sampleSize.total / loose.sampleSize.total).toBeGreaterThan(1 - 1e-5);
  });
});

describe('take-up, contamination, covariates and clusters', () => {
  const ips = { outcome: 'binary', controlRate: 0.12, effect: 0.08, takeUp: 0.6, method: 'normal' } as const;

  it('ITT = CACE × (take-up − contamination); binary treatment rate = control rate + ITT', () => {
    const result = planTrial({ ...ips, contamination: 0.15 });
    expect(result.effect.cace).toBe(0.08);
    expect(result.effect.itt).toBeCloseTo(0.036, 15);
    expect(result.effect.treatmentRate).toBeCloseTo(0.156, 15);
    expect(result.receipt.difference).toBeCloseTo(0.45, 15);
    expect(result.receipt.inflation).toBeCloseTo(4.938271604938, 10);
    expect(result.diagnostics.map((d) => d.code)).toContain('DESIGN_RECEIPT_INFLATION');
  });
  it('continuous: the sample grows by exactly 1/(p₁ − p₀)² (normal method)', () => {
    const full = planTrial({ outcome: 'continuous', sd: 4000, effect: 1000, method: 'normal' });
    const diluted = planTrial({ outcome: 'continuous', sd: 4000, effect: 1000, method: 'normal', takeUp: 0.6, contamination: 0.15 });
    expect(diluted.sampleSize.total / full.sampleSize.total).toBeCloseTo(receiptInflation(0.6, 0.15), 10);
  });
  it('variance × (1 − R²)·DE: n scales by that factor (normal method), clusters are whole and rounded up', () => {
    const individual = planTrial({ outcome: 'continuous', sd: 1, effect: 0.2, method: 'normal' });
    const clustered = planTrial({ outcome: 'continuous', sd: 1, effect: 0.2, method: 'normal', r2: 0.25, icc: 0.02, clusterSize: 20, clusterCv: 0.4 });
    const factor = 0.75 * designEffect(0.02, 20, 0.4);
    expect(clustered.varianceFactor).toBeCloseTo(factor, 14);
    expect(clustered.sampleSize.total / individual.sampleSize.total).toBeCloseTo(factor, 10);
    const c = clustered.clustering!;
    expect(c.designEffect).toBeCloseTo(1.444, 14);
    expect(c.clustersControl).toBeCloseTo(clustered.sampleSize.control / 20, 12);
    expect(c.clustersControlRounded).toBe(Math.ceil(c.clustersControl));
    expect(clustered.sampleSize.controlRounded).toBe(c.clustersControlRounded * 20);
    expect(clustered.achievedPower).toBeGreaterThanOrEqual(0.8);
  });
  it('the exact t test for a cluster trial uses clusters − 2 df, so it needs more than the normal method', () => {
    const spec = { outcome: 'continuous', sd: 1, effect: 0.4, icc: 0.05, clusterSize: 30 } as const;
    const exact = planTrial(spec);
    const normal = planTrial({ ...spec, method: 'normal' });
    expect(exact.df).toBeCloseTo(exact.sampleSize.totalRounded / 30 - 2, 12);
    expect(exact.sampleSize.total).toBeGreaterThan(normal.sampleSize.total);
    expect(normal.diagnostics.map((d) => d.code)).toContain('DESIGN_FEW_CLUSTERS');
  });
  it('a binary outcome in a cluster trial is a z test even by the exact method, so few clusters are flagged', () => {
    // 0.3 → 0.5 with ICC 0.05 and 100 per cluster: 5.5 clusters per arm (6 rounded up); power.prop.test's pooled
    // z test has no small-sample correction for clusters, so it overstates the power as the normal method does.
    const binary = planTrial({ outcome: 'binary', controlRate: 0.3, effect: 0.2, icc: 0.05, clusterSize: 100 });
    expect(binary.clustering!.clustersControlRounded).toBe(6);
    expect(binary.diagnostics.map((d) => d.code)).toContain('DESIGN_FEW_CLUSTERS');
    // The continuous exact method is a t test on clusters − 2 df, which accounts for few clusters: no warning.
    const continuous = planTrial({ outcome: 'continuous', sd: 1, effect: 0.5, icc: 0.05, clusterSize: 100 });
    expect(continuous.diagnostics.map((d) => d.code)).not.toContain('DESIGN_FEW_CLUSTERS');
  });
  it('a cluster trial has at least two clusters per arm', () => {
    // n = 41 with clusters of 20 was 1.025 clusters per arm and a t test on 0.05 df (power 0.045).
    for (const method of ['exact', 'normal'] as const) {
      expect(code({ outcome: 'continuous', sd: 1, effect: 0.5, n: 41, icc: 0.05, clusterSize: 20, method })).toBe('DESIGN_TOO_FEW_CLUSTERS');
      expect(code({ outcome: 'binary', controlRate: 0.3, n: 60, icc: 0.05, clusterSize: 20, method })).toBe('DESIGN_TOO_FEW_CLUSTERS');
    }
    // 2:1 allocation: the control arm has a third of 120 = 40 = 2 clusters of 20 — allowed; 100 is not.
    expect(code({ outcome: 'continuous', sd: 1, effect: 1, n: 120, ratio: 2, icc: 0.05, clusterSize: 20 })).toBe('no error');
    expect(code({ outcome: 'continuous', sd: 1, effect: 1, n: 100, ratio: 2, icc: 0.05, clusterSize: 20 })).toBe('DESIGN_TOO_FEW_CLUSTERS');
    try {
      planTrial({ outcome: 'continuous', sd: 1, effect: 0.5, n: 41, icc: 0.05, clusterSize: 20 });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/1\.0\d clusters in the smaller arm/);
      expect((error as Error).message).toMatch(/at least 80/);
    }
    // A large effect solved for n still gets two whole clusters per arm (not one).
    const solved = planTrial({ outcome: 'continuous', sd: 1, effect: 3, icc: 0.01, clusterSize: 20, method: 'normal' });
    expect(solved.sampleSize.total).toBeLessThan(40);
    expect(solved.clustering!.clustersControlRounded).toBe(2);
    expect(solved.clustering!.clustersTreatmentRounded).toBe(2);
    expect(solved.sampleSize.totalRounded).toBe(80);
  });
  it('rounds each arm up and the rounded design has at least the target power', () => {
    const result = planTrial({ outcome: 'continuous', sd: 1, effect: 0.5 }); // power.t.test: n = 63.76576 per arm
    expect(result.sampleSize.control).toBeCloseTo(63.76576, 4);
    expect(result.sampleSize.controlRounded).toBe(64);
    expect(result.sampleSize.treatmentRounded).toBe(64);
    expect(result.sampleSize.totalRounded).toBe(128);
    expect(result.achievedPower).toBeGreaterThan(0.8);
    expect(result.df).toBe(126);
    expect(result.method.r).toBe('stats::power.t.test');
  });
  it('binary MDE can be solved for a decrease (e.g. benefit receipt)', () => {
    const up = planTrial({ outcome: 'binary', controlRate: 0.6, n: 1000, method: 'normal' });
    const down = planTrial({ outcome: 'binary', controlRate: 0.6, n: 1000, method: 'normal', direction: 'decrease' });
    expect(down.effect.itt).toBeLessThan(0);
    expect(planTrial({ outcome: 'binary', controlRate: 0.6, n: 1000, method: 'normal', effect: down.effect.itt }).power).toBeCloseTo(0.8, 10);
    expect(Math.abs(down.effect.itt)).not.toBeCloseTo(up.effect.itt, 6); // p(1 − p) differs either side of 0.6
  });
  it('the MDE on the CACE scale is the ITT MDE / (p₁ − p₀), with a warning when it is impossible', () => {
    const result = planTrial({ outcome: 'binary', controlRate: 0.12, n: 400, takeUp: 0.3, contamination: 0.2, method: 'normal' });
    expect(result.effect.cace).toBeCloseTo(result.effect.itt / 0.1, 12);
    expect(result.diagnostics.map((d) => d.code)).toContain('DESIGN_CACE_IMPOSSIBLE');
  });
});

describe('bad input is refused with a clear TrialkitError', () => {
  const ok = { outcome: 'binary', controlRate: 0.12, effect: 0.08 } as const;
  it.each([
    ['take-up not above contamination', { ...ok, takeUp: 0.15, contamination: 0.15 }, 'DESIGN_NO_RECEIPT_DIFFERENCE'],
    ['take-up below contamination', { ...ok, takeUp: 0.1, contamination: 0.3 }, 'DESIGN_NO_RECEIPT_DIFFERENCE'],
    ['ICC of 1', { ...ok, icc: 1, clusterSize: 20 }, 'DESIGN_BAD_PROBABILITY'],
    ['negative ICC', { ...ok, icc: -0.01, clusterSize: 20 }, 'DESIGN_BAD_PROBABILITY'],
    ['ICC without a cluster size', { ...ok, icc: 0.02 }, 'DESIGN_CLUSTER_INCOMPLETE'],
    ['cluster size without an ICC', { ...ok, clusterSize: 20 }, 'DESIGN_CLUSTER_INCOMPLETE'],
    ['cluster CV without clusters', { ...ok, clusterCv: 0.4 }, 'DESIGN_CLUSTER_INCOMPLETE'],
    ['cluster size below 1', { ...ok, icc: 0.02, clusterSize: 0.5 }, 'DESIGN_BAD_NUMBER'],
    ['control rate 0', { ...ok, controlRate: 0 }, 'DESIGN_BAD_PROBABILITY'],
    ['control rate 1.2', { ...ok, controlRate: 1.2 }, 'DESIGN_BAD_PROBABILITY'],
    ['treatment rate above 1', { ...ok, controlRate: 0.95, effect: 0.1 }, 'DESIGN_TREATMENT_RATE_OUT_OF_RANGE'],
    ['power equal to alpha', { ...ok, power: 0.05 }, 'DESIGN_POWER_NOT_ABOVE_ALPHA'],
    ['power below alpha', { ...ok, power: 0.04, alpha: 0.05 }, 'DESIGN_POWER_NOT_ABOVE_ALPHA'],
    ['power 1', { ...ok, power: 1 }, 'DESIGN_BAD_PROBABILITY'],
    ['alpha 0', { ...ok, alpha: 0 }, 'DESIGN_BAD_PROBABILITY'],
    ['R² of 1', { ...ok, r2: 1 }, 'DESIGN_BAD_PROBABILITY'],
    ['ratio 0', { ...ok, ratio: 0 }, 'DESIGN_BAD_NUMBER'],
    ['zero effect', { ...ok, effect: 0 }, 'DESIGN_ZERO_EFFECT'],
    ['NaN effect', { ...ok, effect: Number.NaN }, 'DESIGN_BAD_NUMBER'],
    ['no control rate', { outcome: 'binary', effect: 0.08 }, 'DESIGN_MISSING_VALUE'],
    ['no SD', { outcome: 'continuous', effect: 100 }, 'DESIGN_MISSING_VALUE'],
    ['negative SD', { outcome: 'continuous', effect: 100, sd: -1 }, 'DESIGN_BAD_NUMBER'],
    ['neither n nor effect', { outcome: 'binary', controlRate: 0.12 }, 'DESIGN_NOTHING_TO_SOLVE'],
    ['arcsine for a continuous outcome', { outcome: 'continuous', sd: 1, effect: 1, method: 'arcsine' }, 'DESIGN_METHOD_NOT_FOR_OUTCOME'],
    ['unknown outcome', { outcome: 'count', effect: 1 }, 'DESIGN_BAD_OUTCOME'],
    ['unknown MDE direction', { outcome: 'binary', controlRate: 0.3, n: 500, direction: 'down' }, 'DESIGN_BAD_NUMBER'],
    ['t test with 2 participants', { outcome: 'continuous', sd: 1, effect: 1, n: 2 }, 'DESIGN_SAMPLE_TOO_SMALL'],
    ['t test with 2 clusters', { outcome: 'continuous', sd: 1, effect: 1, n: 40, icc: 0.1, clusterSize: 20 }, 'DESIGN_SAMPLE_TOO_SMALL'],
    ['MDE beyond a rate of 1', { outcome: 'binary', controlRate: 0.5, n: 6, method: 'normal' }, 'DESIGN_POWER_UNREACHABLE'],
  ] as const)('%s', (_name, spec, expected) => {
    expect(code(spec as unknown as DesignSpec)).toBe(expected);
  });
  it('says what is wrong and what to do', () => {
    try {
      planTrial({ ...ok, takeUp: 0.1, contamination: 0.3 });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/cannot detect its effect at any size/);
      expect((error as Error).message).toMatch(/take-up is the share of the treatment arm/);
    }
  });
});
