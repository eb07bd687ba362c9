/**
 * Baseline balance by arm (CONSORT 2025 item 25): means with SDs for continuous variables, percentages for binary
 * ones — never SEs or p-values, since baseline differences arise by chance — and standardised mean differences,
 * with the SMD chart.
 */
import { renderChart } from '../chart.js';
import { formatInteger, formatNumber, formatPercent } from '../format.js';
import { chartFigure, dataTable, html } from '../html.js';
import { SMD_THRESHOLD, smdSpec } from '../specs/smd.js';
import type { ArmSummary, BalanceRow } from '../types.js';
import type { ReportContext, Section } from './context.js';

function describe(row: BalanceRow, arm: ArmSummary): string {
  if (row.kind === 'binary') return formatPercent(arm.mean);
  const digits = Math.abs(arm.mean) >= 100 ? 0 : Math.abs(arm.mean) >= 10 ? 1 : 2;
  return arm.sd === undefined ? formatNumber(arm.mean, digits) : `${formatNumber(arm.mean, digits)} (${formatNumber(arm.sd, digits)})`;
}

export async function balanceSection(context: ReportContext): Promise<Section | undefined> {
  const rows = context.input.balance;
  if (rows === undefined || rows.length === 0) return undefined;
  const { control, treatment } = context.input.arms;
  const label = (row: BalanceRow): string => row.label ?? row.variable;
  const table = dataTable({
    id: context.ids.next('balance', 'table'),
    caption: 'Baseline characteristics by arm',
    columns: [
      { label: 'Characteristic' },
      { label: `${treatment}`, numeric: true },
      { label: `${control}`, numeric: true },
      { label: 'SMD', numeric: true, srSuffix: '(standardised mean difference)' },
    ],
    rows: [
      [
        'Participants (n)',
        formatInteger(context.input.flow?.treatment.allocated ?? rows[0]!.treatment.n),
        formatInteger(context.input.flow?.control.allocated ?? rows[0]!.control.n),
        '',
      ],
      ...rows.map((row) => [
        `${label(row)}${row.kind === 'binary' ? ' (%)' : ', mean (SD)'}`,
        describe(row, row.treatment),
        describe(row, row.control),
        formatNumber(row.smd, 3),
      ]),
    ],
    notes: [
      'Means with standard deviations, or percentages. Differences at baseline arise by chance in a randomised trial, so no tests are shown.',
      `SMD: difference in means divided by the pooled SD, √((SD²₁ + SD²₀)/2); for binary variables SD = √(p(1 − p)). Values beyond ±${SMD_THRESHOLD} are often taken as a notable imbalance.`,
    ],
  });
  const flagged = rows.filter((row) => Math.abs(row.smd) > SMD_THRESHOLD);
  const id = context.ids.next('smd', 'fig');
  const title = 'Standardised mean differences at baseline';
  const largest = rows.reduce((best, row) => (Math.abs(row.smd) > Math.abs(best.smd) ? row : best), rows[0]!);
  const description = `Dot plot of the SMD for ${rows.length} baseline characteristics; dashed lines at ±${SMD_THRESHOLD}. ${
    flagged.length === 0
      ? `All lie within ±${SMD_THRESHOLD}`
      : `${flagged.length} lie beyond ±${SMD_THRESHOLD}: ${flagged.map((row) => `${label(row)} (${formatNumber(row.smd, 3)})`).join(', ')}`
  }; the largest in size is ${label(largest)} (${formatNumber(largest.smd, 3)}).`;
  const svg = await renderChart(smdSpec(rows.map((row) => ({ variable: label(row), smd: row.smd }))), { id, title, description });
  const chartTable = dataTable({
    id: `${id}-data`,
    caption: title,
    columns: [{ label: 'Characteristic' }, { label: 'SMD', numeric: true }],
    rows: rows.map((row) => [label(row), formatNumber(row.smd, 3)]),
  });
  return { id: 'balance', title: 'Baseline balance', body: html`${table}${chartFigure({ id, title, description, svg, table: chartTable })}` };
}
