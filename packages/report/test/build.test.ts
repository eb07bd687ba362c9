import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareTrial, readData } from '@trialkit/data';
import { estimate } from '@trialkit/estimators';
import { beforeAll, describe, expect, it } from 'vitest';
import { coxInteractionTest, survivalAnalysis } from '@trialkit/survival';
import { ReportErrorCode, buildReport, parsePlan, renderReport, type ReportInput } from '../src/index.js';
import { adjustPValues, attritionAnalysis, bootstrapRatio, subgroupAnalysis } from '@trialkit/estimators';
import { intraclassCorrelation } from '../src/describe.js';
import { thinCurve } from '../src/build.js';
import type { Dataset } from '@trialkit/core';
import { SAMPLE_PLAN, TIME_TO_JOB_OUTCOME, writeSimulatedCsv, type SimulatedRow } from './fixtures/simulate.js';

let rows: SimulatedRow[];
let data: Dataset;
let input: ReportInput;

beforeAll(async () => {
  const folder = await mkdtemp(join(tmpdir(), 'trialkit-build-'));
  const path = join(folder, 'trial.csv');
  rows = await writeSimulatedCsv(path, 3000);
  data = await readData(path);
  input = await buildReport(parsePlan(SAMPLE_PLAN), data, { provenance: { generatedAt: '2026-11-24T00:00:00Z' } });
});

