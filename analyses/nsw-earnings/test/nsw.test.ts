/**
 * The NSW analysis against R's estimatr 1.0.0 on the same file (fixtures/nsw-estimatr.json, made by
 * fixtures/make-fixtures.R; R and estimatr versions recorded in the JSON), at 1e-8 relative, and the report.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Estimate } from '@trialkit/core';
import { runNsw, PUBLISHED_BENCHMARK, type NswResult } from '../src/nsw.js';
import fixture from '../fixtures/nsw-estimatr.json' with { type: 'json' };
import { browserProblems, checkInBrowser, findChromium, type BrowserFindings } from '@trialkit/report/testing';

const chromiumPath = findChromium();

const RELATIVE = 1e-8;
function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(RELATIVE * Math.abs(expected));
}
interface RRow {
  estimate: number;
  std_error: number;
  statistic: number;
  p_value: number;
  conf_low: number;
  conf_high: number;
  df: number;
}
function matchesEstimatr(e: Estimate, r: RRow): void {
  close(e.estimate, r.estimate);
  close(e.stdError, r.std_error);
  close(e.statistic, r.statistic);
  close(e.pValue, r.p_value);
  close(e.confLow, r.conf_low);
  close(e.confHigh, r.conf_high);
  close(e.df, r.df);
}

describe('the NSW analysis', () => {
  let dir: string;
  let nsw: NswResult;
  let browser: BrowserFindings | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialkit-nsw-'));
    nsw = await runNsw({ reportPath: join(dir, 'nsw-earnings.html'), generatedAt: '2026-11-24T00:00:00Z' });
    if (chromiumPath !== undefined) browser = await checkInBrowser(nsw.reportPath, chromiumPath);
  }, 110_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`uses R's fixture from estimatr ${fixture.estimatr_version} (${fixture.r_version}) on all ${fixture.n} men`, () => {
    expect(fixture.estimatr_version).toBe('1.0.0');
    expect(nsw.nObs).toBe(fixture.n);
    expect(nsw.earnings.differenceInMeans.nObs).toBe(fixture.n);
  });

  it('matches difference_in_means(re78 ~ treat) and the published experimental benchmark', () => {
    matchesEstimatr(nsw.earnings.differenceInMeans, fixture.difference_in_means);
    expect(nsw.earnings.differenceInMeans.seType).toBe('Welch');
    // Dehejia & Wahba (1999, Table 3) report the difference in means rounded to the dollar.
    expect(Math.round(nsw.earnings.differenceInMeans.estimate)).toBe(PUBLISHED_BENCHMARK);
  });

  it('matches lm_robust(re78 ~ treat + covariates, se_type = "HC2")', () => {
    matchesEstimatr(nsw.earnings.lmRobust, fixture.lm_robust_hc2);
    expect(nsw.earnings.lmRobust.seType).toBe('HC2');
  });

  it('matches lm_lin(re78 ~ treat, ~ covariates, se_type = "HC2")', () => {
    matchesEstimatr(nsw.earnings.lin, fixture.lm_lin_hc2);
  });

  it('matches the in-work risk difference, risk ratio (Katz) and odds ratio (Woolf)', () => {
    matchesEstimatr(nsw.inWork.riskDifference, fixture.in_work.risk_difference);
    const { risk_ratio: rr, odds_ratio: or } = fixture.in_work;
    close(nsw.inWork.riskRatio.estimate, rr.estimate);
    close(nsw.inWork.riskRatio.stdError, rr.log_std_error);
    close(nsw.inWork.riskRatio.confLow, rr.conf_low);
    close(nsw.inWork.riskRatio.confHigh, rr.conf_high);
    close(nsw.inWork.oddsRatio.estimate, or.estimate);
    close(nsw.inWork.oddsRatio.stdError, or.log_std_error);
    close(nsw.inWork.oddsRatio.confLow, or.conf_low);
    close(nsw.inWork.oddsRatio.confHigh, or.conf_high);
  });

  it('writes a self-contained report (no scripts, no remote resources) with the results', async () => {
    const html = await readFile(nsw.reportPath, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    expect(html).toContain('National Supported Work');
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(nsw.summary).toContain('US$1,794');
  });

  it.skipIf(chromiumPath === undefined)('passes the report issue\'s browser checks in Chromium (axe WCAG 2.2 AA, no requests, outline, chart names, tables)', () => {
    expect(browserProblems(browser!, { minCharts: 2, minTables: 3 })).toEqual([]);
  });
});
