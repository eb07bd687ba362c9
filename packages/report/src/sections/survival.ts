/**
 * Time-to-event outcomes: per outcome, the Kaplan–Meier chart (step lines by arm with confidence bands) with the
 * number-at-risk table beneath it as an HTML table (the chart's x-axis ticks are its columns), the curve's points in
 * the collapsed table, and the medians with CIs, events, cumulative incidence by the horizon and the log-rank test.
 */
import type { Estimate } from '@trialkit/core';
import { renderChart } from '../chart.js';
import { DASH, formatInteger, formatLevel, formatNumber, formatPValue } from '../format.js';
import { dataTable, html, trusted, type SafeHtml } from '../html.js';
import { kaplanMeierSpec } from '../specs/kaplan-meier.js';
import type { SurvivalSummary } from '../types.js';
import { subgroupOf, timeText, type ReportContext, type Section } from './context.js';

const percent = (value: number): string => (Number.isFinite(value) ? `${formatNumber(value * 100, 1)}%` : DASH);

function medianText(value: number | null, unit: string | undefined): string {
  return value === null ? 'not reached' : timeText(value, unit);
}

/** "62.1% (59.5 to 64.6)". */
function withInterval(value: number, low: number, high: number): string {
  return `${percent(value)} (${Number.isFinite(low) ? formatNumber(low * 100, 1) : DASH} to ${Number.isFinite(high) ? formatNumber(high * 100, 1) : DASH})`;
}

/** The per-arm cumulative incidence by the horizon, from the estimate's `arms` (control first). */
export function incidenceByArm(estimates: readonly Estimate[]): { estimate: number; lower: number; upper: number }[] | undefined {
  const found = estimates.find((e) => e.estimator === 'km_cumulative_incidence' && e.estimand === 'ITT' && subgroupOf(e) === undefined);
  const arms = found?.['arms'];
  if (!Array.isArray(arms) || arms.length !== 2) return undefined;
  return arms.map((arm: { estimate: number; lower: number; upper: number }) => ({ estimate: arm.estimate, lower: arm.lower, upper: arm.upper }));
}

function logRankText(summary: SurvivalSummary): string {
  const { statistic, df, pValue, stratified } = summary.logRank;
  const p = formatPValue(pValue);
  return `${stratified ? `Log-rank test stratified by “${summary.strata ?? 'blocks'}”` : 'Log-rank test'}: χ² = ${formatNumber(statistic, 2)} on ${df} df, p ${p.startsWith('<') ? p : `= ${p}`}.`;
}

