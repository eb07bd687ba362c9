/**
 * computeCompliance against R (prop.test Wilson limits, closed-form shares and delta-method SEs in
 * fixtures/contamination/make-fixtures.R) and its diagnostics and refusals.
 */
import { describe, expect, it } from 'vitest';
import type { TrialkitError } from '@trialkit/core';
import { ContaminationErrorCode, computeCompliance } from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import type { ComplianceFixture } from './fixture-types.js';
import { fixtureTrial, makeTrial } from './make-trial.js';

const fixture = readFixture<ComplianceFixture>('contamination/compliance.json');
const Z = 1.959963984540054; // qnorm(0.975)

function catchError(f: () => unknown): TrialkitError {
  try {
    f();
  } catch (error) {
    return error as TrialkitError;
  }
  throw new Error('expected a TrialkitError');
}

describe('computeCompliance on the simulated two-sided trial', () => {
  const expected = fixture.expected.trial;
  const compliance = computeCompliance(fixtureTrial(fixture.trial));

  it('take-up and contamination with Wilson limits equal to prop.test(correct = FALSE)', () => {
    expect(compliance.counts).toEqual({
      treatmentTookUp: expected.x1,
      treatmentDidNotTakeUp: expected.n1 - expected.x1,
      controlTookUp: expected.x0,
      controlDidNotTakeUp: expected.n0 - expected.x0,
    });
    expect([compliance.nTreatment, compliance.nControl, compliance.n]).toEqual([expected.n1, expected.n0, 500]);
    expectClose(compliance.takeUp.estimate, expected.takeUp, 1e-12, 0, 'take-up');
    expectClose(compliance.takeUp.confLow, expected.takeUpCi[0], 1e-8, 0, 'take-up low');
    expectClose(compliance.takeUp.confHigh, expected.takeUpCi[1], 1e-8, 0, 'take-up high');
    expectClose(compliance.takeUp.stdError, expected.takeUpSe, 1e-12, 0, 'take-up SE');
    expectClose(compliance.contamination.estimate, expected.contamination, 1e-12, 0, 'contamination');
    expectClose(compliance.contamination.confLow, expected.contaminationCi[0], 1e-8, 0, 'contamination low');
    expectClose(compliance.contamination.confHigh, expected.contaminationCi[1], 1e-8, 0, 'contamination high');
    expectClose(compliance.contamination.stdError, expected.contaminationSe, 1e-12, 0, 'contamination SE');
  });

  it('shares under monotonicity with delta-method SEs (closed form)', () => {
    const { compliers, alwaysTakers, neverTakers } = compliance.shares;
    expectClose(compliers.estimate, expected.compliers.estimate, 1e-12, 0, 'π_c');
    expectClose(compliers.stdError, expected.compliers.stdError, 1e-12, 0, 'SE π_c');
    expectClose(compliers.confLow, expected.compliers.confLow!, 1e-10, 0, 'π_c low');
    expectClose(compliers.confHigh, expected.compliers.confHigh!, 1e-10, 0, 'π_c high');
    expectClose(alwaysTakers.estimate, expected.alwaysTakers.estimate, 1e-12, 0, 'π_a');
    expectClose(alwaysTakers.stdError, expected.alwaysTakers.stdError, 1e-12, 0, 'SE π_a');
    expectClose(neverTakers.estimate, expected.neverTakers.estimate, 1e-12, 0, 'π_n');
    expectClose(neverTakers.stdError, expected.neverTakers.stdError, 1e-12, 0, 'SE π_n');
    // The three shares add to 1.
    expect(compliers.estimate + alwaysTakers.estimate + neverTakers.estimate).toBeCloseTo(1, 14);
    expect(compliers.confHigh - compliers.estimate).toBeCloseTo(Z * compliers.stdError, 12);
    expect(compliance.noncompliance).toBe('two-sided');
    expect(compliance.diagnostics).toEqual([]);
  });

  it('take-up and contamination by office, with prop.test Wilson limits', () => {
    const byGroup = compliance.byGroup;
    expect(byGroup?.name).toBe('office');
    expect(byGroup?.groups.map((g) => g.label)).toEqual(expected.byOffice.map((g) => g.label));
    for (const [k, group] of (byGroup?.groups ?? []).entries()) {
      const r = expected.byOffice[k]!;
      expect([group.nTreatment, group.nControl]).toEqual([r.nTreatment, r.nControl]);
      expectClose(group.takeUp!.estimate, r.takeUp, 1e-12, 0, `${r.label} take-up`);
      expectClose(group.takeUp!.confLow, r.takeUpCi[0], 1e-8, 0, `${r.label} take-up low`);
      expectClose(group.takeUp!.confHigh, r.takeUpCi[1], 1e-8, 0, `${r.label} take-up high`);
      expectClose(group.contamination!.estimate, r.contamination, 1e-12, 0, `${r.label} contamination`);
      expectClose(group.contamination!.confLow, r.contaminationCi[0], 1e-8, 0, `${r.label} contamination low`);
      expectClose(group.contamination!.confHigh, r.contaminationCi[1], 1e-8, 0, `${r.label} contamination high`);
      expectClose(group.complierShare!.estimate, r.takeUp - r.contamination, 1e-12, 1e-15, `${r.label} π_c`);
    }
  });

  it('is plain JSON (survives a round trip unchanged)', () => {
    expect(JSON.parse(JSON.stringify(compliance))).toEqual(compliance);
  });

  it('honours the level', () => {
    const at90 = computeCompliance(fixtureTrial(fixture.trial), { level: 0.9 });
    expect(at90.takeUp.confHigh - at90.takeUp.confLow).toBeLessThan(compliance.takeUp.confHigh - compliance.takeUp.confLow);
    expect(at90.level).toBe(0.9);
  });
});

