import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserProblems, checkInBrowser, findChromium, type BrowserFindings } from '@trialkit/report/testing';
import { runDemo, type DemoResult } from '../src/demo.js';

const chromiumPath = findChromium();

describe('the demo', () => {
  let dir: string;
  let demo: DemoResult;
  let browser: BrowserFindings | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialkit-demo-'));
    demo = await runDemo({ dataDir: join(dir, 'data'), reportPath: join(dir, 'demo.html'), generatedAt: '2026-11-24T00:00:00Z' });
    if (chromiumPath !== undefined) browser = await checkInBrowser(demo.reportPath, chromiumPath);
  }, 110_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints a CACE whose 95% CI covers the simulator's true complier effect", () => {
    expect(demo.cace.estimand).toBe('CACE');
    expect(demo.cace.level).toBe(0.95);
    expect(demo.cace.confLow).toBeLessThan(demo.truth.population.cace);
    expect(demo.cace.confHigh).toBeGreaterThan(demo.truth.population.cace);
    expect(demo.cace.confLow).toBeLessThan(demo.truth.sample.cace);
    expect(demo.cace.confHigh).toBeGreaterThan(demo.truth.sample.cace);
    expect(demo.summary).toContain('CACE');
  });

  it('recovers the ITT and the complier share within their CIs', () => {
    expect(demo.itt.confLow).toBeLessThan(demo.truth.population.itt);
    expect(demo.itt.confHigh).toBeGreaterThan(demo.truth.population.itt);
    expect(demo.firstStage.confLow).toBeLessThan(demo.truth.population.complierShare);
    expect(demo.firstStage.confHigh).toBeGreaterThan(demo.truth.population.complierShare);
    // The Wald identity: CACE = ITT / first stage.
    expect(demo.cace.estimate).toBeCloseTo(demo.itt.estimate / demo.firstStage.estimate, 12);
  });

  it('writes a self-contained report with the results and an inline SVG chart', async () => {
    const html = await readFile(demo.reportPath, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('Work and Health Programme');
  });

  it('writes the data as CSV and Parquet with the allocation list', async () => {
    const csv = await readFile(demo.dataPath, 'utf8');
    expect(csv.split('\n')[0]).toContain('job_outcome');
    const list = await readFile(join(dir, 'data', 'whp-demo-allocation.csv'), 'utf8');
    expect(list.trim().split('\n')).toHaveLength(10_001);
  });

  it.skipIf(chromiumPath === undefined)('passes the report issue\'s browser checks in Chromium (axe WCAG 2.2 AA, no requests, outline, chart names, tables)', () => {
    expect(browserProblems(browser!, { minCharts: 3, minTables: 5 })).toEqual([]);
  });
});
