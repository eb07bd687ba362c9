/**
 * Results: per outcome, a table of every estimand estimated (ITT, CACE, first stage, descriptive ones), with SE,
 * CI, p, df and the variance type (CONSORT 2025 item 26); then the forest plot across outcomes and subgroups.
 */
import type { Estimate } from '@trialkit/core';
import { renderChart } from '../chart.js';
import {
  digitsForInterval,
  effectScale,
  effectUnitLabel,
  formatInteger,
  formatLevel,
  formatNumber,
  formatPValue,
} from '../format.js';
import { chartFigure, dataTable, html, type SafeHtml } from '../html.js';
import { forestSpec, type ForestPanel, type ForestRow } from '../specs/forest.js';
import { type ReportContext, type Section, RATIO_NAMES, estimandName, isRatioEstimate, subgroupOf } from './context.js';

const DESCRIPTIVE = new Set(['per-protocol', 'as-treated']);

function rowLabel(estimate: Estimate): string {
  const subgroup = subgroupOf(estimate);
  const base = estimate.estimand === 'subgroup-ITT' ? 'ITT' : estimate.estimand;
  const name = isRatioEstimate(estimate) ? `${base} (${RATIO_NAMES[estimate.estimator] ?? estimate.estimator})` : base;
  return subgroup === undefined ? name : `${name}: ${subgroup}`;
}

function hasAdjusted(context: ReportContext): boolean {
  return context.input.estimates.some((estimate) => typeof estimate['pValueAdjusted'] === 'number');
}

function estimateRows(context: ReportContext, outcome: string): (string | SafeHtml)[][] {
  const info = context.outcome(outcome);
  const estimates = context.estimatesFor(outcome);
  const adjusted = hasAdjusted(context);
  return estimates.map((estimate) => {
    // The first stage is a difference in take-up shares whatever the outcome: show it in percentage points.
    const scale = isRatioEstimate(estimate) ? 1 : estimate.estimand === 'first-stage' ? 100 : effectScale(info);
    const digits = digitsForInterval(estimate.confLow * scale, estimate.confHigh * scale);
    const n =
      estimate.nClusters !== undefined
        ? `${formatInteger(estimate.nObs)} (${formatInteger(estimate.nClusters)} clusters)`
        : formatInteger(estimate.nObs);
    return [
      html`${rowLabel(estimate)}<span class="visually-hidden">, ${estimandName(estimate.estimand)}</span>`,
      estimate.estimator,
      formatNumber(estimate.estimate * scale, digits),
      formatNumber(estimate.stdError * scale, digits),
      `${formatNumber(estimate.confLow * scale, digits)} to ${formatNumber(estimate.confHigh * scale, digits)} (${formatLevel(estimate.level)})`,
      formatPValue(estimate.pValue),
      formatNumber(estimate.df, Number.isInteger(estimate.df) ? 0 : 1),
      estimate.seType,
      n,
      ...(adjusted ? [typeof estimate['pValueAdjusted'] === 'number' ? formatPValue(estimate['pValueAdjusted']) : '\u2013'] : []),
    ];
  });
}

