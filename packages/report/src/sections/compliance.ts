/**
 * Compliance and contamination (CONSORT 2025 item 24): take-up in the treatment arm and contamination of the
 * control arm with CIs, by group and by month, principal-stratum shares, complier characteristics, and the τ(λ)
 * contamination-sensitivity curve.
 */
import { renderChart } from '../chart.js';
import { effectScale, effectUnitLabel, formatInteger, formatNumber, formatPercent, digitsForInterval } from '../format.js';
import { EMPTY, chartFigure, dataTable, html, type SafeHtml } from '../html.js';
import { ratesByGroupSpec, type RatePoint } from '../specs/rates.js';
import { sensitivitySpec } from '../specs/sensitivity.js';
import type { RateWithInterval } from '../types.js';
import type { ReportContext, Section } from './context.js';

const TAKE_UP = 'Take-up (treatment arm)';
const CONTAMINATION = 'Contamination (control arm)';

function percentInterval(rate: RateWithInterval): string {
  return `${formatPercent(rate.rate)} (${formatPercent(rate.confLow)} to ${formatPercent(rate.confHigh)})`;
}

function toPoints(rates: readonly RateWithInterval[], series: string): RatePoint[] {
  return rates.map((rate) => ({ group: rate.group, series, rate: rate.rate * 100, confLow: rate.confLow * 100, confHigh: rate.confHigh * 100 }));
}

async function ratesFigure(
  context: ReportContext,
  key: string,
  title: string,
  groupTitle: string,
  takeUp: readonly RateWithInterval[],
  contamination: readonly RateWithInterval[],
  ordered: boolean,
): Promise<SafeHtml> {
  const points = [...toPoints(takeUp, TAKE_UP), ...toPoints(contamination, CONTAMINATION)];
  if (points.length === 0) return EMPTY;
  const id = context.ids.next(key, 'fig');
  const highest = [...contamination].sort((a, b) => b.rate - a.rate)[0];
  const lowest = [...contamination].sort((a, b) => a.rate - b.rate)[0];
  const description = `Points with confidence intervals for ${new Set(points.map((p) => p.group)).size} ${groupTitle.toLowerCase()} values${
    ordered ? ', joined in time order' : ''
  }.${
    highest !== undefined && lowest !== undefined
      ? ` Contamination of the control arm ranges from ${formatPercent(lowest.rate)} (${lowest.group}) to ${formatPercent(highest.rate)} (${highest.group}).`
      : ''
  }`;
  const svg = await renderChart(ratesByGroupSpec(points, { groupTitle, ordered }), { id, title, description });
  const byGroup = new Map<string, { takeUp?: RateWithInterval; contamination?: RateWithInterval }>();
  for (const rate of takeUp) byGroup.set(rate.group, { ...byGroup.get(rate.group), takeUp: rate });
  for (const rate of contamination) byGroup.set(rate.group, { ...byGroup.get(rate.group), contamination: rate });
  const table = dataTable({
    id: `${id}-data`,
    caption: title,
    columns: [
      { label: groupTitle },
      { label: 'Treatment arm n', numeric: true },
      { label: 'Take-up (CI)', numeric: true },
      { label: 'Control arm n', numeric: true },
      { label: 'Contamination (CI)', numeric: true },
    ],
    rows: [...byGroup].map(([group, rates]) => [
      group,
      formatInteger(rates.takeUp?.n),
      rates.takeUp === undefined ? '\u2013' : percentInterval(rates.takeUp),
      formatInteger(rates.contamination?.n),
      rates.contamination === undefined ? '\u2013' : percentInterval(rates.contamination),
    ]),
  });
  return chartFigure({ id, title, description, svg, table });
}

