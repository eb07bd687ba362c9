/**
 * The WHP-style RCT analysis at its fixed seed: the allocation verifies (and a tampered file does not), every 95% CI
 * covers the simulator's truth, the pieces agree with each other (τ(1) = the Wald CACE, the report's estimates =
 * estimate()'s), and the report is written, self-contained and passes the report's browser checks.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readData } from '@trialkit/data';
import { participantsFromDataset, verifyList, type AllocationMeta } from '@trialkit/allocation';
import { estimate } from '@trialkit/estimators';
import { runWhpRct, type WhpRctResult } from '../src/whp.js';
import { covers, texts } from '../src/tools.js';
import { browserProblems, checkInBrowser, findChromium, type BrowserFindings } from '@trialkit/report/testing';

const chromiumPath = findChromium();
if (chromiumPath === undefined) console.warn('whp-rct browser checks skipped: no Chromium found (apt-get install -y chromium).');

describe('the WHP-style RCT analysis', () => {
  let dir: string;
  let whp: WhpRctResult;
  let browser: BrowserFindings | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialkit-whp-rct-'));
    whp = await runWhpRct({ dataDir: join(dir, 'data'), reportPath: join(dir, 'whp-rct.html'), riDraws: 100, generatedAt: '2026-12-06T00:00:00Z' });
    if (chromiumPath !== undefined) browser = await checkInBrowser(whp.reportPath, chromiumPath);
  }, 110_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies the allocation: the list regenerates from its scheme and seed, and the data carry its arms', () => {
    expect(whp.allocation.ok).toBe(true);
    expect(whp.allocation.problems).toEqual([]);
    expect(whp.allocation.schemeVersion).toBe('block@1');
    expect(whp.allocation.rows).toBe(10_000);
    expect(whp.allocation.compared).toBe(10_000);
    expect(whp.allocation.dataMismatches).toBe(0);
    // Permuted blocks of at most 6 within office: arms differ by at most 3 in each office.
    expect(whp.allocation.countsByOffice).toHaveLength(12);
    for (const o of whp.allocation.countsByOffice) expect(Math.abs(o.whp - o.control)).toBeLessThanOrEqual(3);
    expect(whp.report.provenance?.allocationVerification?.status).toBe('verified');
  });

  it('catches an analysis file whose assignment was changed after allocation', async () => {
    const data = await readData(whp.dataPath);
    const arms = texts(data, 'arm');
    arms[41] = arms[41] === 'whp' ? 'control' : 'whp';
    const meta = JSON.parse(await readFile(join(dir, 'data', 'whp-rct-allocation.meta.json'), 'utf8')) as AllocationMeta;
    const result = verifyList({
      listCsv: await readFile(join(dir, 'data', 'whp-rct-allocation.csv'), 'utf8'),
      meta,
      participants: participantsFromDataset(data, { id: 'id', strata: ['office'] }),
      data: { ids: texts(data, 'id'), assignments: arms },
    });
    expect(result.ok).toBe(false);
    expect(result.data?.mismatches).toEqual([expect.objectContaining({ id: 'P000042', row: 42 })]);
    // A different seed does not regenerate the list.
    const wrongSeed = verifyList({
      listCsv: await readFile(join(dir, 'data', 'whp-rct-allocation.csv'), 'utf8'),
      meta,
      seed: 'another-seed',
      participants: participantsFromDataset(data, { id: 'id', strata: ['office'] }),
    });
    expect(wrongSeed.problems.map((p) => p.code)).toContain('LIST_SEED_NOT_COMMITTED');
  });

  it("covers the true ITT, complier share and CACE of the job outcome with its 95% CIs", () => {
    const { job, truths, truth } = whp;
    expect(job.itt.level).toBe(0.95);
    expect(job.itt.seType).toBe('blocked');
    expect(covers(job.itt, truths.jobItt)).toBe(true);
    expect(covers(job.itt, truth.sample.itt)).toBe(true);
    expect(covers(job.lin, truths.jobItt)).toBe(true);
    expect(covers(job.firstStage, truths.complierShare)).toBe(true);
    expect(covers(job.cace, truths.jobCace)).toBe(true);
    expect(covers(job.cace, truth.sample.cace)).toBe(true);
    expect(covers(job.linCace, truths.jobCace)).toBe(true);
    expect(covers(whp.compliance.takeUp, truths.takeUp)).toBe(true);
    // The effect is detected: the ITT's CI and the randomisation test both exclude no effect.
    expect(job.itt.confLow).toBeGreaterThan(0);
    expect(whp.randomisation.scheme).toBe('block@1');
    expect(whp.randomisation.draws).toBe(100);
    expect(whp.randomisation.pValue).toBeLessThan(0.05);
    // The plan's randomisation inference (report: complete randomisation within office) agrees: no redraw as extreme.
    expect(job.itt['riDraws']).toBe(2000);
    expect(job.itt['riPValue']).toBeCloseTo(1 / 2001, 12);
  });

  it('covers the true earnings effects and the true rise in any job start by 365 days', () => {
    const { earnings, timeToJob, truths } = whp;
    expect(covers(earnings.itt, truths.earningsItt)).toBe(true);
    expect(covers(earnings.cace, truths.earningsCace)).toBe(true);
    expect(timeToJob.incidence.estimator).toBe('km_cumulative_incidence');
    expect(covers(timeToJob.incidence, truths.incidenceItt)).toBe(true);
    // More and earlier job starts in the programme arm: HR > 1, less time without a job.
    expect(timeToJob.hazardRatio.confLow).toBeGreaterThan(1);
    expect(timeToJob.rmst.confHigh).toBeLessThan(0);
  });

  it('recovers contamination by office and its rise over the months', () => {
    expect(whp.byOffice).toHaveLength(12);
    expect(whp.byOffice.filter((o) => covers(o, o.truth)).length).toBeGreaterThanOrEqual(10);
    // Offices are ordered by their true rate (6% … 22%): the estimates follow it.
    const truthOrder = whp.byOffice.map((o) => o.truth);
    const est = whp.byOffice.map((o) => o.estimate);
    const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
    const [mt, me] = [mean(truthOrder), mean(est)];
    const cov = truthOrder.reduce((s, t, i) => s + (t - mt) * (est[i]! - me), 0);
    const r = cov / Math.sqrt(truthOrder.reduce((s, t) => s + (t - mt) ** 2, 0) * est.reduce((s, e) => s + (e - me) ** 2, 0));
    expect(r).toBeGreaterThan(0.8);
    expect(whp.byMonth.map((m) => m.label)).toEqual(Array.from({ length: 12 }, (_, k) => String(k + 1)));
    expect(covers(whp.monthlyRise, whp.truths.monthlyRise)).toBe(true);
    expect(whp.monthlyRise.confLow).toBeGreaterThan(0);
  });

  it('τ(λ) runs from ITT / take-up (λ = 0) to the Wald CACE (λ = 1), and the bounds contain the truth', async () => {
    const first = whp.sensitivity[0]!;
    const last = whp.sensitivity.at(-1)!;
    expect(first.lambda).toBe(0);
    expect(last.lambda).toBe(1);
    expect(last.estimate).toBeCloseTo(whp.job.cace.estimate, 10);
    // λ = 0 is the unblocked ITT over take-up.
    const unblocked = estimate(await readData(whp.dataPath), { roles: { outcome: 'job_outcome', assignment: 'assigned' } }).estimates[0]!;
    expect(first.estimate).toBeCloseTo(unblocked.estimate / whp.compliance.takeUp.estimate, 10);
    expect(first.estimate).toBeLessThan(last.estimate);
    // The simulator's truth is λ = 1 (controls' similar support is the treatment): τ(1)'s CI covers it.
    expect(covers(last, whp.truths.jobCace)).toBe(true);
    // The bounds are on the average effect over everyone (ATE). The simulator never changes always- or never-takers'
    // treatment, so their effect is undefined: the ATE is the ITT if it is zero, the CACE if it equals the compliers'.
    // The bounds contain both.
    for (const truth of [whp.truths.jobItt, whp.truths.jobCace]) {
      expect(whp.bounds.lower).toBeLessThan(truth);
      expect(whp.bounds.upper).toBeGreaterThan(truth);
    }
  });

  it('reports subgroups whose CACEs cover the common true effect, and interaction tests that find no difference', () => {
    expect(whp.subgroups.map((s) => `${s.subgroup}=${s.level}`)).toEqual([
      'disabled=0',
      'disabled=1',
      'health=mental_health',
      'health=musculoskeletal',
      'health=none',
      'health=other',
    ]);
    for (const s of whp.subgroups) expect(covers(s.cace, whp.truths.jobCace), `${s.subgroup} = ${s.level}`).toBe(true);
    // The report's subgroup ITTs are the same numbers (it estimates each level on its own rows, blocked by office
    // where the level has both arms in every office; ours are unblocked, so compare loosely).
    const reported = whp.report.estimates.filter((e) => e['subgroup'] !== undefined);
    expect(reported).toHaveLength(6);
    expect(whp.interactions.map((t) => [t.subgroup, t.test.q, t.test.seType])).toEqual([
      ['disabled', 1, 'HC2'],
      ['health', 3, 'HC2'],
    ]);
    for (const { test } of whp.interactions) {
      expect(test.pValue).toBeGreaterThan(0.05);
      expect(test.chiSquarePValue).toBeGreaterThan(0.05);
    }
    // Two levels: the interaction coefficient is the difference of the two subgroup ITTs (unblocked, saturated model).
    const [notDisabled, disabled] = whp.subgroups;
    expect(whp.interactions[0]!.test.coefficients[0]).toBeCloseTo(disabled!.itt.estimate - notDisabled!.itt.estimate, 10);
  });

  it('covers the true benefit-exit effects and prices an additional job outcome against the true £35,000', () => {
    const { benefitExit, cost, truths } = whp;
    expect(covers(benefitExit.itt, truths.benefitExitItt)).toBe(true);
    expect(covers(benefitExit.cace, truths.benefitExitCace)).toBe(true);
    expect(covers(cost.itt, truths.costItt)).toBe(true);
    expect(covers(cost.similarProvisionItt, truths.similarProvisionCostItt)).toBe(true);
    expect(truths.costPerJob).toBeCloseTo(35_000, 6);
    expect(cost.perAdditionalJob).toBeCloseTo(cost.itt.estimate / whp.job.itt.estimate, 10);
    const [low, high] = cost.perAdditionalJobRange!;
    expect(low).toBeLessThan(truths.costPerJob);
    expect(high).toBeGreaterThan(truths.costPerJob);
    expect(cost.netPerAdditionalJob).toBeLessThan(cost.perAdditionalJob);
  });

  it('writes a self-contained report with every planned section and no deviation but the documented one', async () => {
    const html = await readFile(whp.reportPath, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    expect(html).toContain('Work and Health Programme');
    expect(html).toContain('Days to first job start');
    expect(html).toContain('regenerated byte for byte');
    // What the script ran beyond the plan is in the report's Methods, labelled, with the simulator's truth.
    expect(html).toContain('Additional analyses, not in the plan');
    expect(html).toContain('Simulated data, so the truth is known');
    expect(html).toMatch(/<svg[^>]*role="img"/);
    // The one departure: the plan's randomisation test does not apply to the time-to-event outcome.
    expect((whp.report.deviations ?? []).map((d) => d.code)).toEqual(['RI_NOT_FOR_TIME_TO_EVENT']);
    expect(whp.summary).toContain('allocation: verified');
  });

  it.skipIf(chromiumPath === undefined)('passes the report’s browser checks in Chromium (axe WCAG 2.2 AA, no requests, outline, names, tables)', () => {
    expect(browserProblems(browser!, { minCharts: 4, minTables: 6 })).toEqual([]);
  });
});
