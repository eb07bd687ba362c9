/**
 * Baseline balance: standardised mean differences (treatment − control) by variable, with reference lines at 0 and
 * ±0.1 (a common rule of thumb for a notable imbalance; Austin 2009, Stat Med 28:3083). Variables beyond ±0.1 are
 * drawn as filled triangles, the rest as open circles: shape, not colour alone, marks them.
 */
import type { VegaLiteSpec } from '../chart.js';
import { AF_PALETTE } from '../palette.js';
import { CHART_WIDTH, SCHEMA } from './common.js';

export interface SmdPoint {
  readonly variable: string;
  readonly smd: number;
}

export const SMD_THRESHOLD = 0.1;

export function smdSpec(points: readonly SmdPoint[]): VegaLiteSpec {
  const largest = Math.max(0.25, ...points.map((p) => Math.abs(p.smd)));
  const limit = Math.ceil(largest * 20) / 20;
  const values = points.map((point, order) => ({
    ...point,
    order,
    flag: Math.abs(point.smd) > SMD_THRESHOLD ? `beyond ±${SMD_THRESHOLD}` : `within ±${SMD_THRESHOLD}`,
  }));
  const x = { field: 'smd', type: 'quantitative', title: 'Standardised mean difference (treatment − control)', scale: { domain: [-limit, limit] } };
  const flags = [`within ±${SMD_THRESHOLD}`, `beyond ±${SMD_THRESHOLD}`];
  return {
    $schema: SCHEMA,
    width: CHART_WIDTH - 180,
    height: { step: 24 },
    data: { values },
    layer: [
      {
        data: { values: [{ at: -SMD_THRESHOLD }, { at: SMD_THRESHOLD }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#505A5F' },
        encoding: { x: { field: 'at', type: 'quantitative' } },
      },
      { data: { values: [{ at: 0 }] }, mark: { type: 'rule', color: '#3D3D3D' }, encoding: { x: { field: 'at', type: 'quantitative' } } },
      {
        mark: { type: 'point', size: 90, strokeWidth: 2 },
        encoding: {
          y: { field: 'variable', type: 'nominal', sort: { field: 'order' }, title: null },
          x,
          shape: { field: 'flag', type: 'nominal', scale: { domain: flags, range: ['circle', 'triangle-up'] }, title: 'Balance' },
          color: { field: 'flag', type: 'nominal', scale: { domain: flags, range: [AF_PALETTE[0], AF_PALETTE[2]] }, title: 'Balance' },
          fill: { field: 'flag', type: 'nominal', scale: { domain: flags, range: ['#FFFFFF', AF_PALETTE[2]] }, legend: null },
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}
