/** Per-protocol and as-treated contrasts against estimatr::difference_in_means (fixtures/contamination). */
import { describe, expect, it } from 'vitest';
import type { Estimate, TrialkitError } from '@trialkit/core';
import { ContaminationErrorCode, asTreated, perProtocol } from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import type { ComplianceFixture, DimFixture } from './fixture-types.js';
import { fixtureTrial, makeTrial } from './make-trial.js';

const fixture = readFixture<ComplianceFixture>('contamination/compliance.json');

function expectDim(estimate: Estimate, r: DimFixture): void {
  expectClose(estimate.estimate, r.estimate, 1e-8, 1e-14, 'estimate');
  expectClose(estimate.stdError, r.stdError, 1e-8, 0, 'SE');
  expectClose(estimate.df, r.df, 1e-8, 0, 'df');
  expectClose(estimate.pValue, r.pValue, 1e-8, 1e-300, 'p');
  expectClose(estimate.confLow, r.confLow, 1e-8, 1e-14, 'low');
  expectClose(estimate.confHigh, r.confHigh, 1e-8, 1e-14, 'high');
  expect(estimate.nObs).toBe(r.nObs);
}

for (const name of ['trial', 'onesided'] as const) {
  describe(`${name} fixture`, () => {
    const trial = fixtureTrial(fixture[name]);
    it('per-protocol = difference_in_means(y ~ d) on (Z=1, D=1) ∪ (Z=0, D=0)', () => {
      const estimate = perProtocol(trial);
      expectDim(estimate, fixture.expected[name].perProtocol);
      expect(estimate.estimand).toBe('per-protocol');
      expect(estimate.diagnostics.map((d) => d.code)).toEqual(['ESTIMATORS_NOT_RANDOMISED']);
    });
    it('as-treated = difference_in_means(y ~ d) on everyone', () => {
      const estimate = asTreated(trial);
      expectDim(estimate, fixture.expected[name].asTreated);
      expect(estimate.estimand).toBe('as-treated');
      expect(estimate.diagnostics[0]?.severity).toBe('warning');
      expect(estimate.diagnostics[0]?.message).toContain('not formed by randomisation');
    });
  });
}

it('refuses a comparison group with fewer than 2 people', () => {
  let caught: TrialkitError | undefined;
  try {
    perProtocol(makeTrial({ z: [1, 1, 0, 0], d: [1, 1, 0, 1], y: [1, 2, 3, 4] }));
  } catch (error) {
    caught = error as TrialkitError;
  }
  expect(caught?.code).toBe(ContaminationErrorCode.groupTooSmall);
});
