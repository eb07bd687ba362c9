/**
 * Cluster-robust risk and odds ratios against R: glm(y ~ z, binomial(link = "log" | "logit")) with
 * sandwich::vcovCL(cluster = ~ g, type = "HC0") — fixtures/binary-clustered/make-fixtures.R — at 1e-8 relative.
 */
import { describe, expect, it } from 'vitest';
import { oddsRatio, riskRatio } from '../../src/binary/index.js';
import { expectClose, grouping, readFixture } from '../fixtures.js';

interface Measure {
  logEstimate: number;
  stdError: number;
  estimate: number;
  confLow: number;
  confHigh: number;
  pValue: number;
}
interface Case {
  name: string;
  level: number;
  data: { y: number[]; z: number[]; g: string[] };
  rr: Measure;
  or: Measure;
}
const fixture = readFixture<{ r_version: string; sandwich_version: string; cases: Case[] }>('binary-clustered/cases.json');

function trialOf(c: Case) {
  const n = c.data.y.length;
  return {
    n,
    outcome: { name: 'y', values: Float64Array.from(c.data.y) },
    assignment: { name: 'z', values: Float64Array.from(c.data.z) },
    covariates: [],
    cluster: grouping('g', c.data.g),
    sourceRows: Uint32Array.from({ length: n }, (_, i) => i + 1),
  };
}

describe(`cluster-robust risk and odds ratios (R ${fixture.r_version}, sandwich ${fixture.sandwich_version})`, () => {
  for (const c of fixture.cases) {
    it(`${c.name}: RR and OR, their cluster-robust log-scale SE, CI and p as vcovCL of the saturated GLM`, () => {
      const trial = trialOf(c);
      for (const [estimate, expected, label] of [
        [riskRatio(trial, { level: c.level }), c.rr, 'RR'],
        [oddsRatio(trial, { level: c.level }), c.or, 'OR'],
      ] as const) {
        expect(estimate.seType).toBe('CR0-log');
        expectClose(estimate['logEstimate'] as number, expected.logEstimate, 1e-8, 0, `${label} log estimate`);
        expectClose(estimate.estimate, expected.estimate, 1e-8, 0, `${label} estimate`);
        expectClose(estimate.stdError, expected.stdError, 1e-8, 0, `${label} SE`);
        expectClose(estimate.confLow, expected.confLow, 1e-8, 0, `${label} low`);
        expectClose(estimate.confHigh, expected.confHigh, 1e-8, 0, `${label} high`);
        expectClose(estimate.pValue, expected.pValue, 1e-8, 0, `${label} p`);
        const codes = estimate.diagnostics.map((d) => d.code);
        expect(codes).toContain('ESTIMATORS_BINARY_CLUSTER_ROBUST');
        expect(codes).not.toContain('ESTIMATORS_BINARY_IGNORES_CLUSTERS');
      }
    });
  }

  it('is wider than the Katz / Woolf interval when outcomes are correlated within clusters', () => {
    const c = fixture.cases.find((x) => x.name === 'cluster-randomised-24')!;
    const trial = trialOf(c);
    const { cluster: _cluster, ...unclustered } = trial;
    expect(riskRatio(trial).stdError).toBeGreaterThan(riskRatio(unclustered).stdError);
    expect(oddsRatio(trial).stdError).toBeGreaterThan(oddsRatio(unclustered).stdError);
  });
});