describe('noncompliance patterns and diagnostics', () => {
  it('recognises one-sided non-take-up (no contamination) and says so', () => {
    const expected = fixture.expected.onesided;
    const compliance = computeCompliance(fixtureTrial(fixture.onesided));
    expect(compliance.noncompliance).toBe('one-sided-non-take-up');
    expect(compliance.contamination.estimate).toBe(0);
    expect(compliance.contamination.confLow).toBe(0);
    expectClose(compliance.contamination.confHigh, expected.contaminationCi[1], 1e-8, 0, 'Wilson upper at 0');
    expect(compliance.shares.alwaysTakers.stdError).toBe(0);
    expectClose(compliance.shares.compliers.estimate, expected.takeUp, 1e-12, 0, 'π_c = take-up');
    expect(compliance.diagnostics.map((d) => d.code)).toContain('ESTIMATORS_COMPLIANCE_ONE_SIDED');
  });

  it('recognises contamination-only noncompliance and full compliance', () => {
    const contaminationOnly = computeCompliance(makeTrial({ z: [1, 1, 1, 0, 0, 0, 0], d: [1, 1, 1, 0, 1, 0, 0], y: [0, 0, 0, 0, 0, 0, 0] }));
    expect(contaminationOnly.noncompliance).toBe('one-sided-contamination');
    const none = computeCompliance(makeTrial({ z: [1, 1, 0, 0], d: [1, 1, 0, 0], y: [0, 0, 0, 0] }));
    expect(none.noncompliance).toBe('none');
    expect(none.shares.compliers.estimate).toBe(1);
  });

  it('warns when the complier share is negative (monotonicity in doubt)', () => {
    const compliance = computeCompliance(makeTrial({ z: [1, 1, 1, 1, 0, 0, 0, 0], d: [1, 0, 0, 0, 1, 1, 0, 0], y: [0, 0, 0, 0, 0, 0, 0, 0] }));
    expect(compliance.shares.compliers.estimate).toBeCloseTo(-0.25, 15);
    const codes = compliance.diagnostics.map((d) => d.code);
    expect(codes).toContain('ESTIMATORS_COMPLIANCE_NEGATIVE_COMPLIER_SHARE');
    expect(compliance.diagnostics.find((d) => d.code === 'ESTIMATORS_COMPLIANCE_NEGATIVE_COMPLIER_SHARE')?.severity).toBe('warning');
  });

  it('warns when the complier share is small or its interval reaches 0', () => {
    const z = [...Array(50).fill(1), ...Array(50).fill(0)];
    const d = [...Array(10).fill(1), ...Array(40).fill(0), ...Array(8).fill(1), ...Array(42).fill(0)];
    const compliance = computeCompliance(makeTrial({ z, d, y: z.map(() => 0) }));
    expect(compliance.shares.compliers.estimate).toBeCloseTo(0.04, 14);
    expect(compliance.diagnostics.map((x) => x.code)).toEqual(['ESTIMATORS_COMPLIANCE_SMALL_COMPLIER_SHARE']);
  });

  it('says that clusters are ignored, and reports groups with one arm as null', () => {
    const compliance = computeCompliance(
      makeTrial({
        z: [1, 1, 0, 0, 1, 1],
        d: [1, 0, 0, 1, 1, 1],
        y: [0, 0, 0, 0, 0, 0],
        by: { name: 'month', values: ['2026-01', '2026-01', '2026-01', '2026-01', '2026-02', '2026-02'] },
        cluster: ['a', 'a', 'b', 'b', 'c', 'c'],
      }),
    );
    const codes = compliance.diagnostics.map((d) => d.code);
    expect(codes).toContain('ESTIMATORS_COMPLIANCE_CLUSTER_ROBUST');
    expect(codes).toContain('ESTIMATORS_COMPLIANCE_GROUP_ONE_ARM');
    const february = compliance.byGroup?.groups.find((g) => g.label === '2026-02');
    expect(february?.contamination).toBeNull();
    expect(february?.complierShare).toBeNull();
    expect(february?.takeUp?.estimate).toBe(1);
  });
});

