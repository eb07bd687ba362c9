/**
 * Forest plot: one panel per outcome (each in its own unit, so x scales are independent), one row per estimand or
 * subgroup: point estimate (shape and colour by estimand: two encodings) with its confidence interval as a rule,
 * and a dashed line at no effect. A subgroup panel (one per outcome and pre-specified subgroup) shows the whole-sample
 * ITT and each level's, with the treatment × subgroup interaction test as its subtitle. A ratio panel (hazard ratios) has a log x axis with no effect at 1, so a ratio and
 * its reciprocal sit equally far from it; ratios and differences never share a panel.
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
  /** A second title line, e.g. a subgroup panel's interaction test ("Interaction p = 0.041, F(2, 592) = 3.21"). */
  readonly subtitle?: string;
  /** Axis title, e.g. "Effect (percentage points)". */
  readonly axisTitle: string;
  /** The unit named in descriptions and tables, e.g. "percentage points", "days", "hazard ratio". */
  readonly unit: string;
  /** A ratio panel: log axis, no effect at 1. */
  readonly ratio?: boolean;
  readonly rows: readonly ForestRow[];
}

/** Round ratio ticks for a log axis. */
const RATIO_TICKS = [0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 4, 5, 10];

export function forestSpec(panels: readonly ForestPanel[]): VegaLiteSpec {
  const estimands = uniqueInOrder(panels.flatMap((panel) => panel.rows.map((row) => row.estimand)));
  const scales = categoryScales(estimands);
  const panelSpec = (panel: ForestPanel): Record<string, unknown> => {
    const values = panel.rows.map((row, index) => ({ ...row, order: index }));
    const y = { field: 'row', type: 'nominal', sort: { field: 'order' }, title: null, axis: { labelFontSize: 12 } };
    let scale: Record<string, unknown> = { zero: true, nice: true };
    let axis: Record<string, unknown> | undefined;
    if (panel.ratio === true) {
      const low = Math.min(1, ...panel.rows.map((row) => row.confLow)) / 1.04;
      const high = Math.max(1, ...panel.rows.map((row) => row.confHigh)) * 1.04;
      const ticks = RATIO_TICKS.filter((tick) => tick >= low && tick <= high);
      scale = { type: 'log', domain: [low, high], nice: false };
      axis = { values: ticks.length >= 2 ? ticks : [Number(low.toPrecision(2)), 1, Number(high.toPrecision(2))].filter((t, i, all) => all.indexOf(t) === i) };
    }
    const x = { field: 'estimate', type: 'quantitative', title: panel.axisTitle, scale, ...(axis !== undefined ? { axis } : {}) };
    return {
      title: { text: panel.title, fontSize: 13, ...(panel.subtitle !== undefined ? { subtitle: panel.subtitle, subtitleFontSize: 12, subtitleColor: '#3D3D3D' } : {}) },
      width: CHART_WIDTH - 160,
      height: { step: 30 },
      data: { values },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#3D3D3D' }, encoding: { x: { datum: panel.ratio === true ? 1 : 0, type: 'quantitative', scale } } },
        {
          mark: { type: 'rule', strokeWidth: 2.5 },
          encoding: {
            y,
            x: { field: 'confLow', type: 'quantitative', title: panel.axisTitle, scale, ...(axis !== undefined ? { axis } : {}) },
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
