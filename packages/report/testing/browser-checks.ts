/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report's browser checks for a report an analysis wrote (`@trialkit/report/testing`, used by the analyses'
 * tests; the importer needs playwright-core and axe-core as devDependencies): Debian's Chromium via playwright-core,
 * axe-core for WCAG 2.0/2.1/2.2 A and AA, no
 * request but the file itself, one h1 and no skipped heading level, every SVG chart an img with a name, every
 * table with a caption, column headers (scope="col") and a row header in every body row.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export function findChromium(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrowserFindings {
  /** axe violations, one line each: "id: help at targets". */
  readonly violations: readonly string[];
  /** Every URL the page requested (should be the file alone). */
  readonly requests: readonly string[];
  readonly consoleErrors: readonly string[];
  readonly headingLevels: readonly number[];
  /** ARIA snapshot of each <svg> (role and accessible name as Chromium computes them). */
  readonly charts: readonly string[];
  readonly tables: readonly { caption: string; columnScopes: (string | null)[]; emptyHeaders: number; rowsWithoutRowHeader: number }[];
  readonly scripts: number;
}

export async function checkInBrowser(file: string, executablePath: string): Promise<BrowserFindings> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const url = pathToFileURL(file).href;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // As the report opens: its own CSP on; every request recorded, any that leaves the file refused.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await page.waitForTimeout(100);
    const structure = await page.evaluate(() => ({
      headingLevels: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1])),
      tables: [...document.querySelectorAll('table')].map((table) => ({
        caption: table.caption?.textContent?.trim() ?? '',
        columnScopes: [...table.querySelectorAll('thead th')].map((th) => th.getAttribute('scope')),
        emptyHeaders: [...table.querySelectorAll('th')].filter((th) => (th.textContent ?? '').trim() === '').length,
        rowsWithoutRowHeader: [...table.querySelectorAll('tbody tr')].filter((tr) => tr.firstElementChild?.tagName !== 'TH').length,
      })),
      scripts: document.querySelectorAll('script').length,
    }));
    const svgs = page.locator('svg');
    const charts: string[] = [];
    for (let index = 0; index < (await svgs.count()); index++) charts.push(await svgs.nth(index).ariaSnapshot());
    await context.close();

    // axe is injected as a script, which the report's CSP forbids: bypass it for this context only.
    const axeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await axeContext.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const axePage = await axeContext.newPage();
    await axePage.goto(url, { waitUntil: 'load' });
    await axePage.addScriptTag({ path: axePath });
    const violations = await axePage.evaluate(async (tags) => {
      interface Violation {
        id: string;
        help: string;
        nodes: { target: string[] }[];
      }
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Violation[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }, WCAG_TAGS);
    await axeContext.close();
    return { violations, requests, consoleErrors, charts, ...structure };
  } finally {
    await browser?.close();
  }
}

/**
 * What the report issue's browser checks require of a report, as one list of problems (empty = passes): no axe
 * violation, no request but the file, no console error or script, one h1 first and no skipped heading level, every
 * chart an img with a name of at least 10 characters, every table with a caption, column headers (scope="col"), no
 * empty header and a row header in every body row; at least `minCharts` charts and `minTables` tables.
 */
export function browserProblems(b: BrowserFindings, options: { minCharts?: number; minTables?: number } = {}): string[] {
  const problems: string[] = [...b.violations.map((v) => `axe: ${v}`)];
  if (b.requests.length !== 1) problems.push(`${b.requests.length} requests (only the file itself is allowed): ${b.requests.join(', ')}`);
  problems.push(...b.consoleErrors.map((e) => `console error: ${e}`));
  if (b.scripts !== 0) problems.push(`${b.scripts} script elements`);
  if (b.headingLevels[0] !== 1) problems.push(`the first heading is h${b.headingLevels[0] ?? '?'}, not h1`);
  if (b.headingLevels.filter((l) => l === 1).length !== 1) problems.push('not exactly one h1');
  for (let i = 1; i < b.headingLevels.length; i++) {
    if (b.headingLevels[i]! > b.headingLevels[i - 1]! + 1) problems.push(`heading ${i + 1} skips from h${b.headingLevels[i - 1]} to h${b.headingLevels[i]}`);
  }
  if (b.charts.length < (options.minCharts ?? 1)) problems.push(`${b.charts.length} charts, expected at least ${options.minCharts ?? 1}`);
  for (const chart of b.charts) if (!/^- '?img "[^"]{10,}"/.test(chart)) problems.push(`a chart without an img role and a name: ${chart.slice(0, 80)}`);
  if (b.tables.length < (options.minTables ?? 1)) problems.push(`${b.tables.length} tables, expected at least ${options.minTables ?? 1}`);
  b.tables.forEach((t, i) => {
    if (t.caption === '') problems.push(`table ${i + 1} has no caption`);
    if (t.columnScopes.length === 0 || !t.columnScopes.every((s) => s === 'col')) problems.push(`table ${i + 1} (${t.caption}): column headers without scope="col"`);
    if (t.emptyHeaders !== 0) problems.push(`table ${i + 1} (${t.caption}): ${t.emptyHeaders} empty headers`);
    if (t.rowsWithoutRowHeader !== 0) problems.push(`table ${i + 1} (${t.caption}): ${t.rowsWithoutRowHeader} body rows without a row header`);
  });
  return problems;
}
