/**
 * attritionAnalysis() against R (fixtures/attrition/make-fixtures.R): response by arm, estimatr 1.0.0's
 * difference_in_means on the response indicator, chisq.test / prop.test (correct = FALSE), fisher.test, and the
 * script's independent Lee (2009) implementation — all at 1e-8 relative.
 */
import { describe, expect, it } from 'vitest';
import { attritionAnalysis } from '../../src/attrition/index.js';
import { expectClose } from '../fixtures.js';
import { caseDataset, dataset, numberColumn, readAttritionFixture, textColumn } from './helpers.js';

const fixture = readAttritionFixture();
const REL = 1e-8;

describe('attritionAnalysis matches R on every fixture case', () => {
  it('has the cases the issue asks for', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual([
      'continuous, treatment responds more',
      'treatment responds less (control trimmed), level 0.9',
      'earnings with many zeros and ties',
      'no differential attrition (p = 0)',
      'small n',
      'blocked, integer kept mass',
      'larger trial',
      'cluster-randomised (30 practices)',
    ]);
  });

  for (const c of fixture.cases) {
    describe(c.name, () => {
      const result = attritionAnalysis(caseDataset(c), {
        outcome: 'y',
        assignment: 'z',
        ...(c.responded === null ? {} : { responded: 'responded' }),
        ...(c.block === null ? {} : { blocks: 'office' }),
        ...(c.cluster === null ? {} : { cluster: 'practice' }),
        level: c.level,
      });

      it('counts response by arm', () => {
        expect(result.response.control.nAssigned).toBe(c.response.n_assigned[0]);
        expect(result.response.treatment.nAssigned).toBe(c.response.n_assigned[1]);
        expect(result.response.control.nResponded).toBe(c.response.n_responded[0]);
        expect(result.response.treatment.nResponded).toBe(c.response.n_responded[1]);
        expect(result.response.control.responseRate).toBe(c.response.n_responded[0] / c.response.n_assigned[0]);
        expect(result.responded).toBe(c.responded === null ? 'observed(y)' : 'responded');
      });

      it('estimates the response-rate difference as estimatr difference_in_means', () => {
        const d = result.difference;
        expect(d.design).toBe(c.dim.design);
        expect(d.estimand).toBe('response-rate difference');
        expectClose(d.estimate, c.dim.estimate, REL, 1e-14, 'estimate');
        expectClose(d.stdError, c.dim.std_error, REL, 1e-14, 'std.error');
        expectClose(d.statistic, c.dim.statistic, REL, 1e-12, 'statistic');
        expectClose(d.df, c.dim.df, REL, 1e-12, 'df');
        expectClose(d.pValue, c.dim.p_value, REL, 1e-14, 'p.value');
        expectClose(d.confLow, c.dim.conf_low, REL, 1e-14, 'conf.low');
        expectClose(d.confHigh, c.dim.conf_high, REL, 1e-14, 'conf.high');
      });

      it("tests independence as chisq.test, prop.test and fisher.test", () => {
        expectClose(result.chiSquare.statistic!, c.chisq.statistic, REL, 1e-13, 'X2');
        expectClose(result.chiSquare.statistic!, c.prop_test.statistic, REL, 1e-13, 'prop.test X2');
        expectClose(result.chiSquare.pValue!, c.chisq.p_value, REL, 1e-15, 'chisq p');
        expectClose(result.chiSquare.minExpected, c.chisq.min_expected, 1e-12, 1e-12, 'min expected');
        expectClose(result.fisher.pValue, c.fisher.p_value, REL, 1e-15, 'fisher p');
      });

      it('computes Lee bounds, their standard errors and intervals', () => {
        const lee = result.lee;
        const r = c.lee;
        expect(lee.trimmedArm).toBe(r.trimmed_arm);
        expectClose(lee.trimProportion, r.trim_proportion, REL, 1e-15, 'p');
        expectClose(lee.keptMass, r.kept_mass, REL, 0, 'K');
        expectClose(lee.lower, r.lower, REL, 1e-12, 'lower');
        expectClose(lee.upper, r.upper, REL, 1e-12, 'upper');
        expectClose(lee.seLower, r.se_lower, REL, 0, 'se lower');
        expectClose(lee.seUpper, r.se_upper, REL, 0, 'se upper');
        expect(lee.lowerCutoff).toBe(r.lower_cutoff);
        expect(lee.upperCutoff).toBe(r.upper_cutoff);
        expectClose(lee.ci.critical, r.im_critical, REL, 0, 'C_N');
        expectClose(lee.ci.low, r.im_low, REL, 1e-12, 'IM low');
        expectClose(lee.ci.high, r.im_high, REL, 1e-12, 'IM high');
        expectClose(lee.boundsCi.low, r.bounds_low, REL, 1e-12, 'bounds CI low');
        expectClose(lee.boundsCi.high, r.bounds_high, REL, 1e-12, 'bounds CI high');
        expectClose(lee.respondentMeans.treatment, r.mean_treated, REL, 0, 'respondent mean t');
        expectClose(lee.respondentMeans.control, r.mean_control, REL, 0, 'respondent mean c');
        const [lowerEstimate, upperEstimate] = lee.estimates;
        expect(lowerEstimate.estimand).toBe('ITT (always-responders, Lee bounds)');
        expect(lowerEstimate.estimate).toBe(lee.lower);
        expect(lowerEstimate.stdError).toBe(lee.seLower);
        expect(upperEstimate.estimate).toBe(lee.upper);
        expect(upperEstimate.stdError).toBe(lee.seUpper);
        expect(lee.ci.level).toBe(c.level);
        // The Imbens–Manski interval lies inside the one for the whole identified set.
        expect(lee.ci.low).toBeGreaterThanOrEqual(lee.boundsCi.low);
        expect(lee.ci.high).toBeLessThanOrEqual(lee.boundsCi.high);
      });
    });
  }
});