describe('buildReport on a simulated trial', () => {
  it('counts the flow from the data: allocated, received, contaminated, lost (missing outcome), analysed', () => {
    const arm = (a: number) => rows.filter((r) => r.assigned === a);
    const flow = input.flow!;
    expect(flow.randomised).toBe(rows.length);
    expect([flow.assessed, flow.excluded]).toEqual([3400, 400]); // from the plan's screening block
    expect(flow.treatment.allocated).toBe(arm(1).length);
    expect(flow.treatment.received).toBe(arm(1).filter((r) => r.started === 1).length);
    expect(flow.control.contaminated).toBe(arm(0).filter((r) => r.started === 1).length);
    expect(flow.control.lostToFollowUp).toBe(arm(0).filter((r) => r.job13 === null).length);
    expect(flow.treatment.analysed).toBe(arm(1).filter((r) => r.job13 !== null).length);
  });

  it('runs what the plan says: ITT, first stage and CACE per outcome, identical to estimate() on the same spec', () => {
    const job = input.estimates.filter((e) => e.outcome === 'job13' && e['subgroup'] === undefined);
    expect(job.map((e) => `${e.estimand}/${e.estimator}`).sort()).toEqual([
      'CACE/iv_robust',
      'ITT/difference_in_means',
      'ITT/risk_ratio', // binary outcome: the relative effect too (CONSORT 2025 item 26)
      'first-stage/difference_in_means',
    ]);
    const direct = estimate(data, {
      roles: { outcome: 'job13', assignment: 'assigned', received: 'started' },
      arms: { control: '0', treatment: '1' },
      level: 0.95,
    });
    const itt = direct.estimates.find((e) => e.estimand === 'ITT')!;
    expect(job.find((e) => e.estimator === 'difference_in_means' && e.estimand === 'ITT')!.estimate).toBe(itt.estimate);
    // The flow's analysed n is the ITT's n (CONSORT items 22a/26).
    expect(input.flow!.control.analysed + input.flow!.treatment.analysed).toBe(itt.nObs);
  });

  it('adjusts the secondary outcomes’ ITT p-values (Holm over earnings and the time-to-event hazard ratio) and marks the method', () => {
    const earnings = input.estimates.find((e) => e.outcome === 'earnings' && e.estimand === 'ITT')!;
    const hazard = input.estimates.find((e) => e.outcome === 'days_to_first_job' && e.estimator === 'coxph')!;
    expect(earnings['multiplicity']).toBe('holm');
    // One test per outcome: the difference, or the hazard ratio of a time-to-event outcome (not its RMST/incidence too).
    expect([earnings['pValueAdjusted'], hazard['pValueAdjusted']]).toEqual(adjustPValues([earnings.pValue, hazard.pValue], 'holm'));
    expect(input.estimates.filter((e) => typeof e['pValueAdjusted'] === 'number')).toHaveLength(2);
  });

  it('estimates the pre-specified subgroups, labelled "column = value"', () => {
    const subgroups = input.estimates.filter((e) => e['subgroup'] !== undefined).map((e) => e['subgroup']);
    expect(subgroups).toEqual(['female = 0', 'female = 1']);
  });

  it('tests the treatment × subgroup interaction with subgroupAnalysis on the same spec, and shows it', async () => {
    const direct = subgroupAnalysis(data, {
      roles: { outcome: 'job13', assignment: 'assigned' },
      arms: { control: '0', treatment: '1' },
      level: 0.95,
      subgroup: 'female',
      minimumArmSize: 30,
    });
    const [summary] = input.subgroupTests!;
    expect(input.subgroupTests).toHaveLength(1);
    expect(summary!.outcome).toBe('job13');
    expect(summary!.subgroup).toBe('female');
    const h = direct.heterogeneity!;
    expect(summary!.test).toEqual({
      fStatistic: h.fStatistic,
      dfNumerator: 1,
      dfDenominator: h.dfDenominator,
      pValue: h.pValue,
      chiSquarePValue: h.chiSquarePValue,
      seType: 'HC2',
      levelsTested: ['0', '1'],
      referenceLevel: '0',
      nObs: h.nObs,
    });
    expect(summary!.contrast!.estimate).toBe(direct.contrast!.estimate);
    // The levels' ITTs in the report are subgroupAnalysis's, i.e. estimate() on each level's rows.
    const levels = input.estimates.filter((e) => e['subgroupColumn'] === 'female');
    expect(levels.map((e) => e.estimate)).toEqual(direct.levels.map((l) => l.estimate!.estimate));
    const html = await renderReport(input);
    expect(html).toContain('Treatment × subgroup interaction (heterogeneity) tests');
    expect(html).toContain(`Interaction p = ${h.pValue < 0.001 ? '&lt; 0.001' : h.pValue.toFixed(3)} (F(1, ${h.dfDenominator.toLocaleString('en-GB')})`);
    expect(html).toContain('by the treatment × subgroup interaction');
  });

  it('computes balance rows with SMDs, text columns as one row per level', () => {
    expect(input.balance!.map((row) => row.variable)).toEqual(['age', 'female', 'office=East', 'office=North', 'office=South', 'office=West']);
    const female = input.balance!.find((row) => row.variable === 'female')!;
    const share = (a: number) => rows.filter((r) => r.assigned === a && r.female === 1).length / rows.filter((r) => r.assigned === a).length;
    expect(female.treatment.mean).toBeCloseTo(share(1), 14);
    expect(female.control.mean).toBeCloseTo(share(0), 14);
  });

  it('breaks contamination down by office and by month, and carries the τ(λ) curve', () => {
    const compliance = input.compliance!;
    expect(new Set(compliance.contaminationByGroup!.map((r) => r.group))).toEqual(new Set(['East', 'North', 'South', 'West']));
    expect(compliance.contaminationByMonth!.length).toBe(12);
    expect(compliance.sensitivity!.length).toBeGreaterThan(2);
    const north = compliance.contaminationByGroup!.find((r) => r.group === 'North' && r.arm === 'control')!;
    const controlsNorth = rows.filter((r) => r.assigned === 0 && r.office === 'North' && r.job13 !== null);
    expect(north.n).toBe(controlsNorth.length);
    expect(north.count).toBe(controlsNorth.filter((r) => r.started === 1).length);
  });

  it('histograms earnings with zeros as their own bin; the shares of each arm sum to 1', () => {
    const distribution = input.distributions!.find((d) => d.outcome === 'earnings')!;
    for (const arm of ['Usual support', 'Work and Health Programme']) {
      const bins = distribution.bins.filter((b) => b.arm === arm);
      expect(bins[0]!.binStart).toBe(0);
      expect(bins[0]!.binEnd).toBe(0);
      expect(bins.reduce((sum, b) => sum + b.share, 0)).toBeCloseTo(1, 12);
    }
  });

  it('renders the built input', async () => {
    const html = await renderReport(input);
    for (const id of ['summary', 'flow', 'balance', 'results', 'forest', 'compliance', 'distributions', 'diagnostics', 'methods', 'deviations', 'provenance'])
      expect(html).toContain(`<section id="${id}"`);
    // The relative effect is shown on its own scale (a ratio near 1), not in percentage points.
    const ratio = input.estimates.find((e) => e.estimator === 'risk_ratio')!;
    expect(html).toContain(`As a risk ratio: ${ratio.estimate.toFixed(2)} (95% CI ${ratio.confLow.toFixed(2)} to ${ratio.confHigh.toFixed(2)}).`);
    expect(html).toContain('ITT (risk ratio)');
    // The time-to-event outcome: its section with the Kaplan–Meier chart and the number-at-risk table, the hazard
    // ratio on its own log-axis forest panel, and the methods named.
    expect(html).toContain('<section id="time-to-event"');
    expect(html).toMatch(/<caption id="[^"]+">Number at risk/);
    expect(html).toContain('ITT (hazard ratio)');
    expect(html).toContain('ITT (RMST difference to 365 days)');
    expect(html).toContain('Hazard ratios have their own panel on a log axis');
    expect(html).toContain('Greenwood standard errors and log-transformed pointwise confidence intervals');
    expect(html).toContain('Cox model with Efron’s ties');
  });
});

