/**
 * Text widths for vega's layout without a canvas.
 *
 *   text, font size, weight ──► Σ advance widths (+ kerning pairs) of Liberation Sans ──► pixels
 *
 * Vega measures text with a canvas when the `canvas` package is present and otherwise guesses 0.8 em per
 * character (vega-scenegraph `estimateWidth`), which truncates labels and spaces axes wrongly. The table was
 * measured in Chromium (scripts/measure-font-widths.ts). Charts name the same font family first
 * (`CHART_FONT`), and Arial and Helvetica, its fall-backs, have the same metrics (Liberation Sans was designed to be
 * metric-compatible with Arial), so the browser draws text at the widths vega laid out.
 */
import * as vega from 'vega';
import { liberationSansMetrics } from './font-metrics-table.js';

/** CSS font family used by the page and by every chart (config.font). */
export const CHART_FONT = '"Liberation Sans", Arial, Helvetica, sans-serif';

interface FaceMetrics {
  readonly widths: Readonly<Record<string, number>>;
  readonly kerning: Readonly<Record<string, number>>;
}

const REGULAR: FaceMetrics = liberationSansMetrics.regular;
const BOLD: FaceMetrics = liberationSansMetrics.bold;
/** Width for a character outside the table (CJK, emoji…): a wide glyph errs on the side of room. */
const FALLBACK_WIDTH = 1000;

function isBold(weight: unknown): boolean {
  if (weight === undefined || weight === null) return false;
  if (typeof weight === 'number') return weight >= 600;
  const text = String(weight).toLowerCase();
  if (text === 'bold' || text === 'bolder') return true;
  const numeric = Number(text);
  return Number.isFinite(numeric) && numeric >= 600;
}

/** Width in pixels of one line of text set in Liberation Sans at `fontSize` px. */
export function textWidth(text: string, fontSize: number, weight?: unknown): number {
  if (!(fontSize > 0) || text.length === 0) return 0;
  const face = isBold(weight) ? BOLD : REGULAR;
  let units = 0;
  let previous = '';
  for (const character of text) {
    units += face.widths[character] ?? FALLBACK_WIDTH;
    if (previous !== '') units += face.kerning[previous + character] ?? 0;
    previous = character;
  }
  return (units * fontSize) / 1000;
}

interface TextItem {
  readonly fontSize?: number | string | null;
  readonly fontWeight?: unknown;
  readonly limit?: number;
}

/**
 * vega calls `textMetrics.width(item, text)` both to lay out and (from its `truncate`) to find where to cut a
 * label longer than `item.limit`. Returning min(width, limit) keeps both right: truncation still sees "too long",
 * and the bounds of a truncated label are its limit.
 */
function vegaTextWidth(item: TextItem, text: unknown): number {
  const line = text === null || text === undefined ? '' : String(text).trim();
  const size = item.fontSize === null || item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
  const width = textWidth(line, size, item.fontWeight);
  const limit = Number(item.limit);
  return limit > 0 ? Math.min(width, limit) : width;
}

/**
 * Point vega's text measurement at the table. vega keeps one `textMetrics` object for the process, so this is a
 * process-wide setting; it is idempotent and every chart in trialkit wants it.
 */
export function installTextMetrics(): void {
  // vega exports `textMetrics` at run time, but vega-typings does not declare it.
  const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } };
  textMetrics.width = vegaTextWidth;
}
