import { describe, expect, it } from 'vitest';
import type { Column, Dataset } from '@trialkit/core';
import { prepareTrial } from '@trialkit/data';
import { estimate } from '../../src/estimate.js';
import { subgroupAnalysis, SubgroupDiagnosticCode, SubgroupErrorCode } from '../../src/subgroups/index.js';
import { expectClose, readFixture } from '../fixtures.js';

// Expected values: estimatr 1.0.0 (fixtures/subgroups/make-fixtures.R): difference_in_means / lm_robust per level,
// lm_robust(y ~ z * factor(g) + covs) and the Wald test computed from its coef() and vcov() (clustered cases also
// equal clubSandwich::Wald_test "chi-sq" and "Naive-F"). jsonlite writes length-1 vectors as scalars; NA as null.
type Scalars<T> = T | T[];
interface LevelFixture {
  level: string;
  nTreatment: number;
  nControl: number;
  estimated: boolean;
  nObs?: number;
  estimate?: number;
  stdError?: number;
  df?: number;
  pValue?: number;
  confLow?: number;
  confHigh?: number;
}
interface CaseFixture {
  name: string;
  outcome: string;
  subgroup: string;
  covariates: Scalars<string> | Record<string, never>;
  cluster: string | null;
  blocks: string | null;
  lin: boolean;
  minimumArmSize: number;
  excluded: Scalars<string> | Record<string, never>;
  data: Record<string, Scalars<number | string | null>>;
  levels: LevelFixture[];
  interaction: {
    terms: Scalars<string>;
    coefficients: Scalars<number>;
    vcov: Scalars<number>;
    wald: number;
    q: number;
    fStatistic: number;
    dfDenominator: number;
    pValueF: number;
    pValueChisq: number;
    nObs: number;
    seType: string;
  };
  contrast: { estimate: number; stdError: number; df: number; pValue: number; confLow: number; confHigh: number } | null;
}
const fixture = readFixture<{ cases: CaseFixture[] }>('subgroups/cases.json');
const list = <T>(x: Scalars<T> | Record<string, never>): T[] => (Array.isArray(x) ? x : typeof x === 'object' && x !== null ? [] : [x as T]);

function dataset(data: CaseFixture['data']): Dataset {
  const columns: Column[] = Object.entries(data).map(([name, raw]) => {
    const values = list(raw);
    return values.some((v) => typeof v === 'string')
      ? { kind: 'text', name, values: values.map((v) => (v === null ? null : String(v))) }
      : { kind: 'number', name, values: Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number))) };
  });
  return { nRows: list(Object.values(data)[0]!).length, columns };
}

function specOf(c: CaseFixture) {
  const covariates = list(c.covariates);
  return {
    roles: {
      outcome: c.outcome,
      assignment: 'z',
      ...(covariates.length > 0 ? { covariates } : {}),
      ...(c.cluster !== null ? { cluster: c.cluster } : {}),
      ...(c.blocks !== null ? { blocks: c.blocks } : {}),
    },
    ...(c.lin ? { lin: true } : {}),
    subgroup: c.subgroup,
    minimumArmSize: c.minimumArmSize,
  };
}

describe('subgroupAnalysis against estimatr', () => {
  for (const c of fixture.cases) {
    describe(c.name, () => {
      const result = subgroupAnalysis(dataset(c.data), specOf(c));
      it('estimates each level as R does for that level alone', () => {
        expect(result.levels.map((l) => l.level)).toEqual(c.levels.map((l) => l.level));
        c.levels.forEach((expected, g) => {
          const actual = result.levels[g]!;
          expect(actual.nTreatment).toBe(expected.nTreatment);
          expect(actual.nControl).toBe(expected.nControl);
          expect(actual.estimated, expected.level).toBe(expected.estimated);
          if (!expected.estimated) {
            expect(actual.estimate).toBeNull();
            return;
          }
          const e = actual.estimate!;
          expect(e.nObs).toBe(expected.nObs);
          expect(e['subgroup']).toBe(`${c.subgroup} = ${expected.level}`);
          for (const key of ['estimate', 'stdError', 'df', 'pValue', 'confLow', 'confHigh'] as const)
            expectClose(e[key], expected[key]!, 1e-8, 1e-12, `${expected.level} ${key}`);
        });
      });
      it('tests the treatment × subgroup interaction with R’s robust Wald test', () => {
        const h = result.heterogeneity!;
        const r = c.interaction;
        expect(h.q).toBe(r.q);
        expect(h.dfNumerator).toBe(r.q);
        expect(h.dfDenominator).toBe(r.dfDenominator);
        expect(h.nObs).toBe(r.nObs);
        expect(h.seType).toBe(r.seType);
        list(r.coefficients).forEach((value, j) => expectClose(h.coefficients[j]!, value, 1e-8, 1e-12, `b[${j}]`));
        list(r.vcov).forEach((value, j) => expectClose(h.vcov[j]!, value, 1e-8, 1e-15, `V[${j}]`));
        expectClose(h.wald, r.wald, 1e-8, 1e-14, 'W');
        expectClose(h.fStatistic, r.fStatistic, 1e-8, 1e-14, 'F');
        expectClose(h.pValue, r.pValueF, 1e-8, 1e-14, 'p (F)');
        expectClose(h.chiSquarePValue, r.pValueChisq, 1e-8, 1e-14, 'p (χ²)');
        expect(h.levelsTested).toEqual(c.levels.filter((l) => l.estimated).map((l) => l.level));
        expect(h.terms).toHaveLength(r.q);
      });
      it(c.contrast === null ? 'has no single contrast (more than two levels tested)' : 'reports the interaction coefficient for two levels', () => {
        if (c.contrast === null) {
          expect(result.contrast).toBeNull();
          return;
        }
        const e = result.contrast!;
        expect(e.estimand).toBe('interaction');
        for (const key of ['estimate', 'stdError', 'df', 'pValue', 'confLow', 'confHigh'] as const)
          expectClose(e[key], c.contrast[key], 1e-8, 1e-12, `contrast ${key}`);
      });
    });
  }
});