describe('time-to-event outcomes', () => {
  const spec = {
    time: 'days_to_first_job',
    event: 'job_started',
    assignment: 'assigned',
    arms: { control: '0', treatment: '1' },
    level: 0.95,
    horizon: 365,
    times: [0, 90, 180, 270, 365],
  };

  it('carry survivalAnalysis’s estimates (Cox HR with Efron ties, RMST and incidence differences) unchanged', () => {
    const direct = survivalAnalysis(data, spec);
    const built = input.estimates.filter((e) => e.outcome === 'days_to_first_job');
    expect(built.map((e) => e.estimator)).toEqual(['coxph', 'rmst', 'km_cumulative_incidence']);
    for (const [index, e] of built.entries()) {
      const d = direct.estimates[index]!;
      expect([e.estimand, e.estimate, e.stdError, e.confLow, e.confHigh, e.pValue, e.nObs, e.seType]).toEqual([
        d.estimand, d.estimate, d.stdError, d.confLow, d.confHigh, d.pValue, d.nObs, d.seType,
      ]);
      expect(e['survivalOutcome']).toBe('Surv(days_to_first_job, job_started)');
    }
    expect(built[0]!['ties']).toBe('efron');
    expect(built[1]!['horizon']).toBe(365);
  });

  it('carry the medians, the risk table and the log-rank test per arm, arms labelled as in the plan', () => {
    const direct = survivalAnalysis(data, spec);
    const summary = input.survival!.find((s) => s.outcome === 'days_to_first_job')!;
    expect(summary.arms.map((a) => a.arm)).toEqual(['Usual support', 'Work and Health Programme']);
    expect(summary.timeUnit).toBe('days');
    expect(summary.times).toEqual(spec.times);
    summary.arms.forEach((arm, index) => {
      const km = direct.km[index]!;
      expect([arm.n, arm.events, arm.median, arm.medianLow, arm.medianHigh]).toEqual([km.n, km.events, km.median, km.medianLow, km.medianHigh]);
      expect(arm.atTimes.map((at) => [at.time, at.nRisk, at.survival])).toEqual(km.atTimes.map((at) => [at.time, at.nRisk, at.survival]));
      // The number at risk at t counts the complete rows of the arm with time ≥ t (closed form from the simulated rows).
      const armRows = rows.filter((r) => r.assigned === index && r.days_to_first_job !== null);
      expect(arm.atTimes.map((at) => at.nRisk)).toEqual(spec.times.map((t) => armRows.filter((r) => r.days_to_first_job! >= t).length));
    });
    expect(summary.logRank).toEqual({ statistic: direct.logRank.statistic, df: 1, pValue: direct.logRank.pValue, stratified: false });
  });

  it('draw aggregated curves: a few hundred points per arm, never further than the resolution from the full curve', () => {
    const direct = survivalAnalysis(data, spec);
    const summary = input.survival![0]!;
    summary.arms.forEach((arm, index) => {
      const km = direct.km[index]!;
      expect(arm.curve.length).toBeLessThanOrEqual(Math.min(km.times.length + 1, 3 / summary.resolution));
      expect(summary.resolution).toBe(0.0025); // hundreds of distinct days: thinned
      expect(arm.curve[0]).toEqual({ time: 0, survival: 1, lower: 1, upper: 1 });
      expect(arm.curve[arm.curve.length - 1]!.time).toBe(km.times[km.times.length - 1]);
      // Step-after: the drawn value at a time is the last kept point at or before it.
      let kept = 0;
      km.times.forEach((time, i) => {
        while (kept + 1 < arm.curve.length && arm.curve[kept + 1]!.time <= time) kept++;
        expect(Math.abs(arm.curve[kept]!.survival - km.survival[i]!)).toBeLessThan(Math.max(summary.resolution, 1e-15));
      });
    });
  });

  it('thinCurve keeps every point at resolution 0 and drops only small steps otherwise', () => {
    const times = [1, 2, 3, 4];
    const s = [0.999, 0.998, 0.99, 0.989];
    expect(thinCurve(times, s, s, s, 0).map((p) => p.time)).toEqual([0, 1, 2, 3, 4]);
    expect(thinCurve(times, s, s, s, 0.005).map((p) => p.time)).toEqual([0, 3, 4]);
  });

  it('use the blocks as strata (stratified log-rank and Cox), as survivalAnalysis with strata', async () => {
    const result = await buildReport(parsePlan({ ...SAMPLE_PLAN, blocks: 'office' }), data);
    const direct = survivalAnalysis(data, { ...spec, strata: 'office' });
    const hazard = result.estimates.find((e) => e.estimator === 'coxph' && e['subgroup'] === undefined)!;
    expect([hazard.estimate, hazard.stdError, hazard['strata']]).toEqual([direct.estimates[0]!.estimate, direct.estimates[0]!.stdError, 'office']);
    expect(result.survival![0]!.logRank.stratified).toBe(true);
    expect(result.survival![0]!.logRank.statistic).toBe(direct.logRank.statistic);
  });

  it('record a CACE request for a time-to-event outcome as a deviation and estimate only the ITT', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, outcomes: [SAMPLE_PLAN.outcomes[0], { ...TIME_TO_JOB_OUTCOME, estimands: ['ITT', 'CACE'] }] });
    const result = await buildReport(plan, data);
    expect(result.deviations!.map((d) => [d.code, d.field])).toContainEqual(['CACE_NOT_DEFINED_FOR_TIME_TO_EVENT', 'outcomes[1].estimands']);
    expect(result.estimates.filter((e) => e.outcome === 'days_to_first_job').map((e) => e.estimand)).toEqual(['ITT', 'ITT', 'ITT']);
  });

  it('as the primary outcome: the summary sentence, the flow’s analysed n equal to the survival n, subgroup hazard ratios', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }, { ...SAMPLE_PLAN.outcomes[0], primary: false }] });
    const result = await buildReport(plan, data);
    const direct = survivalAnalysis(data, spec);
    expect(result.flow!.control.analysed + result.flow!.treatment.analysed).toBe(direct.nObs);
    expect(result.diagnostics!.some((d) => d.code === 'REPORT_FLOW_N_MISMATCH')).toBe(false);
    expect(result.estimates.filter((e) => e['subgroup'] !== undefined).map((e) => `${e.estimator} ${e['subgroup']}`)).toEqual(['coxph female = 0', 'coxph female = 1']);
    const html = await renderReport(result);
    const [control, treatment] = direct.cumulativeIncidence.arms.map((arm) => (arm.estimate * 100).toFixed(1));
    const hr = direct.estimates[0]!;
    expect(html).toContain(
      `By 365 days, ${treatment}% of the Work and Health Programme group had had the event (“job_started”) against ${control}% of the Usual support group`,
    );
    expect(html).toContain(`hazard ratio ${hr.estimate.toFixed(2)} (${hr.confLow.toFixed(2)} to ${hr.confHigh.toFixed(2)}`);
  });

  /** The complete cases of the simulated rows (data order) as arrays for coxInteractionTest. */
  function interactionData(subgroup: (r: SimulatedRow) => string, keep: (r: SimulatedRow) => boolean = () => true) {
    const complete = rows.filter((r) => r.days_to_first_job !== null && r.job_started !== null && keep(r));
    return {
      time: complete.map((r) => r.days_to_first_job!),
      event: complete.map((r) => r.job_started!),
      assignment: complete.map((r) => r.assigned),
      group: complete.map(subgroup),
      office: complete.map((r) => r.office),
    };
  }

  it('as the primary outcome by subgroup: levels’ hazard ratios, Wald χ² test and HR ratio equal coxInteractionTest on the same data', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }, { ...SAMPLE_PLAN.outcomes[0], primary: false }] });
    const result = await buildReport(plan, data);
    const d = interactionData((r) => String(r.female));
    const direct = coxInteractionTest(d.time, d.event, d.assignment, d.group, { level: 0.95, minimumArmSize: 30 });
    // No “no interaction test” deviation any more.
    expect(result.deviations!.map((x) => x.code)).not.toContain('SUBGROUP_NO_INTERACTION_TEST_FOR_TIME_TO_EVENT');
    const levels = result.estimates.filter((e) => e['subgroupColumn'] === 'female');
    expect(levels.map((e) => e['subgroupLevel'])).toEqual(['0', '1']);
    levels.forEach((e, k) => {
      const l = direct.levels[k]!;
      expect([e.estimator, e.estimate, e.stdError, e.confLow, e.confHigh, e.pValue, e['logHazardRatio'], e.nObs]).toEqual([
        'coxph', l.hazardRatio, l.stdError, l.confLow, l.confHigh, l.pValue, l.logHazardRatio, l.nTreatment + l.nControl,
      ]);
    });
    const [summary] = result.subgroupTests!;
    expect(summary!.test).toBeUndefined();
    expect(summary!.hazardTest).toEqual({
      wald: direct.test!.wald,
      df: 1,
      pValue: direct.test!.pValue,
      seType: 'classical',
      ties: 'efron',
      levelsTested: ['0', '1'],
      referenceLevel: '0',
      nObs: direct.nObs,
      nEvents: direct.nEvents,
    });
    expect(direct.nObs).toBe(survivalAnalysis(data, spec).nObs);
    const c = direct.contrast!;
    expect(summary!.hazardContrast).toEqual({ ratio: c.ratio, stdError: c.stdError, confLow: c.confLow, confHigh: c.confHigh, pValue: c.pValue, level: 0.95 });
    // With two levels the ratio of the hazard ratios is the ratio of the levels’ hazard ratios from the same model.
    expect(c.ratio).toBeCloseTo(levels[1]!.estimate / levels[0]!.estimate, 12);
    const html = await renderReport(result);
    const p = direct.test!.pValue;
    const text = `Interaction p = ${p < 0.001 ? '&lt; 0.001' : p.toFixed(3)} (Wald χ²(1) = ${direct.test!.wald.toFixed(2)}, Cox model)`;
    expect(html).toContain(text); // forest panel subtitle and its data table
    expect(html).toContain('Days to first job start: hazard ratio, by “female”');
    expect(html).toContain(`ratio of hazard ratios ${c.ratio.toFixed(2)} (${c.confLow.toFixed(2)} to ${c.confHigh.toFixed(2)})`);
    expect(html).toContain('the Wald χ² test on the Cox model');
    expect(html).toContain('joint Wald χ² test on the Cox model that every interaction coefficient is zero');
  });

  it('by a four-level subgroup with blocks as strata and clustered variance: the χ²(3) test of coxInteractionTest with the same strata and clusters', async () => {
    const plan = parsePlan({
      ...SAMPLE_PLAN,
      outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }],
      subgroups: ['office'],
      blocks: 'female',
      cluster: 'month',
    });
    const result = await buildReport(plan, data);
    const complete = rows.filter((r) => r.days_to_first_job !== null && r.job_started !== null);
    const direct = coxInteractionTest(
      complete.map((r) => r.days_to_first_job!),
      complete.map((r) => r.job_started!),
      complete.map((r) => r.assigned),
      complete.map((r) => r.office),
      { strata: complete.map((r) => r.female), cluster: complete.map((r) => r.month), minimumArmSize: 30 },
    );
    const summary = result.subgroupTests!.find((item) => item.subgroup === 'office')!;
    expect(summary.hazardTest).toMatchObject({
      wald: direct.test!.wald, df: 3, pValue: direct.test!.pValue, seType: 'robust_cluster', strata: 'female', nClusters: new Set(complete.map((r) => r.month)).size,
    });
    expect(summary.hazardContrast).toBeUndefined();
    const levels = result.estimates.filter((e) => e['subgroupColumn'] === 'office');
    expect(levels.map((e) => [e['subgroupLevel'], e.estimate, e.stdError])).toEqual(
      direct.levels.map((l) => [l.level, l.hazardRatio, l.stdError]),
    );
    const html = await renderReport(result);
    expect(html).toContain(`Wald χ²(3) = ${direct.test!.wald.toFixed(2)}, Cox model`);
    expect(html).toContain('strata(female)');
    expect(html).toContain('cluster-robust (sandwich, by cluster) variance');
  });

  it('by the blocking column itself (subgroup nested in the strata): the interaction test still runs, the absorbed main effects noted', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }], subgroups: ['office'], blocks: 'office' });
    const result = await buildReport(plan, data);
    const complete = rows.filter((r) => r.days_to_first_job !== null && r.job_started !== null);
    const offices = complete.map((r) => r.office);
    const direct = coxInteractionTest(complete.map((r) => r.days_to_first_job!), complete.map((r) => r.job_started!), complete.map((r) => r.assigned), offices, {
      strata: offices,
      minimumArmSize: 30,
    });
    const summary = result.subgroupTests!.find((item) => item.subgroup === 'office')!;
    expect(summary.hazardTest).toMatchObject({ wald: direct.test!.wald, df: 3, pValue: direct.test!.pValue, strata: 'office' });
    expect(result.diagnostics!.map((d) => d.code)).toContain('SURVIVAL_SUBGROUP_ABSORBED_BY_STRATA');
    expect(result.deviations!.filter((d) => d.code === 'SUBGROUP_NOT_ESTIMATED')).toEqual([]);
  });

  it('with too few clusters for the joint test: the levels’ hazard ratios, no test, the table says why', async () => {
    // Two clusters (female 0/1), four offices: the clustered variance of the three interaction coefficients has rank ≤ 1.
    const plan = parsePlan({ ...SAMPLE_PLAN, outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }], subgroups: ['office'], cluster: 'female' });
    const result = await buildReport(plan, data);
    const summary = result.subgroupTests!.find((item) => item.subgroup === 'office')!;
    expect(summary.model).toBe('coxph');
    expect(summary.hazardTest).toBeUndefined();
    expect(summary.notTested).toBe('the variance of the Cox model’s interaction coefficients is singular (2 clusters)');
    expect(result.estimates.filter((e) => e['subgroupColumn'] === 'office')).toHaveLength(4);
    expect(result.diagnostics!.map((d) => d.code)).toContain('SURVIVAL_SUBGROUP_SINGULAR_INTERACTION_VARIANCE');
    const html = await renderReport(result);
    expect(html).toContain('No interaction test: the variance of the Cox model’s interaction coefficients is singular (2 clusters)');
    expect(html).toContain('F or Wald χ² (df)');
  });

  it('by a subgroup with a level without events in an arm: that level is a deviation and left out of the test', async () => {
    // Drop every treated event among offices "West": its hazard ratio would be 0.
    const csvRows = rows.map((r) => (r.office === 'West' && r.assigned === 1 && r.job_started === 1 ? { ...r, job_started: 0 } : r));
    const columns = Object.keys(csvRows[0]!) as (keyof SimulatedRow)[];
    const edited: Dataset = {
      nRows: csvRows.length,
      columns: columns.map((name) =>
        name === 'office' || name === 'month'
          ? { kind: 'text' as const, name, values: csvRows.map((r) => r[name] as string) }
          : { kind: 'number' as const, name, values: Float64Array.from(csvRows, (r) => (r[name] === null ? Number.NaN : (r[name] as number))) },
      ),
    };
    const plan = parsePlan({ ...SAMPLE_PLAN, outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }], subgroups: ['office'] });
    const result = await buildReport(plan, edited);
    expect(result.deviations!.map((x) => [x.code, x.what.includes('office = West') && x.what.includes('no events in the treatment arm')])).toContainEqual(['SUBGROUP_NOT_ESTIMATED', true]);
    const summary = result.subgroupTests!.find((item) => item.subgroup === 'office')!;
    expect(summary.hazardTest!.levelsTested).toEqual(['East', 'North', 'South']);
    expect(summary.hazardTest!.df).toBe(2);
    expect(result.estimates.filter((e) => e['subgroupColumn'] === 'office').map((e) => e['subgroupLevel'])).toEqual(['East', 'North', 'South']);
  });
});