describe('attritionAnalysis diagnostics', () => {
  const byName = (name: string) => fixture.cases.find((c) => c.name === name)!;
  const run = (name: string, extra: object = {}) => {
    const c = byName(name);
    return attritionAnalysis(caseDataset(c), {
      outcome: 'y',
      assignment: 'z',
      ...(c.responded === null ? {} : { responded: 'responded' }),
      ...(c.block === null ? {} : { blocks: 'office' }),
      ...(c.cluster === null ? {} : { cluster: 'practice' }),
      level: c.level,
      ...extra,
    });
  };
  const codes = (r: ReturnType<typeof run>) => r.diagnostics.map((d) => d.code);

  it('flags differential attrition (13.3 points, p < 0.001) and low response (61%)', () => {
    const result = run('continuous, treatment responds more');
    expect(codes(result)).toContain('ATTRITION_DIFFERENTIAL');
    expect(codes(result)).toContain('ATTRITION_LOW_RESPONSE');
    expect(result.response.attrition.differential).toBeCloseTo(35 / 120, 12);
  });

  it('does not flag differential attrition when the rates are equal, and says nothing was trimmed', () => {
    const result = run('no differential attrition (p = 0)');
    expect(codes(result)).not.toContain('ATTRITION_DIFFERENTIAL');
    expect(codes(result)).not.toContain('ATTRITION_LOW_RESPONSE'); // 75% responded
    expect(codes(result)).toContain('LEE_NO_TRIMMING');
    expect(result.lee.lower).toBe(result.lee.upper);
    expect(result.lee.lower).toBeCloseTo(result.lee.respondentDifference, 12);
  });

  it('flags a difference above the threshold even when not significant (small n: 25 points, p = 0.17)', () => {
    const result = run('small n');
    expect(result.difference.pValue).toBeGreaterThan(0.05);
    expect(codes(result)).toContain('ATTRITION_DIFFERENTIAL');
    expect(codes(result)).toContain('ATTRITION_SMALL_EXPECTED');
    expect(codes(result)).toContain('LEE_FEW_KEPT');
  });

  it('applies the thresholds the user gives', () => {
    const larger = run('larger trial'); // 62.9% vs 58.9%: 4 points, p = 0.10
    expect(codes(larger)).not.toContain('ATTRITION_DIFFERENTIAL');
    expect(codes(run('larger trial', { differentialThreshold: 0.03 }))).toContain('ATTRITION_DIFFERENTIAL');
    expect(codes(run('no differential attrition (p = 0)', { lowResponseThreshold: 0.8 }))).toContain('ATTRITION_LOW_RESPONSE');
  });

  it('says the bounds pool blocks when blocks are given', () => {
    expect(codes(run('blocked, integer kept mass'))).toContain('ATTRITION_BLOCKS_NOT_IN_BOUNDS');
  });

  it('warns when blocks were assigned at different ratios, so the pooled χ², Fisher and Lee bounds are confounded', () => {
    // Office a: 100 of 200 treated, office b: 160 of 200 treated; response depends only on the office (90% in a,
    // 50% in b), not on the arm. Pooled, the treatment arm is mostly office b and looks like it responds less
    // (χ² p < 0.05), which the blocked difference does not show (0 within each office).
    const office = [...new Array(200).fill('a'), ...new Array(200).fill('b')];
    const z = [...Array.from({ length: 200 }, (_, j) => j % 2), ...Array.from({ length: 200 }, (_, j) => (j % 5 === 0 ? 0 : 1))];
    const responded = office.map((o, i) => (o === 'a' ? (i < 20 ? 0 : 1) : i - 200 < 100 ? 1 : 0));
    const y = responded.map((r, i) => (r === 1 ? 10 + (i % 7) : null));
    const data = dataset(numberColumn('y', y), numberColumn('z', z), textColumn('office', office));
    const result = attritionAnalysis(data, { outcome: 'y', assignment: 'z', blocks: 'office' });
    expect(result.chiSquare.pValue!).toBeLessThan(0.05);
    expect(Math.abs(result.difference.estimate)).toBeLessThan(0.06);
    const warning = result.diagnostics.find((d) => d.code === 'ATTRITION_BLOCKS_UNEQUAL_ASSIGNMENT');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/50\.0%.*80\.0%/);
    // Equal allocation within blocks: only the info note.
    const balanced = attritionAnalysis(dataset(numberColumn('y', y), numberColumn('z', office.map((_, i) => i % 2)), textColumn('office', office)), { outcome: 'y', assignment: 'z', blocks: 'office' });
    expect(balanced.diagnostics.map((d) => d.code)).not.toContain('ATTRITION_BLOCKS_UNEQUAL_ASSIGNMENT');
    expect(balanced.diagnostics.map((d) => d.code)).toContain('ATTRITION_BLOCKS_NOT_IN_BOUNDS');
  });

  it('in a cluster-randomised trial tests the response difference by clusters and warns that χ², Fisher and Lee do not', () => {
    // Response shared within practices: χ² p = 0.0006 treats 640 people as independent; estimatr's clustered
    // difference in means (CR2 on 30 practices) gives p = 0.16. Without the cluster the difference was the
    // Welch one, as anti-conservative as χ², and nothing said so.
    const c = fixture.cases.find((x) => x.name === 'cluster-randomised (30 practices)')!;
    const clustered = run(c.name);
    expect(clustered.difference.design).toBe('Clustered');
    expect(clustered.difference.seType).toBe('CR2');
    expect(clustered.difference['nClusters']).toBe(30);
    expect(clustered.chiSquare.pValue!).toBeLessThan(0.001);
    expect(clustered.difference.pValue).toBeGreaterThan(0.1);
    expect(codes(clustered)).toContain('ATTRITION_CLUSTERED');
    const message = clustered.diagnostics.find((d) => d.code === 'ATTRITION_CLUSTERED')!.message;
    expect(message).toMatch(/30 clusters/);
    expect(message).toMatch(/practice/);
    // The same data without the cluster: the unclustered (Welch) difference, and no clustering diagnostic.
    const ignored = attritionAnalysis(caseDataset(c), { outcome: 'y', assignment: 'z' });
    expect(ignored.difference.design).toBe('Standard');
    expect(ignored.difference.pValue).toBeLessThan(0.001);
    expect(codes(ignored)).not.toContain('ATTRITION_CLUSTERED');
    // The Lee bounds do not depend on the cluster (their SEs assume independence, as the diagnostic says).
    expect(clustered.lee.lower).toBe(ignored.lee.lower);
    expect(clustered.lee.seUpper).toBe(ignored.lee.seUpper);
  });
});

