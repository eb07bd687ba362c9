/**
 * Cluster-robust (CR0) standard errors of the compliance, complier and sensitivity results, with clusters =
 * caseworker (40 clusters, individual randomisation), against estimatr (iv_robust / lm_robust CR0) and a matrix
 * delta method with per-cluster influence sums in R (fixtures/contamination/make-fixtures.R, `clustered`).
 */
import { describe, expect, it } from 'vitest';
import {
  complierCharacteristics,
  complierMeans,
  computeCompliance,
  contaminationSensitivity,
} from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import type { ComplianceFixture } from './fixture-types.js';
import { fixtureTrial } from './make-trial.js';

const fixture = readFixture<ComplianceFixture>('contamination/compliance.json');
const expected = fixture.clustered;
const trial = fixtureTrial(fixture.trial, 'y', true);

describe('CR0 standard errors with clusters', () => {
  it('take-up, contamination and complier share = lm_robust CR0', () => {
    const compliance = computeCompliance(trial);
    expectClose(compliance.takeUp.stdError, expected.takeUpSeCR0, 1e-8, 0, 'take-up');
    expectClose(compliance.contamination.stdError, expected.contaminationSeCR0, 1e-8, 0, 'contamination');
    expectClose(compliance.shares.compliers.stdError, expected.complierShareSeCR0, 1e-8, 0, 'π_c');
    expectClose(compliance.shares.alwaysTakers.stdError, expected.contaminationSeCR0, 1e-8, 0, 'π_a');
    expectClose(compliance.shares.neverTakers.stdError, expected.takeUpSeCR0, 1e-8, 0, 'π_n');
    expect(compliance.standardErrors).toBe('cluster-robust-CR0');
    expect(compliance.nClusters).toBe(expected.nClusters);
    const note = compliance.diagnostics.find((d) => d.code === 'ESTIMATORS_COMPLIANCE_CLUSTER_ROBUST');
    expect(note?.severity).toBe('info'); // 40 clusters ≥ 30
    expect(JSON.parse(JSON.stringify(compliance))).toEqual(compliance);
  });

  it('Wald CACE = iv_robust CR0; E[Y(1)|C] = R cluster delta method', () => {
    const means = complierMeans(trial);
    expectClose(means.cace.stdError, expected.waldSeCR0, 1e-8, 0, 'Wald CR0');
    expectClose(means.treatedComplierMean.estimate, expected.treatedComplierMean, 1e-10, 0, 'E[Y(1)|C]');
    expectClose(means.treatedComplierMean.stdError, expected.treatedComplierMeanSeCR0, 1e-8, 0, 'SE E[Y(1)|C]');
    expect(means.standardErrors).toBe('cluster-robust-CR0');
  });

  it('κ complier mean of age: R cluster delta method', () => {
    const age = complierCharacteristics(trial).covariates.find((c) => c.name === 'age')!;
    expectClose(age.compliers.estimate, expected.ageComplierMean.estimate, 1e-10, 0, 'κ mean');
    expectClose(age.compliers.stdError, expected.ageComplierMean.stdError, 1e-8, 0, 'κ SE');
  });

  it('τ(λ): ITT SE = lm_robust CR0, τ SEs = R cluster delta method, τ(1) SE = iv_robust CR0', () => {
    const result = contaminationSensitivity(trial, { lambdas: [0, 0.5, 1] });
    expectClose(result.itt.stdError, expected.ittSeCR0, 1e-8, 0, 'ITT');
    for (const [k, row] of result.rows.entries()) {
      const r = expected.sensitivity[k]!;
      expectClose(row.estimate!, r.estimate, 1e-10, 0, `τ(${row.lambda})`);
      expectClose(row.stdError!, r.stdError, 1e-8, 0, `SE τ(${row.lambda})`);
      expectClose(row.denominator.stdError, r.denominatorStdError, 1e-8, 0, `SE den(${row.lambda})`);
    }
    expectClose(result.rows[2]!.stdError!, expected.waldSeCR0, 1e-8, 0, 'τ(1) vs iv_robust CR0');
  });

  it('few clusters: the note becomes a warning', () => {
    const fewClusters = fixtureTrial(
      { ...fixture.trial, caseworker: fixture.trial.caseworker.map((c) => `team${Number(c.slice(2)) % 5}`) },
      'y',
      true,
    );
    const codes = complierMeans(fewClusters).diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
    expect(codes).toContain('ESTIMATORS_COMPLIER_MEANS_CLUSTER_ROBUST');
  });
});