describe('randomisation inference from the plan', () => {
  it('gives each ITT the randomisation p-value of estimate()’s ri on the same spec, in the table and methods', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, randomisationInference: { draws: 199, seed: 'report-ri-test' } });
    const result = await buildReport(plan, data);
    const itt = result.estimates.find((e) => e.outcome === 'job13' && e.estimand === 'ITT' && e.estimator === 'difference_in_means' && e['subgroup'] === undefined)!;
    const direct = estimate(data, {
      roles: { outcome: 'job13', assignment: 'assigned', received: 'started' },
      arms: { control: '0', treatment: '1' },
      level: 0.95,
      ri: { draws: 199, seed: 'report-ri-test' },
    }).estimates.find((e) => e.estimand === 'ITT')!;
    expect(itt['riPValue']).toBe(direct['riPValue']);
    expect([itt['riDraws'], itt['riExact']]).toEqual([199, false]);
    const earnings = result.estimates.find((e) => e.outcome === 'earnings' && e.estimand === 'ITT')!;
    expect(typeof earnings['riPValue']).toBe('number');
    // Only whole-sample ITTs: no subgroup, CACE or time-to-event estimate has one; the time-to-event outcome is a deviation.
    expect(result.estimates.filter((e) => typeof e['riPValue'] === 'number').map((e) => e.outcome)).toEqual(['job13', 'earnings']);
    expect(result.deviations!.map((d) => [d.code, d.field])).toContainEqual(['RI_NOT_FOR_TIME_TO_EVENT', 'randomisationInference']);
    const html = await renderReport(result);
    expect(html).toContain('Randomisation p');
    expect(html).toContain('Monte Carlo: 199 random redraws of the assignment');
    expect(html).toContain('with seed “report-ri-test”');
    expect(html).toContain(String(direct['riMethod']).replace(/'/g, '&#39;').slice(0, 60));
    // The CACE carries estimate()'s randomisation confidence set (test inversion), shown under the table.
    const directCace = estimate(data, {
      roles: { outcome: 'job13', assignment: 'assigned', received: 'started' },
      arms: { control: '0', treatment: '1' },
      level: 0.95,
      ri: { draws: 199, seed: 'report-ri-test' },
    }).estimates.find((e) => e.estimand === 'CACE')!;
    const cace = result.estimates.find((e) => e.outcome === 'job13' && e.estimand === 'CACE')!;
    expect(cace['riSet']).toEqual(directCace['riSet']);
    const set = cace['riSet'] as { intervals: { lower: number; upper: number }[] };
    expect(set.intervals).toHaveLength(1);
    expect(html).toMatch(/CACE randomisation 95% confidence set \(the effects τ for which Y − τ × receipt shows no effect of assignment in the randomisation test; 199 redraws\): \d+ to \d+\./);
  });

  it('says when the p-value is exact (every assignment enumerated)', async () => {
    const small: Dataset = {
      nRows: 10,
      columns: [
        { kind: 'number', name: 'z', values: Float64Array.from([0, 1, 0, 1, 0, 1, 0, 1, 1, 0]) },
        { kind: 'number', name: 'y', values: Float64Array.from([1, 5, 2, 6, 1, 7, 3, 4, 5, 2]) },
      ],
    };
    const plan = parsePlan({
      trial: { name: 'Tiny' },
      assignment: 'z',
      arms: { control: { value: '0' }, treatment: { value: '1' } },
      outcomes: [{ column: 'y', type: 'continuous', primary: true }],
      randomisationInference: { draws: 10000, seed: 1 },
    });
    const result = await buildReport(plan, small);
    const itt = result.estimates[0]!;
    expect([itt['riExact'], itt['riDraws']]).toEqual([true, 252]); // C(10, 5)
    const html = await renderReport(result);
    expect(html).toContain('exact: all 252 possible assignments enumerated');
    expect(html).toContain('(exact, all 252 possible assignments)');
  });
});

