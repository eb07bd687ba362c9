/**
 * Forest plot: one panel per outcome (each in its own unit, so x scales are independent), one row per estimand or
 * subgroup: point estimate (shape and colour by estimand: two encodings) with its confidence interval as a rule,
 * and a dashed line at no effect.
 */
import type { VegaLiteSpec } from '../chart.js';
import { CHART_WIDTH, SCHEMA, categoryScales, uniqueInOrder } from './common.js';

export interface ForestRow {
  /** Row label, e.g. "ITT", "CACE", "ITT: women". */
  readonly row: string;
  /** Estimand used for colour and shape (ITT, CACE, first-stage, subgroup-ITT…). */
  readonly estimand: string;
  /** Estimate and interval in display units (percentage points for binary outcomes). */
  readonly estimate: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export interface ForestPanel {
  readonly title: string;
  /** Axis title, e.g. "Effect (percentage points)". */
  readonly axisTitle: string;
  readonly rows: readonly ForestRow[];
}

export function forestSpec(panels: readonly ForestPanel[]): VegaLiteSpec {
  const estimands = uniqueInOrder(panels.flatMap((panel) => panel.rows.map((row) => row.estimand)));
  const scales = categoryScales(estimands);
  const panelSpec = (panel: ForestPanel): Record<string, unknown> => {
    const values = panel.rows.map((row, index) => ({ ...row, order: index }));
    const y = { field: 'row', type: 'nominal', sort: { field: 'order' }, title: null, axis: { labelFontSize: 12 } };
    const x = { field: 'estimate', type: 'quantitative', title: panel.axisTitle, scale: { zero: true, nice: true } };
    return {
      title: { text: panel.title, fontSize: 13 },
      width: CHART_WIDTH - 160,
      height: { step: 30 },
      data: { values },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#3D3D3D' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        {
          mark: { type: 'rule', strokeWidth: 2.5 },
          encoding: {
            y,
            x: { field: 'confLow', type: 'quantitative', title: panel.axisTitle },
            x2: { field: 'confHigh' },
            color: { field: 'estimand', type: 'nominal', scale: scales.color, title: 'Estimand' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 110, opacity: 1, stroke: '#0B0C0C', strokeWidth: 0.75 },
          encoding: {
            y,
            x,
            color: { field: 'estimand', type: 'nominal', scale: scales.color, title: 'Estimand' },
            shape: { field: 'estimand', type: 'nominal', scale: scales.shape, title: 'Estimand' },
          },
        },
      ],
    };
  };
  return {
    $schema: SCHEMA,
    vconcat: panels.map(panelSpec),
    spacing: 28,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as unknown as VegaLiteSpec;
}
