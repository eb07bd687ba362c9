/**
 * Outcome distribution by arm: a histogram of the share of each arm per bin, one row per arm (position tells the
 * arms apart, colour repeats it). Zero is its own bin, so earnings with many zeros show their spike honestly.
 */
import type { VegaLiteSpec } from '../chart.js';
import { CHART_WIDTH, SCHEMA, categoryScales, uniqueInOrder } from './common.js';

export interface DistributionBar {
  readonly arm: string;
  readonly binStart: number;
  readonly binEnd: number;
  /** Percent of the arm (0–100). */
  readonly percent: number;
}

export function distributionSpec(bars: readonly DistributionBar[], axisTitle: string): VegaLiteSpec {
  const arms = uniqueInOrder(bars.map((bar) => bar.arm));
  const scales = categoryScales(arms);
  // A point bin (exactly zero, say) has no width: draw it as half a typical bin to the left of its value, labelled.
  const widths = bars.filter((bar) => bar.binEnd > bar.binStart).map((bar) => bar.binEnd - bar.binStart);
  const typicalWidth = widths.length > 0 ? [...widths].sort((a, b) => a - b)[Math.floor(widths.length / 2)]! : 1;
  const values = bars.map((bar) => {
    const point = bar.binEnd === bar.binStart;
    return {
      ...bar,
      drawStart: point ? bar.binStart - typicalWidth / 2 : bar.binStart,
      drawEnd: bar.binEnd,
      pointLabel: point ? `${Math.round(bar.percent)}% at ${bar.binStart}` : '',
    };
  });
  // The axis spans exactly what is drawn (no "nice" extension to −10,000 left of a zero bar).
  const low = Math.min(...values.map((v) => v.drawStart));
  const high = Math.max(...values.map((v) => v.drawEnd));
  // Ticks on bin edges (and 0), at most about eight of them.
  const edges = [...new Set(bars.flatMap((bar) => [bar.binStart, bar.binEnd]))].sort((a, b) => a - b);
  const every = Math.max(1, Math.ceil(edges.length / 8));
  const ticks = edges.filter((_, index) => index % every === 0);
  return {
    $schema: SCHEMA,
    data: { values },
    facet: { row: { field: 'arm', type: 'nominal', sort: arms, title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
    spacing: 12,
    spec: {
      width: CHART_WIDTH - 60,
      height: 110,
      layer: [
        {
          mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 0.5 },
          encoding: {
            x: { field: 'drawStart', type: 'quantitative', title: axisTitle, scale: { domain: [low, high], nice: false, zero: false }, axis: { values: ticks } },
            x2: { field: 'drawEnd' },
            y: { field: 'percent', type: 'quantitative', title: 'Per cent of arm', scale: { domain: [0, 100] } },
            color: { field: 'arm', type: 'nominal', scale: scales.color, legend: null },
          },
        },
        {
          transform: [{ filter: "datum.pointLabel !== ''" }],
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, fontSize: 11 },
          encoding: {
            x: { field: 'drawStart', type: 'quantitative' },
            y: { field: 'percent', type: 'quantitative' },
            text: { field: 'pointLabel' },
          },
        },
      ],
    },
  } as unknown as VegaLiteSpec;
}