describe('attrition from the plan', () => {
  it('reports follow-up response and Lee bounds as attritionAnalysis computes them, in a section and methods', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, attrition: { outcomes: ['job13', 'earnings'], differentialThreshold: 0.02 } });
    const result = await buildReport(plan, data);
    expect(result.attrition!.map((a) => a.outcome)).toEqual(['job13', 'earnings']);
    const direct = attritionAnalysis(data, { outcome: 'earnings', assignment: 'assigned', arms: { control: '0', treatment: '1' }, level: 0.95, differentialThreshold: 0.02 });
    const earnings = result.attrition![1]!;
    expect(earnings.responded).toBe('observed(earnings)');
    expect(earnings.response.treatment).toEqual({ nAssigned: direct.response.treatment.nAssigned, nResponded: direct.response.treatment.nResponded, responseRate: direct.response.treatment.responseRate });
    expect([earnings.lee.lower, earnings.lee.upper, earnings.lee.seLower, earnings.lee.ci.low, earnings.lee.ci.high]).toEqual([
      direct.lee.lower,
      direct.lee.upper,
      direct.lee.seLower,
      direct.lee.ci.low,
      direct.lee.ci.high,
    ]);
    expect(earnings.fisherPValue).toBe(direct.fisher.pValue);
    // Response counts are the simulated rows with an outcome.
    expect(earnings.response.control.nResponded).toBe(rows.filter((r) => r.assigned === 0 && r.earnings !== null).length);
    const html = await renderReport(result);
    expect(html).toContain('Follow-up response and attrition');
    expect(html).toContain('Lee bounds on the ITT of Earnings in the year after randomisation');
    expect(html).toContain('Imbens–Manski (2004)');
  });

  it('a refusal of the attrition analysis is a deviation; an unknown response column is a deviation too', async () => {
    // "started" is not a response indicator: non-starters with an outcome contradict it.
    const refused = await buildReport(parsePlan({ ...SAMPLE_PLAN, attrition: { responded: 'started' } }), data);
    expect(refused.deviations!.map((d) => d.code)).toContain('ATTRITION_NOT_COMPUTED');
    expect(refused.attrition).toBeUndefined();
    const missing = await buildReport(parsePlan({ ...SAMPLE_PLAN, attrition: { responded: 'surveyd' } }), data);
    expect(missing.deviations!.map((d) => [d.code, d.field])).toContainEqual(['PLAN_COLUMN_MISSING', 'attrition.responded']);
  });
});

