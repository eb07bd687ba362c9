/**
 * τ(λ): the programme effect implied by the ITT if contaminated controls received a share λ of it (λ = 0: their
 * support did nothing, Bloom's no-show adjustment; λ = 1: the Wald CACE). The estimate is a solid line with points,
 * its confidence limits dashed lines — no filled band, whose light fill would fall under 3:1 contrast.
 */
import type { VegaLiteSpec } from '../chart.js';
import { AF_PALETTE } from '../palette.js';
import { CHART_WIDTH, SCHEMA } from './common.js';

export interface SensitivityChartPoint {
  readonly lambda: number;
  readonly estimate: number;
  readonly confLow?: number;
  readonly confHigh?: number;
}

export function sensitivitySpec(points: readonly SensitivityChartPoint[], axisTitle: string): VegaLiteSpec {
  const long: { lambda: number; value: number; line: string }[] = [];
  for (const point of points) {
    long.push({ lambda: point.lambda, value: point.estimate, line: 'Estimate' });
    if (point.confLow !== undefined && Number.isFinite(point.confLow)) long.push({ lambda: point.lambda, value: point.confLow, line: 'Lower limit' });
    if (point.confHigh !== undefined && Number.isFinite(point.confHigh)) long.push({ lambda: point.lambda, value: point.confHigh, line: 'Upper limit' });
  }
  const lines = ['Estimate', 'Lower limit', 'Upper limit'];
  const x = { field: 'lambda', type: 'quantitative', title: 'λ: share of the effect that contaminated controls received', scale: { domain: [0, 1] } };
  const y = { field: 'value', type: 'quantitative', title: axisTitle, scale: { zero: true } };
  return {
    $schema: SCHEMA,
    width: CHART_WIDTH - 80,
    height: 240,
    data: { values: long },
    layer: [
      { data: { values: [{ at: 0 }] }, mark: { type: 'rule', color: '#3D3D3D', strokeDash: [4, 3] }, encoding: { y: { field: 'at', type: 'quantitative' } } },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y,
          detail: { field: 'line', type: 'nominal' },
          color: { field: 'line', type: 'nominal', scale: { domain: lines, range: [AF_PALETTE[0], AF_PALETTE[4], AF_PALETTE[4]] }, title: null },
          strokeDash: { field: 'line', type: 'nominal', scale: { domain: lines, range: [[], [5, 4], [5, 4]] }, title: null },
        },
      },
      {
        transform: [{ filter: "datum.line === 'Estimate'" }],
        mark: { type: 'point', filled: true, size: 50, color: AF_PALETTE[0] },
        encoding: { x, y },
      },
    ],
  } as unknown as VegaLiteSpec;
}