export function resultsSection(context: ReportContext): Section | undefined {
  const outcomes = context.outcomeNames().filter((name) => context.estimatesFor(name).length > 0);
  if (outcomes.length === 0) return undefined;
  const tables = outcomes.map((outcome) => {
    const info = context.outcome(outcome);
    const estimates = context.estimatesFor(outcome);
    const notes: string[] = [];
    if (estimates.some((estimate) => estimate.estimand === 'first-stage'))
      notes.push('The first stage is the difference between arms in the share who received the programme, in percentage points.');
    if (estimates.some(isRatioEstimate))
      notes.push('Ratios compare the treatment arm with the control arm (1 = no difference), with intervals on the log scale.');
    if (estimates.some((estimate) => DESCRIPTIVE.has(estimate.estimand)))
      notes.push('Per-protocol and as-treated estimates compare groups that were not randomised; they are descriptive only.');
    notes.push(`Differences are in ${effectUnitLabel(info)}. Variance: the standard-error type named in each row.`);
    const method = estimates.find((estimate) => typeof estimate['multiplicity'] === 'string')?.['multiplicity'];
    if (typeof method === 'string') notes.push(`Adjusted p: ${method} adjustment across the secondary outcomes’ ITT estimates.`);
    return html`<h3 id="${context.ids.next(outcome, 'results')}">${context.outcomeLabel(outcome)}${
      info?.primary === true ? html` <span class="tag">primary</span>` : html` <span class="tag">secondary</span>`
    }</h3>${dataTable({
      id: context.ids.next(`${outcome}-estimates`, 'table'),
      caption: `Estimates for ${context.outcomeLabel(outcome)}`,
      columns: [
        { label: 'Estimand' },
        { label: 'Estimator' },
        { label: 'Estimate', numeric: true },
        { label: 'Std. error', numeric: true },
        { label: 'Confidence interval', numeric: true },
        { label: 'p', numeric: true, srSuffix: 'value' },
        { label: 'df', numeric: true, srSuffix: '(degrees of freedom)' },
        { label: 'Variance' },
        { label: 'N', numeric: true, srSuffix: 'analysed' },
        ...(hasAdjusted(context) ? [{ label: 'Adjusted p', numeric: true, srSuffix: '(multiplicity)' }] : []),
      ],
      rows: estimateRows(context, outcome),
      notes,
    })}`;
  });
  return { id: 'results', title: 'Results by outcome', body: html`${tables}` };
}

function forestPanels(context: ReportContext): ForestPanel[] {
  const panels: ForestPanel[] = [];
  for (const outcome of context.outcomeNames()) {
    const info = context.outcome(outcome);
    const scale = effectScale(info);
    const rows: ForestRow[] = context
      .estimatesFor(outcome)
      .filter((estimate) => estimate.estimand !== 'first-stage' && !DESCRIPTIVE.has(estimate.estimand) && !isRatioEstimate(estimate))
      .filter((estimate) => [estimate.estimate, estimate.confLow, estimate.confHigh].every(Number.isFinite))
      .map((estimate) => ({
        row: rowLabel(estimate),
        estimand: estimate.estimand === 'subgroup-ITT' ? 'ITT' : estimate.estimand,
        estimate: estimate.estimate * scale,
        confLow: estimate.confLow * scale,
        confHigh: estimate.confHigh * scale,
      }));
    if (rows.length > 0)
      panels.push({ title: context.outcomeLabel(outcome), axisTitle: `Effect (${effectUnitLabel(info)})`, rows });
  }
  return panels;
}

export async function forestSection(context: ReportContext): Promise<Section | undefined> {
  const panels = forestPanels(context);
  if (panels.length === 0) return undefined;
  const id = context.ids.next('forest', 'fig');
  const title = 'Effects with confidence intervals, by outcome and subgroup';
  const parts = panels.map((panel) => {
    const row = panel.rows[0]!;
    const digits = digitsForInterval(row.confLow, row.confHigh);
    return `${panel.title}: ${row.row} ${formatNumber(row.estimate, digits)} (${formatNumber(row.confLow, digits)} to ${formatNumber(row.confHigh, digits)}) ${panel.axisTitle.replace(/^Effect \(|\)$/g, '')}`;
  });
  const description = `Forest plot, one panel per outcome; a point marks each estimate and a line its confidence interval; the dashed line marks no effect. ${parts.join('; ')}.`;
  const svg = await renderChart(forestSpec(panels), { id, title, description });
  const table = dataTable({
    id: `${id}-data`,
    caption: title,
    columns: [
      { label: 'Outcome and estimand' },
      { label: 'Unit' },
      { label: 'Estimate', numeric: true },
      { label: 'Lower limit', numeric: true },
      { label: 'Upper limit', numeric: true },
    ],
    rows: panels.flatMap((panel) =>
      panel.rows.map((row) => {
        const digits = digitsForInterval(row.confLow, row.confHigh);
        return [
          `${panel.title}: ${row.row}`,
          panel.axisTitle.replace(/^Effect \(|\)$/g, ''),
          formatNumber(row.estimate, digits),
          formatNumber(row.confLow, digits),
          formatNumber(row.confHigh, digits),
        ];
      }),
    ),
  });
  return { id: 'forest', title: 'Effects across outcomes and subgroups', body: chartFigure({ id, title, description, svg, table }) };
}