describe('bootstrap ratios from the plan', () => {
  it('gives the ratio of two ITTs with bootstrapRatio’s intervals on the same trial, in a section and methods', async () => {
    const plan = parsePlan({
      ...SAMPLE_PLAN,
      bootstrap: { reps: 199, seed: 'report-boot', ratios: [{ label: 'Earnings gain per additional job outcome', numerator: 'earnings', denominator: 'job13', unit: '£' }] },
    });
    const result = await buildReport(plan, data);
    const trial = prepareTrial(data, { outcome: 'earnings', assignment: 'assigned', covariates: ['job13'] }, { control: '0', treatment: '1' });
    const direct = bootstrapRatio(trial, { denominator: trial.covariates[0]!, reps: 199, seed: 'report-boot', level: 0.95, interval: 'bca' });
    const [ratio] = result.ratios!;
    expect([ratio!.estimate, ratio!.stdError, ratio!.confLow, ratio!.confHigh]).toEqual([direct.estimate, direct.stdError, direct.confLow, direct.confHigh]);
    expect(ratio!.intervals.percentile).toEqual(direct['bootPercentile']);
    expect(ratio!.numeratorItt.estimate).toBe((direct['ratioNumerator'] as { estimate: number }).estimate);
    expect([ratio!.reps, ratio!.seed, ratio!.resampledUnit]).toEqual([199, 'report-boot', 'row']);
    // The ratio is ITT(earnings) / ITT(job13) on the rows with both.
    expect(ratio!.estimate).toBeCloseTo(ratio!.numeratorItt.estimate / ratio!.denominatorItt.estimate, 10);
    const html = await renderReport(result);
    expect(html).toContain('Cost per additional outcome (bootstrap)');
    expect(html).toContain('Earnings gain per additional job outcome (“earnings” ÷ “job13”)');
    expect(html).toContain('199 replicates resampling participants with replacement within each arm');
  });

  it('a ratio that cannot be estimated is a deviation', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, bootstrap: { reps: 199, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'office' }, { numerator: 'earnings', denominator: 'jobs' }] } });
    const result = await buildReport(plan, data);
    expect(result.ratios).toBeUndefined();
    expect(result.deviations!.map((d) => [d.code, d.field])).toEqual(
      expect.arrayContaining([
        ['RATIO_NOT_ESTIMATED', 'bootstrap.ratios[0]'],
        ['PLAN_COLUMN_MISSING', 'bootstrap.ratios[1].denominator'],
      ]),
    );
  });
});

