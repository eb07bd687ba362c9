/**
 * Proportions with confidence intervals by group (office) or period (month), one series per measure (take-up in
 * the treatment arm, contamination in the control arm): colour and shape per series, dodged so intervals do not
 * overlap; months are joined by lines in time order.
 */
import type { VegaLiteSpec } from '../chart.js';
import { CHART_WIDTH, SCHEMA, categoryScales, uniqueInOrder } from './common.js';

export interface RatePoint {
  readonly group: string;
  readonly series: string;
  /** Percentages (0–100). */
  readonly rate: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export function ratesByGroupSpec(points: readonly RatePoint[], options: { readonly groupTitle: string; readonly ordered: boolean }): VegaLiteSpec {
  const series = uniqueInOrder(points.map((p) => p.series));
  const groups = uniqueInOrder(points.map((p) => p.group));
  const scales = categoryScales(series);
  const values = points.map((point) => ({ ...point, groupOrder: groups.indexOf(point.group) }));
  const x = {
    field: 'group',
    type: options.ordered ? 'ordinal' : 'nominal',
    sort: groups,
    title: options.groupTitle,
    axis: { labelAngle: groups.length > 8 ? -45 : 0, labelLimit: 140 },
  };
  const y = { field: 'rate', type: 'quantitative', title: 'Per cent of arm', scale: { domain: [0, 100] } };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rule', strokeWidth: 2 },
      encoding: {
        x,
        xOffset: { field: 'series', type: 'nominal', scale: { domain: series } },
        y: { field: 'confLow', type: 'quantitative', title: 'Per cent of arm' },
        y2: { field: 'confHigh' },
        color: { field: 'series', type: 'nominal', scale: scales.color, title: null },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 70, stroke: '#0B0C0C', strokeWidth: 0.75, opacity: 1 },
      encoding: {
        x,
        xOffset: { field: 'series', type: 'nominal', scale: { domain: series } },
        y,
        color: { field: 'series', type: 'nominal', scale: scales.color, title: null },
        shape: { field: 'series', type: 'nominal', scale: scales.shape, title: null },
      },
    },
  ];
  if (options.ordered)
    layers.unshift({
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x,
        xOffset: { field: 'series', type: 'nominal', scale: { domain: series } },
        y,
        color: { field: 'series', type: 'nominal', scale: scales.color, title: null },
        strokeDash: { field: 'series', type: 'nominal', scale: scales.strokeDash, legend: null },
      },
    });
  return {
    $schema: SCHEMA,
    width: { step: Math.max(18, Math.min(48, Math.floor((CHART_WIDTH - 60) / Math.max(1, groups.length)))) },
    height: 240,
    data: { values },
    layer: layers,
  } as unknown as VegaLiteSpec;
}
