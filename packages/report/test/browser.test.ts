/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report in a real browser (Debian's Chromium via playwright-core): WCAG A/AA by axe-core, zero network
 * requests, injection payloads inert, heading outline, accessible names of charts, table headers, text metrics as
 * laid out by vega, and non-blank screenshots at desktop and phone widths.
 *
 * Chromium is found at /usr/bin/chromium or on PATH; CI installs it. Without it the suite is skipped with a message.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readData } from '@trialkit/data';
import { buildReport, parsePlan, renderReport } from '../src/index.js';
import { SAMPLE_PLAN, TIME_TO_JOB_OUTCOME, writeSimulatedCsv } from './fixtures/simulate.js';
import { textWidth } from '../src/font-metrics.js';
import { hostileInput, sampleInput } from './fixtures/sample-input.js';

function findChromium(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

const executablePath = findChromium();
if (executablePath === undefined)
  console.warn('browser.test.ts skipped: no Chromium found (install it with `apt-get install -y chromium`).');

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

describe.skipIf(executablePath === undefined)('the report in Chromium', () => {
  let browser: Browser;
  let folder: string;
  const files: Record<'sample' | 'hostile' | 'built' | 'builtSurvival' | 'hostilePlan', string> = { sample: '', hostile: '', built: '', builtSurvival: '', hostilePlan: '' };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'trialkit-report-browser-'));
    files.sample = join(folder, 'sample.html');
    files.hostile = join(folder, 'hostile.html');
    await writeFile(files.sample, await renderReport(sampleInput()));
    await writeFile(files.hostile, await renderReport(hostileInput()));
    // A report built end to end from a plan and simulated data (every section present).
    files.built = join(folder, 'built.html');
    await writeSimulatedCsv(join(folder, 'trial.csv'), 2000);
    // With randomisation p-values, a four-level subgroup, attrition and a bootstrap ratio too, so the new columns, the
    // interaction table and the attrition and ratio sections are checked.
    const built = await buildReport(
      parsePlan({ ...SAMPLE_PLAN, subgroups: ['female', 'office'], randomisationInference: { draws: 199, seed: 'browser-test' }, attrition: { outcomes: ['job13', 'earnings'] },
        bootstrap: { reps: 199, seed: 'browser-test', ratios: [{ label: 'Earnings gain per additional job outcome', numerator: 'earnings', denominator: 'job13', unit: '£' }] } }),
      await readData(join(folder, 'trial.csv')),
    );
    await writeFile(files.built, await renderReport(built));
    // Time to first job as the primary outcome by two subgroups: the hazard-ratio subgroup panels subtitled with the
    // Cox interaction test and the interaction table's Wald χ² rows.
    files.builtSurvival = join(folder, 'built-survival.html');
    const builtSurvival = await buildReport(
      parsePlan({ ...SAMPLE_PLAN, outcomes: [{ ...TIME_TO_JOB_OUTCOME, primary: true }, { ...SAMPLE_PLAN.outcomes[0], primary: false }], subgroups: ['female', 'office'] }),
      await readData(join(folder, 'trial.csv')),
    );
    await writeFile(files.builtSurvival, await renderReport(builtSurvival));
    // A plan whose names carry injection payloads, on data whose office names carry them too.
    files.hostilePlan = join(folder, 'hostile-plan.html');
    const csv = (await readFile(join(folder, 'trial.csv'), 'utf8')).replaceAll('North', '<img src=x onerror=window.__pwned=7>');
    await writeFile(join(folder, 'hostile.csv'), csv);
    const hostilePlan = {
      ...SAMPLE_PLAN,
      trial: { name: '<script>window.__pwned=8</script>', subtitle: '<svg onload=window.__pwned=9>', registration: { id: '"><script>window.__pwned=10</script>' } },
      arms: { control: { value: '0', label: '<b onmouseover=window.__pwned=11>Control</b>' }, treatment: { value: '1', label: '</title><script>window.__pwned=12</script>' } },
      outcomes: SAMPLE_PLAN.outcomes.map((o, i) => ({ ...o, label: `<iframe src=javascript:window.__pwned=${13 + i}>`, ...(o.unit !== undefined ? { unit: '<u>£</u>' } : {}) })),
      // Office names carry a payload: as subgroup levels they reach the forest plot and the interaction table.
      subgroups: ['office'],
    };
    const hostileBuilt = await buildReport(parsePlan(hostilePlan), await readData(join(folder, 'hostile.csv')));
    await writeFile(files.hostilePlan, await renderReport(hostileBuilt));
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Open a report, recording every request the page makes and refusing any that leaves the file. */
  async function open(
    file: string,
    options: { width?: number; bypassCSP?: boolean } = {},
  ): Promise<{ page: Page; context: BrowserContext; requests: string[]; consoleErrors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      bypassCSP: options.bypassCSP ?? false,
    });
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return url === pathToFileURL(file).href ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('dialog', (dialog) => {
      consoleErrors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, context, requests, consoleErrors };
  }

  async function axeViolations(page: Page): Promise<AxeViolation[]> {
    await page.addScriptTag({ path: AXE_PATH });
    return page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    }, WCAG_TAGS);
  }

  for (const name of ['sample', 'hostile', 'built', 'builtSurvival', 'hostilePlan'] as const) {
    it(`axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation (${name} report)`, async () => {
      // axe is injected as a script, which the report's own CSP forbids: bypass it for this context only.
      const { page, context } = await open(files[name], { bypassCSP: true });
      const violations = await axeViolations(page);
      await context.close();
      expect(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }, 30_000);
  }

  it('makes no network request: the only request is the file itself', async () => {
    const { page, context, requests } = await open(files.sample);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await page.waitForTimeout(100);
    await context.close();
    expect(requests).toEqual([pathToFileURL(files.sample).href]);
  });

  it('runs no injected script, even with the CSP switched off (escaping alone holds)', async () => {
    for (const [file, bypassCSP] of [[files.hostile, false], [files.hostile, true], [files.hostilePlan, true]] as const) {
      const { page, context, consoleErrors, requests } = await open(file, { bypassCSP });
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img, iframe, b, u').length,
        handlers: [...document.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes].filter((attribute) => attribute.name.startsWith('on')).map((a) => a.name),
        ),
        title: document.title,
      }));
      await context.close();
      expect(state).toEqual({ pwned: undefined, scripts: 0, images: 0, handlers: [], title: expect.stringContaining('<script>') });
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
    }
  });

  for (const name of ['sample', 'built', 'builtSurvival'] as const)
  it(`has one h1 and headings that never skip a level (${name} report)`, async () => {
    const { page, context } = await open(files[name]);
    const levels = await page.evaluate(() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1])));
    await context.close();
    expect(levels[0]).toBe(1);
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    for (let index = 1; index < levels.length; index++) expect(levels[index]!).toBeLessThanOrEqual(levels[index - 1]! + 1);
  });

  for (const name of ['sample', 'built', 'builtSurvival'] as const)
  it(`gives every SVG chart the role img and an accessible name (as Chromium computes it) (${name} report)`, async () => {
    const { page, context } = await open(files[name]);
    const svgs = page.locator('svg');
    const count = await svgs.count();
    expect(count).toBeGreaterThan(0);
    for (let index = 0; index < count; index++) {
      const snapshot = await svgs.nth(index).ariaSnapshot();
      // YAML quotes the whole line when the name contains a colon.
      expect(snapshot).toMatch(/^- '?img "[^"]{10,}"/);
    }
    await context.close();
  });

  for (const name of ['sample', 'built', 'builtSurvival'] as const)
  it(`gives every table a caption, column headers and row headers (${name} report)`, async () => {
    const { page, context } = await open(files[name]);
    const tables = await page.evaluate(() =>
      [...document.querySelectorAll('table')].map((table) => ({
        caption: table.caption?.textContent?.trim() ?? '',
        columnHeaders: [...table.querySelectorAll('thead th')].map((th) => th.getAttribute('scope')),
        emptyHeaders: [...table.querySelectorAll('th')].filter((th) => (th.textContent ?? '').trim() === '').length,
        rowsWithoutRowHeader: [...table.querySelectorAll('tbody tr')].filter((tr) => tr.firstElementChild?.tagName !== 'TH').length,
      })),
    );
    await context.close();
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.caption).not.toBe('');
      expect(table.columnHeaders.length).toBeGreaterThan(0);
      expect(table.columnHeaders.every((scope) => scope === 'col')).toBe(true);
      expect(table.emptyHeaders).toBe(0);
      expect(table.rowsWithoutRowHeader).toBe(0);
    }
  });

  it('draws chart text at the widths vega laid out (Liberation Sans metrics within 1 %)', async () => {
    const { page, context } = await open(files.sample);
    const texts = await page.evaluate(() =>
      [...document.querySelectorAll('svg text')].map((text) => {
        const style = getComputedStyle(text);
        return {
          text: text.textContent ?? '',
          size: parseFloat(style.fontSize),
          weight: style.fontWeight,
          drawn: (text as SVGTextContentElement).getComputedTextLength(),
        };
      }),
    );
    const fontUsable = await page.evaluate(() => document.fonts.check('12px "Liberation Sans"'));
    await context.close();
    expect(fontUsable).toBe(true);
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      const predicted = textWidth(text.text, text.size, text.weight);
      expect(Math.abs(predicted - text.drawn), `${text.text}: predicted ${predicted}, drawn ${text.drawn}`).toBeLessThanOrEqual(
        Math.max(0.5, 0.01 * text.drawn),
      );
    }
  });

  it('prints cleanly: navigation hidden, every chart’s table shown, no figure split by the print styles', async () => {
    const { page, context } = await open(files.sample);
    const visible = (): boolean[] => [...document.querySelectorAll('details.chart-data table')].map((t) => t.checkVisibility({ contentVisibilityAuto: true }));
    const screen = await page.evaluate(visible);
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(() => ({
      tables: [...document.querySelectorAll('details.chart-data table')].map((t) => t.checkVisibility() && (t as HTMLElement).offsetHeight > 0),
      nav: getComputedStyle(document.querySelector('nav.contents')!).display,
      figureBreak: getComputedStyle(document.querySelector('figure')!).breakInside,
    }));
    const pdf = await page.pdf({ format: 'A4' });
    await context.close();
    expect(screen.length).toBeGreaterThan(0);
    expect(screen.every((shown) => !shown)).toBe(true); // collapsed on screen
    expect(print.tables.length).toBe(screen.length);
    expect(print.tables.every((shown) => shown)).toBe(true);
    expect(print.nav).toBe('none');
    expect(print.figureBreak).toBe('avoid');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  for (const width of [1280, 390]) {
    it(`screenshots at ${width} px are not blank, and nothing overflows the page sideways`, async () => {
      const { page, context } = await open(files.sample, { width });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const path = join(folder, `report-${width}.png`);
      const png = await page.screenshot({ path, fullPage: true });
      // Measure the picture in the browser: decode it into a canvas and compute the variance of luminance.
      const probe = await context.newPage();
      const stats = await probe.evaluate(async (base64) => {
        const image = new Image();
        image.src = `data:image/png;base64,${base64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context2d = canvas.getContext('2d')!;
        context2d.drawImage(image, 0, 0);
        const { data } = context2d.getImageData(0, 0, image.width, image.height);
        let sum = 0;
        let sumSquares = 0;
        let dark = 0;
        const pixels = data.length / 4;
        for (let offset = 0; offset < data.length; offset += 4) {
          const luminance = 0.2126 * data[offset]! + 0.7152 * data[offset + 1]! + 0.0722 * data[offset + 2]!;
          sum += luminance;
          sumSquares += luminance * luminance;
          if (luminance < 128) dark++;
        }
        const mean = sum / pixels;
        return { width: image.width, height: image.height, variance: sumSquares / pixels - mean * mean, darkShare: dark / pixels };
      }, png.toString('base64'));
      await context.close();
      expect(stats.width).toBe(width);
      expect(stats.height).toBeGreaterThan(900);
      expect(stats.variance).toBeGreaterThan(100);
      expect(stats.darkShare).toBeGreaterThan(0.005);
      expect(overflow).toBeLessThanOrEqual(0);
    }, 30_000);
  }
});
