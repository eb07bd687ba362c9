import { describe, expect, it } from 'vitest';
import { renderChart, type VegaLiteSpec } from '../src/chart.js';
import { ReportErrorCode } from '../src/errors.js';
import { AF_PALETTE, contrastRatio } from '../src/palette.js';
import { forestSpec } from '../src/specs/forest.js';

const forest = forestSpec([
  {
    title: 'Job outcome',
    axisTitle: 'Effect (percentage points)',
    unit: 'percentage points',
    rows: [
      { row: 'ITT', estimand: 'ITT', estimate: 3.1, confLow: 1.2, confHigh: 5 },
      { row: 'CACE', estimand: 'CACE', estimate: 6.9, confLow: 2.7, confHigh: 11.1 },
    ],
  },
]);

describe('renderChart', () => {
  it('returns an SVG with role="img", a <title> and <desc> that name and describe it', async () => {
    const svg = await renderChart(forest, { id: 'fig-a', title: 'Effects <by> outcome', description: 'ITT 3.1 & CACE 6.9' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="fig-a-title" aria-describedby="fig-a-desc"/);
    expect(svg).toContain('<title id="fig-a-title">Effects &lt;by&gt; outcome</title>');
    expect(svg).toContain('<desc id="fig-a-desc">ITT 3.1 &amp; CACE 6.9</desc>');
    expect(svg).toContain('viewBox=');
  });

  it('names the chart font and draws marks only in palette colours, each ≥ 3:1 against white', async () => {
    const svg = await renderChart(forest, { id: 'fig-b', title: 't', description: 'd' });
    expect(svg).toContain('font-family="&quot;Liberation Sans&quot;, Arial, Helvetica, sans-serif"');
    const fills = new Set([...svg.matchAll(/(?:fill|stroke)="(#[0-9a-fA-F]{6})"/g)].map((m) => m[1]!.toUpperCase()));
    const markColours = [...fills].filter((colour) => (AF_PALETTE as readonly string[]).includes(colour));
    expect(markColours).toEqual(expect.arrayContaining(['#12436D', '#28A197']));
    for (const colour of fills) {
      if (colour === '#FFFFFF' || colour === '#D9D9D9') continue; // background and decorative grid
      expect(contrastRatio(colour, '#FFFFFF'), colour).toBeGreaterThanOrEqual(3);
    }
  });

  it('is deterministic and its internal ids do not collide between charts', async () => {
    const a = await renderChart(forest, { id: 'fig-c', title: 't', description: 'd' });
    const again = await renderChart(forest, { id: 'fig-c', title: 't', description: 'd' });
    const b = await renderChart(forest, { id: 'fig-d', title: 't', description: 'd' });
    expect(again).toBe(a);
    const idsOf = (svg: string): string[] => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    const idsA = idsOf(a);
    expect(idsA.every((id) => id.startsWith('fig-c-'))).toBe(true);
    expect(idsOf(b).some((id) => idsA.includes(id))).toBe(false);
  });

  it('lays labels out with real text widths (no 0.8 em guess): a long label is not truncated', async () => {
    // 41 characters: vega's 0.8 em guess makes it 394 px, over the 260 px label limit; it is really about 230 px.
    const label = 'In work 13+ weeks within 12 months: women';
    expect(0.8 * 12 * label.length).toBeGreaterThan(260);
    const spec = forestSpec([
      { title: 'x', axisTitle: 'Effect', unit: 'points', rows: [{ row: label, estimand: 'ITT', estimate: 1, confLow: 0, confHigh: 2 }] },
    ]);
    const svg = await renderChart(spec, { id: 'fig-e', title: 't', description: 'd' });
    expect(svg).toContain(`>${label}</text>`);
  });

  it('refuses an image mark, which would fetch its picture', async () => {
    const spec = { data: { values: [{ u: 'https://example.org/a.png' }] }, mark: 'image', encoding: { url: { field: 'u' } } } as VegaLiteSpec;
    await expect(renderChart(spec, { id: 'fig-g', title: 't', description: 'd' })).rejects.toMatchObject({
      code: ReportErrorCode.chartNeedsNetwork,
    });
  });

  it('refuses a spec that would load data from a URL (the report never touches the network)', async () => {
    const spec = { data: { url: 'https://example.org/data.csv' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } } as VegaLiteSpec;
    await expect(renderChart(spec, { id: 'fig-f', title: 't', description: 'd' })).rejects.toMatchObject({
      code: ReportErrorCode.chartNeedsNetwork,
    });
  });

  it('refuses an id that is not a valid XML id', async () => {
    await expect(renderChart(forest, { id: '1 bad', title: 't', description: 'd' })).rejects.toMatchObject({
      code: ReportErrorCode.badChartId,
    });
  });
});