describe('bad input is refused', () => {
  it('no received column', () => {
    const error = catchError(() => computeCompliance(makeTrial({ z: [1, 0], y: [1, 0] })));
    expect(error.code).toBe(ContaminationErrorCode.noReceived);
    expect(error.argument).toBe('--received');
  });
  it('a received value that is not 0/1, with its source row', () => {
    const error = catchError(() => computeCompliance(makeTrial({ z: [1, 1, 0, 0], d: [1, 0.5, 0, 0], y: [0, 0, 0, 0] })));
    expect(error.code).toBe(ContaminationErrorCode.receivedNotBinary);
    expect(error.row).toBe(2);
    expect(error.column).toBe('d');
  });
  it('an empty arm', () => {
    const error = catchError(() => computeCompliance(makeTrial({ z: [1, 1], d: [1, 0], y: [0, 0] })));
    expect(error.code).toBe(ContaminationErrorCode.armTooSmall);
  });
  it('a level outside (0, 1), for every analysis', async () => {
    const { complierMeans, contaminationSensitivity, complierCharacteristics } = await import('../../src/contamination/index.js');
    const trial = fixtureTrial(fixture.trial);
    for (const f of [computeCompliance, complierMeans, contaminationSensitivity, complierCharacteristics]) {
      expect(catchError(() => f(trial, { level: 1.5 })).code).toBe('CORE_BAD_LEVEL');
    }
  });
  it('a grouping with the wrong length', () => {
    const trial = makeTrial({ z: [1, 0], d: [1, 0], y: [0, 0] });
    const error = catchError(() => computeCompliance(trial, { by: { name: 'office', labels: ['a'], codes: Int32Array.from([0]) } }));
    expect(error.code).toBe(ContaminationErrorCode.badGrouping);
  });
});