describe('attritionAnalysis data handling', () => {
  it('reads text arms and a text response indicator, and drops rows with a missing arm (reported)', () => {
    const arms = ['ctl', 'whp', 'ctl', 'whp', 'ctl', 'whp', 'ctl', 'whp', null, 'whp', 'ctl', 'whp'];
    const responded = ['1', '1', '0', '1', '1', '1', '1', '0', '1', '1', '0', '1'];
    const y = [3, 5, null, 8, 2, 9, 4, null, 7, 6, null, 4];
    const data = dataset(numberColumn('y', y), textColumn('arm', arms), textColumn('resp', responded));
    const result = attritionAnalysis(data, { outcome: 'y', assignment: 'arm', responded: 'resp', arms: { control: 'ctl' } });
    expect(result.response.control).toEqual({ label: 'ctl', nAssigned: 5, nResponded: 3, responseRate: 3 / 5 });
    expect(result.response.treatment).toEqual({ label: 'whp', nAssigned: 6, nResponded: 5, responseRate: 5 / 6 });
    expect(result.diagnostics.map((d) => d.code)).toContain('DATA_ROWS_DROPPED');
    // Complete-case means: treatment (5 + 8 + 9 + 6 + 4)/5, control (3 + 2 + 4)/3.
    expect(result.lee.respondentMeans.treatment).toBeCloseTo(32 / 5, 12);
    expect(result.lee.respondentMeans.control).toBeCloseTo(3, 12);
    expect(result.lee.trimmedArm).toBe('treatment');
  });

  it('gives the same answer whether response comes from a 0/1 column or from the outcome being present', () => {
    const c = readAttritionFixture().cases.find((x) => x.responded !== null)!;
    const withColumn = attritionAnalysis(caseDataset(c), { outcome: 'y', assignment: 'z', responded: 'responded', level: c.level });
    const without = attritionAnalysis(caseDataset(c), { outcome: 'y', assignment: 'z', level: c.level });
    expect(without.lee).toEqual({ ...withColumn.lee });
    expect(without.difference.estimate).toBe(withColumn.difference.estimate);
    expect(without.difference.outcome).toBe('observed(y)');
    expect(withColumn.difference.outcome).toBe('responded');
  });

  it('handles no attrition at all: χ² undefined (null), Fisher 1, bounds = complete-case ITT', () => {
    const data = dataset(numberColumn('y', [1, 2, 3, 4, 5, 6, 7, 9]), numberColumn('z', [0, 0, 0, 0, 1, 1, 1, 1]));
    const result = attritionAnalysis(data, { outcome: 'y', assignment: 'z' });
    expect(result.chiSquare.statistic).toBeNull();
    expect(result.chiSquare.pValue).toBeNull();
    expect(result.fisher.pValue).toBe(1);
    expect(result.diagnostics.map((d) => d.code)).toContain('ATTRITION_NONE');
    expect(result.lee.lower).toBeCloseTo(6.75 - 2.5, 12);
    expect(result.lee.upper).toBe(result.lee.lower);
  });

  it('is plain JSON for --json: an undefined df (normal reference) becomes null', () => {
    const c = readAttritionFixture().cases[0]!;
    const result = attritionAnalysis(caseDataset(c), { outcome: 'y', assignment: 'z' });
    const json = JSON.parse(JSON.stringify(result)) as { lee: { estimates: { df: unknown; estimate: number }[] }; difference: { df: number } };
    expect(json.lee.estimates[0]!.df).toBeNull();
    expect(json.lee.estimates[0]!.estimate).toBe(result.lee.lower);
    expect(json.difference.df).toBe(result.difference.df);
  });
});