describe('cluster trials', () => {
  it('count clusters per arm in the flow and estimate with clustered variance', async () => {
    // 12 offices randomised by office (even-numbered offices to the programme), 40 people each.
    const n = 480;
    const office = Array.from({ length: n }, (_, i) => `office-${Math.floor(i / 40)}`);
    const assigned = Float64Array.from({ length: n }, (_, i) => (Math.floor(i / 40) % 2 === 0 ? 1 : 0));
    const job = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 100 < (assigned[i] === 1 ? 20 : 12) ? 1 : 0));
    const clustered: Dataset = {
      nRows: n,
      columns: [
        { kind: 'number', name: 'assigned', values: assigned },
        { kind: 'number', name: 'job13', values: job },
        { kind: 'text', name: 'office', values: office },
        { kind: 'number', name: 'female', values: Float64Array.from({ length: n }, (_, i) => ((i * 13) % 7 < 3 ? 1 : 0)) },
      ],
    };
    const plan = parsePlan({
      trial: { name: 'Cluster trial' },
      assignment: 'assigned',
      arms: { control: { value: '0' }, treatment: { value: '1' } },
      outcomes: [{ column: 'job13', type: 'binary', primary: true }],
      cluster: 'office',
      subgroups: ['female'],
      minimumSubgroupArmSize: 10,
    });
    const result = await buildReport(plan, clustered);
    expect([result.flow!.control.clusters, result.flow!.treatment.clusters]).toEqual([6, 6]);
    // The control arm's ICC, as intraclassCorrelation computes it from the same rows (checked against R there).
    const controls = Array.from({ length: n }, (_, i) => i).filter((i) => assigned[i] === 0);
    expect(result.flow!.icc!.value).toBe(intraclassCorrelation(controls.map((i) => job[i]!), controls.map((i) => Math.floor(i / 40))));
    const itt = result.estimates.find((e) => e.estimand === 'ITT')!;
    expect(itt.nClusters).toBe(12);
    expect(await renderReport(result)).toContain('Clusters (n = 6)');
    // The subgroup interaction test is cluster-robust: CR2, F on (1, clusters − 1), as subgroupAnalysis gives it.
    const test = result.subgroupTests![0]!.test!;
    const direct = subgroupAnalysis(clustered, { roles: { outcome: 'job13', assignment: 'assigned', cluster: 'office' }, arms: { control: '0', treatment: '1' }, level: 0.95, subgroup: 'female', minimumArmSize: 10 }).heterogeneity!;
    expect([test.seType, test.dfDenominator, test.nClusters, test.pValue]).toEqual(['CR2', 11, 12, direct.pValue]);
  });
});