describe('subgroupAnalysis: properties and diagnostics', () => {
  const base = fixture.cases[0]!;
  const data = dataset(base.data);
  const spec = specOf(base);

  it('with two levels and no covariates, the interaction is the difference of the two ITTs and its HC2 variance the sum of theirs', () => {
    const result = subgroupAnalysis(data, spec);
    const [a, b] = result.levels.map((l) => l.estimate!);
    expectClose(result.contrast!.estimate, b!.estimate - a!.estimate, 1e-12, 1e-12, 'difference');
    expectClose(result.contrast!.stdError ** 2, a!.stdError ** 2 + b!.stdError ** 2, 1e-10, 1e-12, 'variance');
    // One restriction: F = t² of the contrast, and the same p-value with df N − rank.
    expectClose(result.heterogeneity!.fStatistic, result.contrast!.statistic ** 2, 1e-10, 1e-14, 'F = t²');
  });

  it('gives the level estimates estimate() gives on the level’s rows', () => {
    const result = subgroupAnalysis(data, spec);
    const rows = result.levels[1]!.estimate!;
    const level1 = dataset(
      Object.fromEntries(
        Object.entries(base.data).map(([k, v]) => [k, list(v).filter((_, i) => list(base.data['female']!)[i] === '1')]),
      ) as CaseFixture['data'],
    );
    const direct = estimate(level1, { roles: { outcome: 'earnings', assignment: 'z' } }).estimates[0]!;
    expect(rows.estimate).toBe(direct.estimate);
    expect(rows.stdError).toBe(direct.stdError);
  });

  it('accepts a PreparedTrial grouped by the subgroup, and refuses one that is not', () => {
    const trial = prepareTrial(data, { outcome: 'earnings', assignment: 'z', by: 'female' });
    const fromTrial = subgroupAnalysis(trial, spec);
    expect(fromTrial.heterogeneity!.wald).toBe(subgroupAnalysis(data, spec).heterogeneity!.wald);
    const ungrouped = prepareTrial(data, { outcome: 'earnings', assignment: 'z' });
    expect(() => subgroupAnalysis(ungrouped, spec)).toThrow(expect.objectContaining({ code: SubgroupErrorCode.preparedWithoutSubgroup }));
  });

  it('refuses a bad minimum arm size, maximum number of levels or subgroup name', () => {
    expect(() => subgroupAnalysis(data, { ...spec, minimumArmSize: 1 })).toThrow(expect.objectContaining({ code: SubgroupErrorCode.badMinimumArmSize }));
    expect(() => subgroupAnalysis(data, { ...spec, minimumArmSize: 2.5 })).toThrow(expect.objectContaining({ code: SubgroupErrorCode.badMinimumArmSize }));
    expect(() => subgroupAnalysis(data, { ...spec, maximumLevels: 1 })).toThrow(expect.objectContaining({ code: SubgroupErrorCode.badMaximumLevels }));
    expect(() => subgroupAnalysis(data, { ...spec, subgroup: '' })).toThrow(expect.objectContaining({ code: SubgroupErrorCode.badSubgroup }));
    expect(() => subgroupAnalysis(data, { ...spec, subgroup: 'femal' })).toThrow(/"femal" \(given as the subgroup\)/);
  });

  it('compares levels within blocks (block fixed effects): no spurious interaction, and the blocks\' variation absorbed', () => {
    // Block A: 75% treated, 90% of it level x; block B: 25% treated, half level x. The outcome is 5 higher in A and the
    // effect is +1 everywhere (no heterogeneity). Without block fixed effects arm, block and level are confounded.
    const z: number[] = [];
    const block: string[] = [];
    const g: string[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const inA = i < 200;
      block.push(inA ? 'A' : 'B');
      g.push(inA ? (Math.floor(i / 7) % 10 < 9 ? 'x' : 'y') : Math.floor(i / 3) % 2 === 0 ? 'x' : 'y');
      const treated = inA ? i % 4 !== 0 : i % 4 === 0;
      z.push(treated ? 1 : 0);
      y.push((inA ? 5 : 0) + (treated ? 1 : 0) + (((i * 7) % 11) - 5) / 10);
    }
    const column = (name: string, values: number[] | string[]): Column =>
      typeof values[0] === 'number' ? { kind: 'number', name, values: Float64Array.from(values as number[]) } : { kind: 'text', name, values: values as string[] };
    const data: Dataset = { nRows: 400, columns: [column('z', z), column('block', block), column('g', g), column('y', y)] };
    const blocked = subgroupAnalysis(data, { roles: { outcome: 'y', assignment: 'z', blocks: 'block' }, subgroup: 'g' });
    const unblocked = subgroupAnalysis(data, { roles: { outcome: 'y', assignment: 'z' }, subgroup: 'g' });
    expect(Math.abs(blocked.contrast!.estimate)).toBeLessThan(2 * blocked.contrast!.stdError); // no heterogeneity
    // The block fixed effects absorb the blocks' +5: the interaction is far more precise than without them.
    expect(blocked.contrast!.stdError).toBeLessThan(unblocked.contrast!.stdError / 4);
    expect(blocked.diagnostics.map((d) => d.code)).toContain(SubgroupDiagnosticCode.testBlockFixedEffects);
  });

  it('says that the interaction test has block fixed effects and adjusts additively under Lin', () => {
    const blocked = fixture.cases.find((c) => c.name === 'blocked-2-levels')!;
    const b = subgroupAnalysis(dataset(blocked.data), specOf(blocked));
    expect(b.levels.map((l) => l.estimate!.estimator)).toEqual(['difference_in_means', 'difference_in_means']);
    expect(b.levels.map((l) => l.estimate!['nBlocks'])).toEqual([5, 4]); // "office 5" has no one with disabled = 1
    expect(b.diagnostics.map((d) => d.code)).toContain(SubgroupDiagnosticCode.testBlockFixedEffects);
    const lin = fixture.cases.find((c) => c.name === 'lin-3-levels')!;
    const l = subgroupAnalysis(dataset(lin.data), specOf(lin));
    expect(l.levels.map((x) => x.estimate!.estimator)).toEqual(['lm_lin', 'lm_lin', 'lm_lin']);
    expect(l.diagnostics.map((d) => d.code)).toContain(SubgroupDiagnosticCode.testWithoutLin);
  });

  it('warns when a level\'s outcome does not vary in either arm (its ITT has SE 0, and the test takes it as known)', () => {
    // A binary job outcome that nobody in level "c" reaches: the level's ITT is 0 with SE 0 (p and CI undefined, as
    // estimatr gives them), and the HC2 interaction test treats that 0 as exact, which overstates the evidence.
    const n = 120;
    const z = Array.from({ length: n }, (_, i) => i % 2);
    const g = Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][Math.floor(i / 2) % 3]!);
    const job = Array.from({ length: n }, (_, i) => (g[i] === 'c' ? 0 : (i * 7) % 5 < 1 + z[i]! ? 1 : 0));
    const result = subgroupAnalysis(dataset({ job, z, g }), { roles: { outcome: 'job', assignment: 'z' }, subgroup: 'g' });
    const c = result.levels.find((l) => l.level === 'c')!;
    expect(c.estimate!.stdError).toBe(0);
    expect(result.heterogeneity).not.toBeNull();
    const flagged = result.diagnostics.filter((d) => d.code === SubgroupDiagnosticCode.levelNoVariation);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.severity).toBe('warning');
    expect(flagged[0]!.message).toMatch(/g = c has a standard error of 0/);
    expect(flagged[0]!.message).toMatch(/interaction test/);
    // Levels with variation are not flagged.
    const varied = subgroupAnalysis(dataset({ job: job.map((v, i) => (g[i] === 'c' ? (i % 4 === 1 ? 1 : 0) : v)), z, g }), { roles: { outcome: 'job', assignment: 'z' }, subgroup: 'g' });
    expect(varied.diagnostics.map((d) => d.code)).not.toContain(SubgroupDiagnosticCode.levelNoVariation);
  });

  it('in a cluster-randomised trial leaves out a level with one cluster in an arm (its clustered SE is 0)', () => {
    // 12 offices of 10, whole offices assigned; level "z" holds only office 10 (control) and office 11 (treated):
    // 10 participants per arm, but one cluster each, so CR2 gives the level's ITT an SE of 0 and the interaction
    // test took its effect as exact. It is now not estimated and left out of the test.
    const cl: number[] = [];
    const z: number[] = [];
    const g: string[] = [];
    const y: number[] = [];
    for (let c = 0; c < 12; c++) {
      for (let j = 0; j < 10; j++) {
        cl.push(c);
        z.push(c % 2);
        g.push(c < 4 ? 'x' : c < 10 ? 'y' : 'z');
        y.push(((c * 31 + j * 17) % 13) + (c % 2) * 2 + (c % 3));
      }
    }
    const result = subgroupAnalysis(dataset({ y, z, g, cl }), { roles: { outcome: 'y', assignment: 'z', cluster: 'cl' }, subgroup: 'g' });
    const level = result.levels.find((l) => l.level === 'z')!;
    expect(level.estimated).toBe(false);
    expect(level.nTreatment).toBe(10);
    expect(level.reason).toBe('1 cluster in its smaller arm (a cluster-randomised level needs at least 2 in each arm)');
    expect(result.heterogeneity!.levelsTested).toEqual(['x', 'y']);
    expect(result.diagnostics.map((d) => d.code)).toContain(SubgroupDiagnosticCode.levelTooSmall);
    expect(result.diagnostics.map((d) => d.code)).not.toContain(SubgroupDiagnosticCode.levelNoVariation);
  });

  it('leaves a level below the minimum out of the estimates and the test, with a diagnostic', () => {
    const small = fixture.cases.find((c) => c.name === 'small-level-excluded')!;
    const result = subgroupAnalysis(dataset(small.data), specOf(small));
    const islands = result.levels.find((l) => l.level === 'islands')!;
    expect(islands.estimated).toBe(false);
    expect(islands.reason).toBe('3 participants in its smaller arm (minimum 5)');
    expect(result.diagnostics.filter((d) => d.code === SubgroupDiagnosticCode.levelTooSmall)).toHaveLength(1);
    expect(result.heterogeneity!.levelsTested).toEqual(['east', 'north', 'south']);
  });

  it('estimates nothing for a subgroup with too many levels, and says so', () => {
    const analysis = subgroupAnalysis(
      { nRows: 40, columns: [
        { kind: 'number', name: 'y', values: Float64Array.from({ length: 40 }, (_, i) => (i * 7) % 11) },
        { kind: 'number', name: 'z', values: Float64Array.from({ length: 40 }, (_, i) => i % 2) },
        { kind: 'number', name: 'age', values: Float64Array.from({ length: 40 }, (_, i) => 20 + Math.floor(i / 2)) },
      ] },
      { roles: { outcome: 'y', assignment: 'z' }, subgroup: 'age' },
    );
    expect(analysis.levels).toHaveLength(20);
    expect(analysis.levels.every((l) => !l.estimated && l.reason === 'too many levels (20 > 12)')).toBe(true);
    expect(analysis.heterogeneity).toBeNull();
    expect(analysis.diagnostics.map((d) => d.code)).toContain(SubgroupDiagnosticCode.tooManyLevels);
  });

  it('has no test when fewer than two levels can be estimated', () => {
    const result = subgroupAnalysis(data, { ...spec, minimumArmSize: 100 });
    expect(result.levels.map((l) => l.estimated)).toEqual([false, false]);
    expect(result.heterogeneity).toBeNull();
    expect(result.contrast).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual([SubgroupDiagnosticCode.levelTooSmall, SubgroupDiagnosticCode.levelTooSmall, SubgroupDiagnosticCode.noTest]);
  });
});

describe('subgroupAnalysis: the subgroup also a covariate', () => {
  it('drops the collinear covariate, not the interaction, and tests the same thing', () => {
    const base = fixture.cases[0]!;
    const data = dataset(base.data);
    const plain = subgroupAnalysis(data, specOf(base));
    const adjusted = subgroupAnalysis(data, { ...specOf(base), roles: { outcome: 'earnings', assignment: 'z', covariates: ['female'] } });
    expect(adjusted.heterogeneity!.q).toBe(1);
    expectClose(adjusted.heterogeneity!.wald, plain.heterogeneity!.wald, 1e-10, 1e-14, 'W');
    expect(adjusted.diagnostics.map((d) => d.code)).toContain('EST_COLLINEAR_DROPPED');
  });
});
