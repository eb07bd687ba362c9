/** Pieces shared by the chart specs. Specs are plain data built from aggregates; chart.ts adds the house config. */
import { AF_PALETTE, DASHES, SHAPES } from '../palette.js';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const CHART_WIDTH = 520;

/** A categorical colour + shape scale pair over `domain`, in AF palette order (≤ 6 categories). */
export function categoryScales(domain: readonly string[]): {
  color: { domain: string[]; range: string[] };
  shape: { domain: string[]; range: string[] };
  strokeDash: { domain: string[]; range: number[][] };
} {
  const size = domain.length;
  const colours: string[] = [];
  const shapes: string[] = [];
  const dashes: number[][] = [];
  for (let index = 0; index < size; index++) {
    colours.push(AF_PALETTE[index % AF_PALETTE.length]!);
    shapes.push(SHAPES[index % SHAPES.length]!);
    dashes.push([...(DASHES[index % DASHES.length] ?? [])]);
  }
  return {
    color: { domain: [...domain], range: colours },
    shape: { domain: [...domain], range: shapes },
    strokeDash: { domain: [...domain], range: dashes },
  };
}

export function uniqueInOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}