describe('departures from the plan become deviations', () => {
  it('a missing optional column (covariate, subgroup) is recorded and the rest still runs', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, covariates: ['agee'], subgroups: ['region'] });
    const result = await buildReport(plan, data);
    expect(result.deviations!.map((d) => [d.code, d.field])).toEqual(
      expect.arrayContaining([
        ['PLAN_COLUMN_MISSING', 'covariates[0]'],
        ['PLAN_COLUMN_MISSING', 'subgroups[0]'],
      ]),
    );
    expect(result.deviations!.find((d) => d.field === 'covariates[0]')!.what).toContain('closest: "age"');
  });

  it('a subgroup level smaller than the minimum is not estimated, and says so', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, subgroups: ['office'], minimumSubgroupArmSize: 1000 });
    const result = await buildReport(plan, data);
    expect(result.deviations!.filter((d) => d.code === 'SUBGROUP_TOO_SMALL')).toHaveLength(4);
    expect(result.estimates.some((e) => e['subgroup'] !== undefined)).toBe(false);
  });

  it('no interaction test when no level can be estimated; the table says why', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, subgroups: ['office'], minimumSubgroupArmSize: 1000 });
    const result = await buildReport(plan, data);
    const [summary] = result.subgroupTests!;
    expect(summary!.test).toBeUndefined();
    expect(summary!.notTested).toBe('fewer than two levels of “office” could be estimated (0 of 4)');
    expect(await renderReport(result)).toContain('fewer than two levels of “office” could be estimated');
  });

  it('a level too small among complete cases is left out of the interaction test over the others, as a deviation', async () => {
    // Levels a, b with 20 per arm; c with 5 per arm of whom 3 treated lack the outcome (minimum 4: passes on all
    // randomised rows, fails on complete cases).
    const n = 90;
    const level = Array.from({ length: n }, (_, i) => (i < 40 ? 'a' : i < 80 ? 'b' : 'c'));
    const z = Float64Array.from({ length: n }, (_, i) => i % 2);
    const y = Float64Array.from({ length: n }, (_, i) => (i >= 80 && i % 2 === 1 && i < 86 ? Number.NaN : ((i * 37) % 11) + 2 * z[i]! * (i < 40 ? 1 : 2)));
    const small: Dataset = {
      nRows: n,
      columns: [
        { kind: 'number', name: 'z', values: z },
        { kind: 'number', name: 'y', values: y },
        { kind: 'text', name: 'level', values: level },
      ],
    };
    const plan = parsePlan({
      trial: { name: 'Small levels' },
      assignment: 'z',
      arms: { control: { value: '0' }, treatment: { value: '1' } },
      outcomes: [{ column: 'y', type: 'continuous', primary: true }],
      subgroups: ['level'],
      minimumSubgroupArmSize: 4,
    });
    const result = await buildReport(plan, small);
    const [summary] = result.subgroupTests!;
    expect(summary!.test!.levelsTested).toEqual(['a', 'b']);
    expect(summary!.levels.find((l) => l.level === 'c')).toMatchObject({ nTreatment: 2, nControl: 5, estimated: false });
    expect(result.deviations!.filter((d) => d.code === 'SUBGROUP_TOO_SMALL').map((d) => d.what)).toEqual([
      'Among participants with "y" (complete cases), the subgroup level = c has 2 participants in its smaller arm (minimum 4).',
    ]);
    expect(result.estimates.filter((e) => e['subgroupColumn'] === 'level').map((e) => e['subgroupLevel'])).toEqual(['a', 'b']);
  });

  it('a missing required column is an error naming the field and the closest column', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, received: 'startd' });
    await expect(buildReport(plan, data)).rejects.toMatchObject({
      code: ReportErrorCode.planUnknownColumn,
      argument: 'received',
      message: expect.stringContaining('Did you mean "started"?'),
    });
  });

  it('strictColumns turns a missing optional column into an error', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, covariates: ['agee'] });
    await expect(buildReport(plan, data, { strictColumns: true })).rejects.toMatchObject({ code: ReportErrorCode.planUnknownColumn, argument: 'covariates[0]' });
  });

  it('an assignment value that is neither arm is an error with its row', async () => {
    const plan = parsePlan({ ...SAMPLE_PLAN, arms: { control: { value: '0', label: 'C' }, treatment: { value: '2', label: 'T' } } });
    await expect(buildReport(plan, data)).rejects.toMatchObject({ code: ReportErrorCode.planBadValue, column: 'assigned', row: rows.findIndex((r) => r.assigned === 1) + 1 });
  });
});