async function outcomePart(context: ReportContext, summary: SurvivalSummary): Promise<SafeHtml> {
  const label = context.outcomeLabel(summary.outcome);
  const unit = summary.timeUnit;
  const level = formatLevel(summary.level);
  const [control, treatment] = summary.arms;
  const id = context.ids.next(`${summary.outcome}-km`, 'fig');
  const title = `Kaplan–Meier curves of ${label} by arm`;
  const lastTime = Math.max(...summary.arms.map((arm) => arm.curve[arm.curve.length - 1]?.time ?? 0));
  const maxTime = Math.max(lastTime, ...summary.times);
  const horizonAt = (arm: (typeof summary.arms)[number]): string => {
    const at = arm.atTimes.find((item) => item.time === summary.horizon);
    return at !== undefined ? percent(at.survival) : DASH;
  };
  const description =
    `Step lines, one per arm (${control.arm}: solid, ${treatment.arm}: dashed), of the per cent of the arm still without the event (“${summary.event}”) ` +
    `by ${unit ?? 'time'} since randomisation, with shaded ${level} pointwise confidence bands; a dotted line marks 50%. ` +
    `Median time to the event: ${control.arm} ${medianText(control.median, unit)}, ${treatment.arm} ${medianText(treatment.median, unit)}. ` +
    (summary.times.includes(summary.horizon) ? `At ${timeText(summary.horizon, unit)}: ${control.arm} ${horizonAt(control)}, ${treatment.arm} ${horizonAt(treatment)} without the event. ` : '') +
    logRankText(summary);
  const points = summary.arms.flatMap((arm) =>
    arm.curve.map((point) => ({
      arm: arm.arm,
      time: point.time,
      percent: point.survival * 100,
      lower: Number.isFinite(point.lower) ? point.lower * 100 : null,
      upper: Number.isFinite(point.upper) ? point.upper * 100 : null,
    })),
  );
  const svg = await renderChart(
    kaplanMeierSpec(points, {
      arms: [control.arm, treatment.arm],
      timeTitle: `${unit !== undefined ? `${unit[0]!.toUpperCase()}${unit.slice(1)}` : 'Time'} since randomisation`,
      valueTitle: 'Per cent without the event',
      ticks: summary.times,
      maxTime,
    }),
    { id, title, description },
  );
  const riskTable = dataTable({
    id: `${id}-at-risk`,
    caption: `Number at risk (and per cent without the event) at ${unit ?? 'time'} ${summary.times.map((t) => formatNumber(t, Number.isInteger(t) ? 0 : 2)).join(', ')}`,
    columns: [{ label: 'Arm' }, ...summary.times.map((time) => ({ label: timeText(time, unit), numeric: true }))],
    rows: summary.arms.flatMap((arm) => [
      [html`${arm.arm}<span class="visually-hidden">, number at risk</span>`, ...arm.atTimes.map((at) => formatInteger(at.nRisk))],
      [`${arm.arm}: % without the event`, ...arm.atTimes.map((at) => percent(at.survival))],
    ]),
    className: 'risk-table',
  });
  const resolutionNote =
    summary.resolution > 0
      ? `The curves are drawn from the points where S(t) or a limit moves by at least ${formatNumber(summary.resolution * 100, 2)} points (and the last time), so the file does not grow with the number of participants.`
      : 'Every time at which a curve or its limits change is listed.';
  const curveTable = dataTable({
    id: `${id}-data`,
    caption: title,
    columns: [
      { label: 'Arm and time' },
      { label: 'Per cent without the event', numeric: true },
      { label: `Lower ${level} limit`, numeric: true },
      { label: `Upper ${level} limit`, numeric: true },
    ],
    rows: points.map((point) => [
      `${point.arm}: ${timeText(point.time, unit)}`,
      formatNumber(point.percent, 1),
      point.lower === null ? DASH : formatNumber(point.lower, 1),
      point.upper === null ? DASH : formatNumber(point.upper, 1),
    ]),
    notes: [resolutionNote],
  });
  const figure = html`<figure class="chart" id="${id}"><figcaption><span class="figure-title">${title}</span> <span class="figure-description">${description}</span></figcaption><div class="chart-svg">${trusted(svg)}</div>${riskTable}<details class="chart-data"><summary>Show the numbers in this chart<span class="visually-hidden">: ${title}</span></summary>${curveTable}</details></figure>`;
  const incidence = incidenceByArm(context.mainEstimatesFor(summary.outcome));
  const medians = dataTable({
    id: context.ids.next(`${summary.outcome}-medians`, 'table'),
    caption: `${label}: events, median time to the event and cumulative incidence by ${timeText(summary.horizon, unit)}, by arm`,
    columns: [
      { label: 'Arm' },
      { label: 'n', numeric: true },
      { label: 'Events', numeric: true },
      { label: `Median (${level} CI)`, numeric: true, srSuffix: unit !== undefined ? `in ${unit}` : '' },
      { label: `Event by ${timeText(summary.horizon, unit)} (${level} CI)`, numeric: true },
    ],
    rows: summary.arms.map((arm, index) => [
      arm.arm,
      formatInteger(arm.n),
      formatInteger(arm.events),
      arm.median === null
        ? 'not reached'
        : `${medianText(arm.median, unit)} (${arm.medianLow === null ? 'not reached' : formatNumber(arm.medianLow, Number.isInteger(arm.medianLow) ? 0 : 1)} to ${arm.medianHigh === null ? 'not reached' : formatNumber(arm.medianHigh, Number.isInteger(arm.medianHigh) ? 0 : 1)})`,
      incidence !== undefined ? withInterval(incidence[index]!.estimate, incidence[index]!.lower, incidence[index]!.upper) : DASH,
    ]),
    notes: [
      `Kaplan–Meier estimates with Greenwood standard errors and ${summary.confType}-transformed ${level} intervals (as R’s survfit); the median is the first time the curve falls to 50% or below (“not reached” when it does not).`,
      logRankText(summary),
    ],
  });
  return html`<h3 id="${context.ids.next(summary.outcome, 'survival')}">${label}</h3>${figure}${medians}`;
}

export async function survivalSection(context: ReportContext): Promise<Section | undefined> {
  const summaries = context.input.survival ?? [];
  if (summaries.length === 0) return undefined;
  const parts: SafeHtml[] = [];
  for (const summary of summaries) parts.push(await outcomePart(context, summary));
  return { id: 'time-to-event', title: 'Time to event', body: html`${parts}` };
}