export async function complianceSection(context: ReportContext): Promise<Section | undefined> {
  const compliance = context.input.compliance;
  if (compliance === undefined) return undefined;
  const { treatment, control } = context.input.arms;
  const parts: SafeHtml[] = [];
  const overall = compliance.takeUp ?? [];
  if (overall.length > 0) {
    parts.push(
      dataTable({
        id: context.ids.next('take-up', 'table'),
        caption: 'Receipt of the programme by arm',
        columns: [{ label: 'Arm' }, { label: 'Participants', numeric: true }, { label: 'Received the programme', numeric: true }, { label: 'Per cent (CI)', numeric: true }],
        rows: overall.map((rate) => [rate.group, formatInteger(rate.n), formatInteger(rate.count), percentInterval(rate)]),
      }),
    );
  }
  const shares = compliance.complierShare;
  if (shares !== undefined)
    parts.push(
      html`<p>Share of compliers (take-up minus contamination, assuming no defiers): ${formatPercent(shares.estimate)}${
        shares.confLow !== undefined && shares.confHigh !== undefined ? ` (CI ${formatPercent(shares.confLow)} to ${formatPercent(shares.confHigh)})` : ''
      }. The CACE describes these people: those who take up ${treatment} when offered it and would not get it in ${control}.</p>`,
    );
  const groupTitle = compliance.groupLabel ?? 'Group';
  const groups = compliance.contaminationByGroup ?? [];
  if (groups.length > 0) {
    parts.push(html`<h3>By ${groupTitle.toLowerCase()}</h3>`);
    parts.push(
      await ratesFigure(
        context,
        'contamination-group',
        `Take-up and contamination by ${groupTitle.toLowerCase()}`,
        groupTitle,
        groups.filter((rate) => rate.arm === 'treatment'),
        groups.filter((rate) => rate.arm !== 'treatment'),
        false,
      ),
    );
  }
  const months = compliance.contaminationByMonth ?? [];
  if (months.length > 0) {
    parts.push(html`<h3>By month</h3>`);
    parts.push(
      await ratesFigure(
        context,
        'contamination-month',
        'Take-up and contamination by month of randomisation',
        'Month',
        months.filter((rate) => rate.arm === 'treatment'),
        months.filter((rate) => rate.arm !== 'treatment'),
        true,
      ),
    );
  }
  const characteristics = compliance.complierCharacteristics ?? [];
  if (characteristics.length > 0) {
    parts.push(html`<h3>Who the compliers are</h3>`);
    parts.push(
      dataTable({
        id: context.ids.next('compliers', 'table'),
        caption: 'Baseline characteristics of compliers and of all participants',
        columns: [{ label: 'Characteristic' }, { label: 'Compliers', numeric: true }, { label: 'All participants', numeric: true }],
        rows: characteristics.map((row) => [row.label ?? row.variable, formatNumber(row.compliers, 2), formatNumber(row.population, 2)]),
        notes: ['Complier means by Abadie’s (2003) κ-weighting.'],
      }),
    );
  }
  const sensitivity = compliance.sensitivity ?? [];
  if (sensitivity.length > 0) {
    const primary = context.primaryOutcomeNames()[0];
    const info = primary === undefined ? undefined : context.outcome(primary);
    const scale = effectScale(info);
    const unit = effectUnitLabel(info);
    const points = sensitivity.map((point) => ({
      lambda: point.lambda,
      estimate: point.estimate * scale,
      ...(point.confLow !== undefined ? { confLow: point.confLow * scale } : {}),
      ...(point.confHigh !== undefined ? { confHigh: point.confHigh * scale } : {}),
    }));
    const id = context.ids.next('sensitivity', 'fig');
    const title = `Contamination sensitivity: the programme’s effect τ(λ)${primary !== undefined ? ` on ${context.outcomeLabel(primary)}` : ''}`;
    const first = points[0]!;
    const last = points[points.length - 1]!;
    const digits = digitsForInterval(first.confLow ?? first.estimate - 1, first.confHigh ?? first.estimate + 1);
    const description = `Line chart of τ(λ) against λ from ${formatNumber(first.lambda, 1)} to ${formatNumber(last.lambda, 1)}, with dashed confidence limits. At λ = ${formatNumber(
      first.lambda,
      1,
    )} the effect is ${formatNumber(first.estimate, digits)} ${unit}; at λ = ${formatNumber(last.lambda, 1)} it is ${formatNumber(last.estimate, digits)} ${unit}.`;
    const svg = await renderChart(sensitivitySpec(points, `τ(λ) (${unit})`), { id, title, description });
    const table = dataTable({
      id: `${id}-data`,
      caption: title,
      columns: [{ label: 'λ', numeric: true }, { label: 'τ(λ)', numeric: true }, { label: 'Lower limit', numeric: true }, { label: 'Upper limit', numeric: true }],
      rows: points.map((point) => [formatNumber(point.lambda, 2), formatNumber(point.estimate, digits), formatNumber(point.confLow, digits), formatNumber(point.confHigh, digits)]),
    });
    parts.push(html`<h3>Sensitivity to contamination</h3><p>If controls who were signposted to similar support gained a share λ of the programme’s effect, the ITT implies the effect τ(λ) = ITT / (take-up − λ × contamination). λ = 0 treats their support as worthless (Bloom’s adjustment); λ = 1 gives the CACE.</p>`);
    parts.push(chartFigure({ id, title, description, svg, table }));
  }
  for (const note of compliance.notes ?? []) parts.push(html`<p class="muted">${note}</p>`);
  if (parts.length === 0) return undefined;
  return { id: 'compliance', title: 'Compliance and contamination', body: html`${parts}` };
}
