/**
 * Kaplan–Meier curves by arm: the per cent of each arm still without the event over time, as step lines
 * (interpolate "step-after", as survfit's curve holds until the next time) told apart by colour and dash, with the
 * pointwise confidence band as a light step area in the arm's colour (the limits are also in the chart's table).
 * The data are the curves' drawn points (aggregates from buildReport), never participants' rows. The x axis ticks
 * are the number-at-risk table's times, so the table under the chart reads against them.
 */
import type { VegaLiteSpec } from '../chart.js';
import { CHART_WIDTH, SCHEMA, categoryScales } from './common.js';

export interface KaplanMeierChartPoint {
  readonly arm: string;
  readonly time: number;
  /** 100 · S(t). */
  readonly percent: number;
  /** Confidence limits in per cent; null where survfit gives NA. */
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface KaplanMeierChartOptions {
  /** Arms in legend order (control first). */
  readonly arms: readonly string[];
  readonly timeTitle: string;
  readonly valueTitle: string;
  /** The risk-table times: the x-axis ticks. */
  readonly ticks: readonly number[];
  /** Right end of the time axis. */
  readonly maxTime: number;
}

export function kaplanMeierSpec(points: readonly KaplanMeierChartPoint[], options: KaplanMeierChartOptions): VegaLiteSpec {
  const scales = categoryScales(options.arms);
  const x = {
    field: 'time',
    type: 'quantitative',
    title: options.timeTitle,
    scale: { domain: [0, options.maxTime], nice: false, zero: true },
    axis: { values: [...options.ticks], grid: true },
  };
  const y = { field: 'percent', type: 'quantitative', title: options.valueTitle, scale: { domain: [0, 100] }, axis: { values: [0, 25, 50, 75, 100] } };
  const color = { field: 'arm', type: 'nominal', scale: scales.color, title: 'Arm' };
  return {
    $schema: SCHEMA,
    width: CHART_WIDTH - 60,
    height: 280,
    data: { values: points.map((point) => ({ ...point })) },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.lower) && isValid(datum.upper)' }],
        mark: { type: 'area', interpolate: 'step-after', opacity: 0.16 },
        encoding: { x, y: { field: 'lower', type: 'quantitative', scale: y.scale, title: options.valueTitle }, y2: { field: 'upper' }, color: { ...color, legend: null } },
      },
      {
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2.25 },
        encoding: { x, y, color, strokeDash: { field: 'arm', type: 'nominal', scale: scales.strokeDash, title: 'Arm' } },
      },
      { data: { values: [{ at: 50 }] }, mark: { type: 'rule', color: '#3D3D3D', strokeDash: [2, 3], strokeWidth: 1 }, encoding: { y: { field: 'at', type: 'quantitative' } } },
    ],
  } as unknown as VegaLiteSpec;
}
