/** Outcome distributions by arm: histogram (shares of each arm) and a summary table with the share of zeros. */
import { renderChart } from '../chart.js';
import { formatAmount, formatInteger, formatNumber, formatPercent } from '../format.js';
import { chartFigure, dataTable, html, type SafeHtml } from '../html.js';
import { distributionSpec } from '../specs/distribution.js';
import type { ReportContext, Section } from './context.js';

export async function distributionsSection(context: ReportContext): Promise<Section | undefined> {
  const distributions = context.input.distributions ?? [];
  if (distributions.length === 0) return undefined;
  const parts: SafeHtml[] = [];
  for (const distribution of distributions) {
    const label = context.outcomeLabel(distribution.outcome);
    const info = context.outcome(distribution.outcome);
    const unit = info?.unit;
    const axisTitle = unit !== undefined && unit !== '' ? `${label} (${unit})` : label;
    const id = context.ids.next(`${distribution.outcome}-distribution`, 'fig');
    const title = `Distribution of ${label} by arm`;
    const summaryText = distribution.summary
      .map((s) => `${s.arm}: median ${formatAmount(s.median, info)}, mean ${formatAmount(s.mean, info)}, ${formatPercent(s.zeroShare)} zeros`)
      .join('; ');
    const description = `Histograms, one per arm, of the per cent of the arm in each range of ${label}. ${summaryText}.`;
    const svg = await renderChart(
      distributionSpec(
        distribution.bins.map((bin) => ({ arm: bin.arm, binStart: bin.binStart, binEnd: bin.binEnd, percent: bin.share * 100 })),
        axisTitle,
      ),
      { id, title, description },
    );
    const table = dataTable({
      id: `${id}-data`,
      caption: title,
      columns: [{ label: 'Arm and range' }, { label: 'Participants', numeric: true }, { label: 'Per cent of arm', numeric: true }],
      rows: distribution.bins.map((bin) => [
        `${bin.arm}: ${bin.binStart === bin.binEnd ? formatNumber(bin.binStart, 0) : `${formatNumber(bin.binStart, 0)} to under ${formatNumber(bin.binEnd, 0)}`}`,
        formatInteger(bin.count),
        formatPercent(bin.share),
      ]),
    });
    parts.push(html`<h3>${label}</h3>`);
    parts.push(
      dataTable({
        id: context.ids.next(`${distribution.outcome}-summary`, 'table'),
        caption: `${label}: summary by arm`,
        columns: [
          { label: 'Arm' },
          { label: 'n', numeric: true },
          { label: 'Mean', numeric: true },
          { label: 'SD', numeric: true, srSuffix: '(standard deviation)' },
          { label: 'Median', numeric: true },
          { label: 'IQR', numeric: true, srSuffix: '(interquartile range)' },
          { label: 'Min to max', numeric: true },
          { label: 'Zeros', numeric: true },
        ],
        rows: distribution.summary.map((s) => [
          s.arm,
          formatInteger(s.n),
          formatAmount(s.mean, info),
          formatAmount(s.sd, info),
          formatAmount(s.median, info),
          `${formatAmount(s.q1, info)} to ${formatAmount(s.q3, info)}`,
          `${formatAmount(s.min, info)} to ${formatAmount(s.max, info)}`,
          formatPercent(s.zeroShare),
        ]),
      }),
    );
    parts.push(chartFigure({ id, title, description, svg, table }));
  }
  return { id: 'distributions', title: 'Outcome distributions', body: html`${parts}` };
}
