/**
 * Vega-Lite spec ──vl.compile──► Vega spec ──vega.parse──► View (renderer 'none', no loader) ──toSVG──► SVG string
 *   ──► ids made unique and deterministic, `role="img"`, <title>/<desc>, aria-labelledby/-describedby
 *
 * Charts are drawn on the server, so the report needs no JavaScript. Specs must carry their data inline
 * (`data.values`): the loader refuses every URL and file, so rendering can never reach the network.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { escapeHtml } from './escape.js';
import { CHART_FONT, installTextMetrics } from './font-metrics.js';
import { AF_PALETTE, GRID_COLOUR, MUTED_TEXT_COLOUR, PAGE_BACKGROUND, TEXT_COLOUR } from './palette.js';
import { reportErrors } from './errors.js';

export type VegaLiteSpec = TopLevelSpec;

export interface ChartOptions {
  /** Document-unique id prefix for the SVG's internal ids (clip paths, title, description). */
  readonly id: string;
  /** Accessible name: what the chart shows, in a few words. */
  readonly title: string;
  /** Longer text description: the chart's message, with the key numbers. */
  readonly description: string;
}

/** House chart style: AF palette, system font (with matching metrics), text ≥ 4.5:1, axis lines ≥ 3:1. */
export const CHART_CONFIG = {
  font: CHART_FONT,
  background: PAGE_BACKGROUND,
  padding: 8,
  aria: false,
  view: { stroke: null },
  range: { category: [...AF_PALETTE] },
  axis: {
    labelColor: TEXT_COLOUR,
    titleColor: TEXT_COLOUR,
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 'bold',
    domainColor: MUTED_TEXT_COLOUR,
    tickColor: MUTED_TEXT_COLOUR,
    gridColor: GRID_COLOUR,
    labelLimit: 260,
  },
  legend: {
    labelColor: TEXT_COLOUR,
    titleColor: TEXT_COLOUR,
    labelFontSize: 12,
    titleFontSize: 12,
    orient: 'bottom',
    direction: 'horizontal',
    labelLimit: 260,
  },
  header: { labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR, labelFontSize: 13, labelFontWeight: 'bold' },
  title: { color: TEXT_COLOUR, subtitleColor: MUTED_TEXT_COLOUR, fontSize: 14, anchor: 'start' },
  text: { color: TEXT_COLOUR, fontSize: 12 },
} as const;

const refuseLoader = {
  load(uri: string): Promise<string> {
    return Promise.reject(reportErrors.chartNeedsNetwork(uri));
  },
  sanitize(uri: string): Promise<{ href: string }> {
    return Promise.reject(reportErrors.chartNeedsNetwork(uri));
  },
  http(uri: string): Promise<string> {
    return Promise.reject(reportErrors.chartNeedsNetwork(uri));
  },
  file(uri: string): Promise<string> {
    return Promise.reject(reportErrors.chartNeedsNetwork(uri));
  },
};

function withHouseConfig(spec: VegaLiteSpec): VegaLiteSpec {
  const own = (spec as unknown as { config?: Record<string, unknown> }).config ?? {};
  const merged: Record<string, unknown> = { ...CHART_CONFIG };
  for (const [key, value] of Object.entries(own)) {
    const base = merged[key];
    merged[key] =
      base !== null && typeof base === 'object' && !Array.isArray(base) && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? { ...(base as object), ...(value as object) }
        : value;
  }
  return { ...spec, config: merged } as VegaLiteSpec;
}

/**
 * Rewrite vega's internal ids (`clip12`, gradients…, numbered by a process-wide counter) to `<prefix>-d<n>` in order
 * of appearance: unique across the charts of one document, and the same bytes for the same input.
 */
function renameIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  const rename = (id: string): string => {
    let next = renamed.get(id);
    if (next === undefined) {
      next = `${prefix}-d${renamed.size + 1}`;
      renamed.set(id, next);
    }
    return next;
  };
  return svg
    .replace(/\bid="([^"]+)"/g, (_match, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_match, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_match, id: string) => `href="#${rename(id)}"`);
}

/**
 * The first thing in a compiled Vega spec that would fetch something: a data source with a `url`, or an image mark.
 * vega swallows loader errors (the chart silently renders empty), so these are refused before rendering.
 */
function firstExternalResource(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = firstExternalResource(child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record['data']))
    for (const source of record['data'] as unknown[]) {
      const url = (source as Record<string, unknown> | null)?.['url'];
      if (url !== undefined) return typeof url === 'string' ? url : JSON.stringify(url);
    }
  if (record['type'] === 'image') return 'an image mark';
  for (const [key, value] of Object.entries(record)) {
    if (key === 'data') continue;
    const found = firstExternalResource(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Render a Vega-Lite spec to an inline, accessible SVG element (a string of markup). */
export async function renderChart(spec: VegaLiteSpec, options: ChartOptions): Promise<string> {
  installTextMetrics();
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(options.id)) throw reportErrors.badChartId(options.id);
  let vegaSpec;
  try {
    vegaSpec = compile(withHouseConfig(spec)).spec;
  } catch (error) {
    throw reportErrors.chartSpecInvalid(options.title, error);
  }
  const external = firstExternalResource(vegaSpec);
  if (external !== undefined) throw reportErrors.chartNeedsNetwork(external);
  const view = new vega.View(vega.parse(vegaSpec), {
    renderer: 'none',
    loader: refuseLoader as unknown as vega.Loader,
    logLevel: vega.None,
  });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  svg = renameIds(svg, options.id);
  // The root is role="img", so its content is presentational: drop vega's roles and labels on inner groups (a
  // `graphics-symbol` group without a name is an axe svg-img-alt violation; the figure's table carries the data).
  svg = svg.replace(/\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '');
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  const accessible =
    ` role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" focusable="false"` +
    ` style="max-width:100%;height:auto" preserveAspectRatio="xMinYMin meet"`;
  // Drop the fixed-size attributes that would stop the SVG scaling down on narrow screens; keep the viewBox.
  svg = svg.replace(/^<svg([^>]*)>/, (_match, attributes: string) => {
    const cleaned = attributes.replace(/\s(?:class|version|xmlns:xlink)="[^"]*"/g, '');
    return `<svg${cleaned}${accessible}><title id="${titleId}">${escapeHtml(options.title)}</title><desc id="${descId}">${escapeHtml(options.description)}</desc>`;
  });
  return svg;
}