describe('analyseContamination', () => {
  it('collects every part for a two-sided trial, and nulls what cannot be computed with a reason', async () => {
    const { analyseContamination } = await import('../../src/contamination/index.js');
    const full = analyseContamination(fixtureTrial(fixture.trial, 'yb'), { protocolContrasts: true });
    expect(full.noncompliance).toBe('two-sided');
    expect(full.takeUp).toEqual(computeCompliance(fixtureTrial(fixture.trial, 'yb')).takeUp);
    expect(full.complierMeans?.cace.estimate).toBeDefined();
    expect(full.sensitivity?.rows).toHaveLength(11);
    expect(full.bounds).not.toBeNull(); // yb is 0/1
    expect(full.protocolContrasts.map((e) => e.estimand)).toEqual(['per-protocol', 'as-treated']);
    expect(full.diagnostics).toEqual([]);
    expect(JSON.parse(JSON.stringify(full))).toEqual(full); // plain JSON: no NaN, Infinity or undefined inside

    const continuous = analyseContamination(fixtureTrial(fixture.trial, 'y'));
    expect(continuous.bounds).toBeNull();
    expect(continuous.protocolContrasts).toEqual([]);

    const noCompliers = analyseContamination(makeTrial({ z: [1, 1, 0, 0], d: [1, 0, 1, 0], y: [1, 0, 1, 0] }));
    expect(noCompliers.complierMeans).toBeNull();
    expect(noCompliers.complierCharacteristics).toBeNull();
    expect(noCompliers.diagnostics.map((d) => d.code)).toContain('ESTIMATORS_CONTAMINATION_PART_SKIPPED');
    expect(noCompliers.shares.compliers.estimate).toBe(0);
  });
});

describe('complianceReportData (the report’s ComplianceSummary shape)', () => {
  it('maps take-up, contamination by group and month, shares, characteristics and the τ(λ) curve', async () => {
    const { complianceReportData, complierCharacteristics, contaminationSensitivity } = await import('../../src/contamination/index.js');
    const trial = fixtureTrial(fixture.trial);
    const compliance = computeCompliance(trial);
    const data = complianceReportData(compliance, {
      armLabels: { treatment: 'WHP', control: 'Usual support' },
      groupLabel: 'Jobcentre office',
      byMonth: compliance,
      complierCharacteristics: complierCharacteristics(trial),
      sensitivity: contaminationSensitivity(trial),
    });
    expect(data.takeUp.map((r) => [r.group, r.arm, r.count, r.n])).toEqual([
      ['WHP', 'treatment', compliance.counts.treatmentTookUp, compliance.nTreatment],
      ['Usual support', 'control', compliance.counts.controlTookUp, compliance.nControl],
    ]);
    expect(data.takeUp[1]!.confHigh).toBe(compliance.contamination.confHigh);
    expect(data.contaminationByGroup).toHaveLength(10); // 5 offices × 2 arms
    expect(data.contaminationByGroup?.filter((r) => r.arm === 'treatment').map((r) => r.group)).toEqual(['Bradford', 'Hull', 'Leeds', 'Wakefield', 'York']);
    expect(data.contaminationByMonth).toEqual(data.contaminationByGroup);
    expect(data.complierShare.estimate).toBe(compliance.shares.compliers.estimate);
    expect(data.complierCharacteristics?.map((c) => c.variable)).toEqual(['age', 'female']);
    expect(data.sensitivity).toHaveLength(11);
    expect(data.sensitivity?.[10]?.confLow).toBeDefined();
    expect(data.groupLabel).toBe('Jobcentre office');
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
  it('drops the interval of τ(λ) where its denominator is weak, and says so', async () => {
    const { complianceReportData, contaminationSensitivity } = await import('../../src/contamination/index.js');
    const trial = makeTrial(fixture.weak);
    const data = complianceReportData(computeCompliance(trial), { sensitivity: contaminationSensitivity(trial, { lambdas: [0, 0.9] }) });
    expect(data.sensitivity?.[0]?.confLow).toBeDefined();
    expect(Object.keys(data.sensitivity?.[1] ?? {})).toEqual(['lambda', 'estimate']);
    expect(data.sensitivity?.[1]?.estimate).toBeCloseTo(30, 10);
    expect(data.notes.some((n) => n.includes('without an interval'))).toBe(true);
  });
});
