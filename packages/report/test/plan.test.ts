import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportErrorCode, parsePlan, parsePlanText, readPlan } from '../src/index.js';
import { SAMPLE_PLAN, TIME_TO_JOB_OUTCOME } from './fixtures/simulate.js';

const withField = (patch: Record<string, unknown>): unknown => ({ ...SAMPLE_PLAN, ...patch });
/** The sample plan with its time-to-event outcome (outcomes[2]) patched. */
const withTimeToEvent = (patch: Record<string, unknown>): unknown =>
  withField({ outcomes: [SAMPLE_PLAN.outcomes[0], SAMPLE_PLAN.outcomes[1], { ...TIME_TO_JOB_OUTCOME, ...patch }] });

describe('parsePlan', () => {
  it('reads a full plan with defaults filled in', () => {
    const plan = parsePlan(SAMPLE_PLAN);
    expect(plan.arms.treatment).toEqual({ value: '1', label: 'Work and Health Programme' });
    expect(plan.outcomes[0]).toMatchObject({ column: 'job13', type: 'binary', primary: true, estimands: ['ITT', 'CACE'] });
    expect(plan.outcomes[1]!.primary).toBe(false);
    expect(plan.multiplicity).toBe('holm');
    expect(plan.minimumSubgroupArmSize).toBe(30);
    expect(plan.outcomes[2]).toMatchObject({ type: 'time-to-event', event: 'job_started', horizon: 365, times: [0, 90, 180, 270, 365] });
  });

  it('balance defaults to the covariates; level to 0.95; numbers as arm values become text', () => {
    const plan = parsePlan(withField({ balance: undefined, covariates: ['age'], level: undefined, arms: { control: { value: 0 }, treatment: { value: 1 } } }));
    expect(plan.balance).toEqual(['age']);
    expect(plan.level).toBe(0.95);
    expect(plan.arms.control).toEqual({ value: '0', label: '0' });
  });

  const cases: [string, unknown, string, string][] = [
    ['missing trial', withField({ trial: undefined }), ReportErrorCode.planMissingField, 'trial'],
    ['missing trial name', withField({ trial: {} }), ReportErrorCode.planMissingField, 'trial.name'],
    ['missing assignment', withField({ assignment: undefined }), ReportErrorCode.planMissingField, 'assignment'],
    ['assignment not text', withField({ assignment: ['a'] }), ReportErrorCode.planWrongType, 'assignment'],
    ['outcomes not a list', withField({ outcomes: { column: 'y' } }), ReportErrorCode.planWrongType, 'outcomes'],
    ['outcome type missing', withField({ outcomes: [{ column: 'y', primary: true }] }), ReportErrorCode.planMissingField, 'outcomes[0].type'],
    ['outcome type unknown', withField({ outcomes: [{ column: 'y', type: 'count', primary: true }] }), ReportErrorCode.planBadValue, 'outcomes[0].type'],
    ['primary not boolean', withField({ outcomes: [{ column: 'y', type: 'binary', primary: 'yes' }] }), ReportErrorCode.planWrongType, 'outcomes[0].primary'],
    ['no primary outcome', withField({ outcomes: [{ column: 'y', type: 'binary' }] }), ReportErrorCode.planMissingField, 'outcomes'],
    ['unknown estimand', withField({ outcomes: [{ column: 'y', type: 'binary', primary: true, estimands: ['ATT'] }] }), ReportErrorCode.planBadValue, 'outcomes[0].estimands[0]'],
    ['CACE without received', withField({ received: undefined }), ReportErrorCode.planMissingField, 'received'],
    ['duplicate outcome', withField({ outcomes: [SAMPLE_PLAN.outcomes[0], SAMPLE_PLAN.outcomes[0]] }), ReportErrorCode.planDuplicate, 'outcomes[1].column'],
    ['level out of range', withField({ level: 95 }), ReportErrorCode.planBadValue, 'level'],
    ['level as text', withField({ level: '0.95' }), ReportErrorCode.planWrongType, 'level'],
    ['unknown variance', withField({ variance: 'HC5' }), ReportErrorCode.planBadValue, 'variance'],
    ['heteroskedastic variance with a cluster', withField({ cluster: 'office', variance: 'HC2' }), ReportErrorCode.planBadValue, 'variance'],
    ['unknown multiplicity', withField({ multiplicity: 'sidak' }), ReportErrorCode.planBadValue, 'multiplicity'],
    ['covariates not a list', withField({ covariates: 'age' }), ReportErrorCode.planWrongType, 'covariates'],
    ['duplicate covariate', withField({ covariates: ['age', 'age'] }), ReportErrorCode.planDuplicate, 'covariates[1]'],
    ['same arm values', withField({ arms: { control: { value: '1' }, treatment: { value: '1' } } }), ReportErrorCode.planBadValue, 'arms.treatment.value'],
    ['typo in a field name', withField({ covariats: ['age'] }), ReportErrorCode.planUnknownField, 'covariats'],
    ['typo inside an outcome', withField({ outcomes: [{ column: 'y', type: 'binary', primary: true, estimand: ['ITT'] }] }), ReportErrorCode.planUnknownField, 'outcomes[0].estimand'],
    ['time-to-event without event column', withField({ outcomes: [{ column: 't', type: 'time-to-event', primary: true }] }), ReportErrorCode.planMissingField, 'outcomes[0].event'],
    ['a negative horizon', withTimeToEvent({ horizon: -30 }), ReportErrorCode.planBadValue, 'outcomes[2].horizon'],
    ['a zero horizon', withTimeToEvent({ horizon: 0 }), ReportErrorCode.planBadValue, 'outcomes[2].horizon'],
    ['a horizon as text', withTimeToEvent({ horizon: '365' }), ReportErrorCode.planWrongType, 'outcomes[2].horizon'],
    ['a horizon on a binary outcome', withField({ outcomes: [{ ...SAMPLE_PLAN.outcomes[0], horizon: 365 }] }), ReportErrorCode.planBadValue, 'outcomes[0].horizon'],
    ['risk-table times not a list', withTimeToEvent({ times: 90 }), ReportErrorCode.planWrongType, 'outcomes[2].times'],
    ['risk-table times out of order', withTimeToEvent({ times: [0, 180, 90] }), ReportErrorCode.planBadValue, 'outcomes[2].times[2]'],
    ['a negative risk-table time', withTimeToEvent({ times: [-1, 90] }), ReportErrorCode.planBadValue, 'outcomes[2].times[0]'],
    ['a risk-table time as text', withTimeToEvent({ times: [0, '90'] }), ReportErrorCode.planWrongType, 'outcomes[2].times[1]'],
    ['minimum subgroup size too small', withField({ minimumSubgroupArmSize: 1 }), ReportErrorCode.planBadValue, 'minimumSubgroupArmSize'],
    ['plan not an object', [1, 2], ReportErrorCode.planWrongType, '(plan)'],
    ['randomisation inference not an object', withField({ randomisationInference: 10000 }), ReportErrorCode.planWrongType, 'randomisationInference'],
    ['randomisation inference without draws', withField({ randomisationInference: { seed: 1 } }), ReportErrorCode.planMissingField, 'randomisationInference.draws'],
    ['randomisation draws as text', withField({ randomisationInference: { draws: '10000', seed: 1 } }), ReportErrorCode.planWrongType, 'randomisationInference.draws'],
    ['fractional randomisation draws', withField({ randomisationInference: { draws: 99.5, seed: 1 } }), ReportErrorCode.planBadValue, 'randomisationInference.draws'],
    ['zero randomisation draws', withField({ randomisationInference: { draws: 0, seed: 1 } }), ReportErrorCode.planBadValue, 'randomisationInference.draws'],
    ['too many randomisation draws', withField({ randomisationInference: { draws: 1e9, seed: 1 } }), ReportErrorCode.planBadValue, 'randomisationInference.draws'],
    ['randomisation inference without a seed', withField({ randomisationInference: { draws: 10000 } }), ReportErrorCode.planMissingField, 'randomisationInference.seed'],
    ['a negative seed', withField({ randomisationInference: { draws: 10000, seed: -3 } }), ReportErrorCode.planBadValue, 'randomisationInference.seed'],
    ['a fractional seed', withField({ randomisationInference: { draws: 10000, seed: 1.5 } }), ReportErrorCode.planBadValue, 'randomisationInference.seed'],
    ['a seed above 2^64 − 1', withField({ randomisationInference: { draws: 10000, seed: '18446744073709551616' } }), ReportErrorCode.planBadValue, 'randomisationInference.seed'],
    ['an empty seed', withField({ randomisationInference: { draws: 10000, seed: ' ' } }), ReportErrorCode.planBadValue, 'randomisationInference.seed'],
    ['a seed as a list', withField({ randomisationInference: { draws: 10000, seed: [1] } }), ReportErrorCode.planWrongType, 'randomisationInference.seed'],
    ['an unknown randomisation statistic', withField({ randomisationInference: { draws: 10000, seed: 1, statistic: 'rank' } }), ReportErrorCode.planBadValue, 'randomisationInference.statistic'],
    ['attrition not an object', withField({ attrition: 'surveyed' }), ReportErrorCode.planWrongType, 'attrition'],
    ['attrition of an outcome not in the plan', withField({ attrition: { outcomes: ['wages'] } }), ReportErrorCode.planBadValue, 'attrition.outcomes[0]'],
    ['attrition of a time-to-event outcome', withField({ attrition: { outcomes: ['days_to_first_job'] } }), ReportErrorCode.planBadValue, 'attrition.outcomes[0]'],
    ['attrition responded = the outcome', withField({ attrition: { responded: 'job13' } }), ReportErrorCode.planBadValue, 'attrition.responded'],
    ['attrition threshold out of range', withField({ attrition: { differentialThreshold: 5 } }), ReportErrorCode.planBadValue, 'attrition.differentialThreshold'],
    ['attrition threshold as text', withField({ attrition: { lowResponseThreshold: '0.7' } }), ReportErrorCode.planWrongType, 'attrition.lowResponseThreshold'],
    ['a typo inside attrition', withField({ attrition: { respond: 'surveyed' } }), ReportErrorCode.planUnknownField, 'attrition.respond'],
    ['bootstrap without reps', withField({ bootstrap: { seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] } }), ReportErrorCode.planMissingField, 'bootstrap.reps'],
    ['bootstrap reps as text', withField({ bootstrap: { ...{ reps: 2000, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] }, reps: '2000' } }), ReportErrorCode.planWrongType, 'bootstrap.reps'],
    ['too few bootstrap reps for the level', withField({ bootstrap: { ...{ reps: 2000, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] }, reps: 100 } }), ReportErrorCode.planBadValue, 'bootstrap.reps'],
    ['too many bootstrap reps', withField({ bootstrap: { ...{ reps: 2000, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] }, reps: 1e8 } }), ReportErrorCode.planBadValue, 'bootstrap.reps'],
    ['bootstrap without a seed', withField({ bootstrap: { reps: 2000, ratios: [{ numerator: 'earnings', denominator: 'job13' }] } }), ReportErrorCode.planMissingField, 'bootstrap.seed'],
    ['an unknown bootstrap interval', withField({ bootstrap: { ...{ reps: 2000, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] }, interval: 'studentized' } }), ReportErrorCode.planBadValue, 'bootstrap.interval'],
    ['bootstrap without ratios', withField({ bootstrap: { reps: 2000, seed: 1 } }), ReportErrorCode.planMissingField, 'bootstrap.ratios'],
    ['bootstrap with no ratios', withField({ bootstrap: { reps: 2000, seed: 1, ratios: [] } }), ReportErrorCode.planWrongType, 'bootstrap.ratios'],
    ['a ratio without a denominator', withField({ bootstrap: { reps: 2000, seed: 1, ratios: [{ numerator: 'earnings' }] } }), ReportErrorCode.planMissingField, 'bootstrap.ratios[0].denominator'],
    ['a ratio of a column to itself', withField({ bootstrap: { reps: 2000, seed: 1, ratios: [{ numerator: 'job13', denominator: 'job13' }] } }), ReportErrorCode.planBadValue, 'bootstrap.ratios[0].denominator'],
    ['a ratio of the assignment', withField({ bootstrap: { reps: 2000, seed: 1, ratios: [{ numerator: 'assigned', denominator: 'job13' }] } }), ReportErrorCode.planBadValue, 'bootstrap.ratios[0].numerator'],
    ['a typo inside a ratio', withField({ bootstrap: { reps: 2000, seed: 1, ratios: [{ numerator: 'earnings', denominater: 'job13' }] } }), ReportErrorCode.planUnknownField, 'bootstrap.ratios[0].denominater'],
    ['a typo inside randomisationInference', withField({ randomisationInference: { draw: 10000, seed: 1 } }), ReportErrorCode.planUnknownField, 'randomisationInference.draw'],
    ['screening without assessed', withField({ screening: { excluded: [] } }), ReportErrorCode.planMissingField, 'screening.assessed'],
    ['screening count not a number', withField({ screening: { assessed: 10, excluded: [{ reason: 'x', n: '3' }] } }), ReportErrorCode.planWrongType, 'screening.excluded[0].n'],
  ];
  for (const [name, value, code, field] of cases) {
    it(`refuses ${name}: ${code} at ${field}`, () => {
      expect(() => parsePlan(value, 'plan.json')).toThrowError(expect.objectContaining({ code, argument: field, file: 'plan.json' }));
    });
  }

  it('reads randomisationInference: draws, a numeric or text seed, the statistic', () => {
    expect(parsePlan(withField({ randomisationInference: { draws: 10000, seed: 'whp-2026' } })).randomisationInference).toEqual({ draws: 10000, seed: 'whp-2026' });
    expect(parsePlan(withField({ randomisationInference: { draws: 500, seed: 7, statistic: 't' } })).randomisationInference).toEqual({ draws: 500, seed: 7, statistic: 't' });
    expect(parsePlan(withField({ randomisationInference: { draws: 10, seed: '18446744073709551615' } })).randomisationInference!.seed).toBe('18446744073709551615');
    expect(parsePlan(SAMPLE_PLAN).randomisationInference).toBeUndefined();
  });

  it('reads attrition: the response column, outcomes defaulting to the binary/continuous primary ones', () => {
    expect(parsePlan(withField({ attrition: { responded: 'surveyed' } })).attrition).toEqual({ responded: 'surveyed', outcomes: ['job13'] });
    expect(parsePlan(withField({ attrition: { outcomes: ['earnings'], lowResponseThreshold: 0.6 } })).attrition).toEqual({ outcomes: ['earnings'], lowResponseThreshold: 0.6 });
  });

  it('reads bootstrap: reps (enough for the level), seed, interval (default BCa), ratios with a default label', () => {
    expect(parsePlan(withField({ bootstrap: { reps: 2000, seed: 'boot', ratios: [{ numerator: 'earnings', denominator: 'job13', unit: '£' }] } })).bootstrap).toEqual({
      reps: 2000,
      seed: 'boot',
      interval: 'bca',
      ratios: [{ label: 'earnings per additional job13', numerator: 'earnings', denominator: 'job13', unit: '£' }],
    });
    // 199 replicates are the fewest for 95% intervals, 99 for 90%.
    expect(parsePlan(withField({ bootstrap: { reps: 199, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] } })).bootstrap!.reps).toBe(199);
    expect(() => parsePlan(withField({ bootstrap: { reps: 198, seed: 1, ratios: [{ numerator: 'earnings', denominator: 'job13' }] } }))).toThrow(/at least 199 replicates/);
    expect(parsePlan(withField({ level: 0.9, bootstrap: { reps: 99, seed: 1, interval: 'percentile', ratios: [{ numerator: 'earnings', denominator: 'job13' }] } })).bootstrap!.interval).toBe('percentile');
  });

  it('suggests the closest field name for a typo', () => {
    expect(() => parsePlan(withField({ covariats: [] }))).toThrowError(/Did you mean "covariates"\?/);
  });
});

describe('parsePlanText and readPlan', () => {
  it('names the line and column of a JSON syntax error', () => {
    expect(() => parsePlanText('{\n  "trial": {"name": "x"},\n  "assignment": "z",,\n}')).toThrowError(
      expect.objectContaining({ code: ReportErrorCode.planNotJson, message: expect.stringMatching(/line 3, column \d+/) }),
    );
  });

  it('strips a BOM; reads a file; refuses a missing file with REPORT_PLAN_UNREADABLE', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'trialkit-plan-'));
    const path = join(folder, 'plan.json');
    await writeFile(path, `\uFEFF${JSON.stringify(SAMPLE_PLAN)}`);
    expect((await readPlan(path)).plan.trial.name).toBe(SAMPLE_PLAN.trial.name);
    await expect(readPlan(join(folder, 'missing.json'))).rejects.toMatchObject({ code: ReportErrorCode.planUnreadable });
  });
});
