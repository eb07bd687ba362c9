/**
 * Results: per outcome, a table of every estimand estimated (ITT, CACE, first stage, descriptive ones), with SE,
 * CI, p, df and the variance type (CONSORT 2025 item 26); then the forest plot across outcomes and subgroups.
 */
import type { Estimate } from '@trialkit/core';
import { renderChart } from '../chart.js';
import {
  DASH,
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
import {
  type ReportContext,
  type Section,
  RATIO_NAMES,
  estimandName,
  estimateScale,
  estimateUnitLabel,
  isRatioEstimate,
  isTimeToEventDifference,
  subgroupOf,
  timeToEventName,
} from './context.js';
import type { OutcomeInfo, SubgroupTestSummary } from '../types.js';

const DESCRIPTIVE = new Set(['per-protocol', 'as-treated']);

function rowLabel(estimate: Estimate, info?: OutcomeInfo): string {
  const subgroup = subgroupOf(estimate);
  const base = estimate.estimand === 'subgroup-ITT' ? 'ITT' : estimate.estimand;
  const name = isRatioEstimate(estimate)
    ? `${base} (${RATIO_NAMES[estimate.estimator] ?? estimate.estimator})`
    : isTimeToEventDifference(estimate)
      ? `${base} (${timeToEventName(estimate, info?.unit)})`
      : base;
  return subgroup === undefined ? name : `${name}: ${subgroup}`;
}

function hasAdjusted(context: ReportContext): boolean {
  return context.input.estimates.some((estimate) => typeof estimate['pValueAdjusted'] === 'number');
}

/** Some estimate carries a randomisation p-value (the plan's `randomisationInference`). */
function hasRandomisation(context: ReportContext): boolean {
  return context.input.estimates.some((estimate) => typeof estimate['riPValue'] === 'number');
}

/** The table note on the randomisation p-values of one outcome: exact or Monte Carlo, how many assignments. */
function randomisationNote(estimates: readonly Estimate[]): string | undefined {
  const withRi = estimates.filter((estimate) => typeof estimate['riPValue'] === 'number');
  if (withRi.length === 0) return undefined;
  const parts = withRi.map((estimate) => {
    const draws = typeof estimate['riDraws'] === 'number' ? formatInteger(estimate['riDraws']) : '?';
    const mcse = typeof estimate['riMonteCarloStdError'] === 'number' ? `, Monte Carlo SE ${formatNumber(estimate['riMonteCarloStdError'], 4)}` : '';
    return estimate['riExact'] === true
      ? `exact: all ${draws} possible assignments enumerated`
      : `Monte Carlo: ${draws} random redraws of the assignment${mcse}`;
  });
  return `Randomisation p: the two-sided p-value of the sharp null of no effect for anyone, redrawing the assignment as it was made (${[...new Set(parts)].join('; ')}); see Methods.`;
}

/**
 * The CACE's randomisation confidence set (estimate()'s `riSet` with the plan's randomisationInference: the τ whose
 * adjusted outcome Y − τ·D shows no effect of assignment at the set's level), in the CACE's display unit.
 */
function caceRandomisationNote(estimates: readonly Estimate[], info: OutcomeInfo | undefined): string | undefined {
  const cace = estimates.find((estimate) => estimate.estimand === 'CACE' && typeof estimate['riSet'] === 'object' && estimate['riSet'] !== null);
  if (cace === undefined) return undefined;
  const set = cace['riSet'] as { shape?: string; intervals?: readonly { lower: number | null; upper: number | null }[]; level?: number; exact?: boolean; draws?: number };
  const scale = estimateScale(cace, info);
  const intervals = set.intervals ?? [];
  const finite = intervals.flatMap((i) => [i.lower, i.upper]).filter((v): v is number => typeof v === 'number');
  const digits = finite.length >= 2 ? digitsForInterval(Math.min(...finite) * scale, Math.max(...finite) * scale) : 2;
  const end = (value: number | null, sign: string): string => (value === null ? `${sign}∞` : formatNumber(value * scale, digits));
  const text =
    set.shape === 'empty' || intervals.length === 0
      ? 'empty'
      : intervals.map((i) => `${end(i.lower, '−')} to ${end(i.upper, '+')}`).join(' and ');
  const how = set.exact === true ? `exact, all ${formatInteger(set.draws)} assignments` : `${formatInteger(set.draws)} redraws`;
  return `CACE randomisation ${set.level !== undefined ? formatLevel(set.level) : ''} confidence set (the effects τ for which Y − τ × receipt shows no effect of assignment in the randomisation test; ${how}): ${text}${
    set.shape === 'unbounded' || set.shape === 'whole-line' || set.shape === 'union' ? ` (${set.shape}: the first stage is too weak to bound the effect)` : ''
  }.`;
}

function estimateRows(context: ReportContext, outcome: string): (string | SafeHtml)[][] {
  const info = context.outcome(outcome);
  const estimates = context.estimatesFor(outcome);
  const adjusted = hasAdjusted(context);
  const randomisation = hasRandomisation(context);
  return estimates.map((estimate) => {
    // The first stage (a difference in take-up shares) and a cumulative-incidence difference are in percentage points.
    const scale = estimateScale(estimate, info);
    const digits = digitsForInterval(estimate.confLow * scale, estimate.confHigh * scale);
    const n =
      estimate.nClusters !== undefined
        ? `${formatInteger(estimate.nObs)} (${formatInteger(estimate.nClusters)} clusters)`
        : formatInteger(estimate.nObs);
    return [
      html`${rowLabel(estimate, info)}<span class="visually-hidden">, ${estimandName(estimate.estimand)}</span>`,
      estimate.estimator,
      formatNumber(estimate.estimate * scale, digits),
      formatNumber(estimate.stdError * scale, digits),
      `${formatNumber(estimate.confLow * scale, digits)} to ${formatNumber(estimate.confHigh * scale, digits)} (${formatLevel(estimate.level)})`,
      formatPValue(estimate.pValue),
      // df = ∞: a normal reference distribution (Cox Wald test, RMST, cumulative incidence).
      estimate.df === Infinity ? html`∞<span class="visually-hidden"> (normal)</span>` : formatNumber(estimate.df, Number.isInteger(estimate.df) ? 0 : 1),
      estimate.seType,
      n,
      ...(adjusted ? [typeof estimate['pValueAdjusted'] === 'number' ? formatPValue(estimate['pValueAdjusted']) : '\u2013'] : []),
      ...(randomisation ? [typeof estimate['riPValue'] === 'number' ? formatPValue(estimate['riPValue']) : '\u2013'] : []),
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
    if (info?.type === 'time-to-event') {
      if (estimates.some((estimate) => estimate.estimator === 'coxph'))
        notes.push('The hazard ratio is from a Cox model of assignment with Efron ties; its standard error is on the log scale.');
      notes.push(
        `The RMST difference is in ${info.unit !== undefined && info.unit !== '' ? info.unit : 'time units'} (restricted mean time without the event, treatment minus control); the cumulative-incidence difference (1 − Kaplan–Meier) is in percentage points. Greenwood variances; df ∞ marks a normal reference distribution.`,
      );
    } else notes.push(`Differences are in ${effectUnitLabel(info)}. Variance: the standard-error type named in each row.`);
    const method = estimates.find((estimate) => typeof estimate['multiplicity'] === 'string')?.['multiplicity'];
    if (typeof method === 'string') notes.push(`Adjusted p: ${method} adjustment across the secondary outcomes’ ITT estimates.`);
    const riNote = randomisationNote(estimates);
    if (riNote !== undefined) notes.push(riNote);
    const caceRi = caceRandomisationNote(estimates, info);
    if (caceRi !== undefined) notes.push(caceRi);
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
        ...(hasRandomisation(context) ? [{ label: 'Randomisation p', numeric: true, srSuffix: '(sharp null of no effect)' }] : []),
      ],
      rows: estimateRows(context, outcome),
      notes,
    })}`;
  });
  return { id: 'results', title: 'Results by outcome', body: html`${tables}` };
}

function forestRow(estimate: Estimate, scale: number, info: OutcomeInfo | undefined, withOutcome?: string): ForestRow {
  // Time-to-event rows: the panel's title names the measure, so the row names only the estimand (and subgroup).
  const subgroup = subgroupOf(estimate);
  const label =
    estimate.estimator === 'coxph' || isTimeToEventDifference(estimate)
      ? `${estimate.estimand === 'subgroup-ITT' ? 'ITT' : estimate.estimand}${subgroup !== undefined ? `: ${subgroup}` : ''}`
      : rowLabel(estimate, info);
  return {
    row: withOutcome !== undefined ? `${withOutcome}: ${label}` : label,
    estimand: estimate.estimand === 'subgroup-ITT' ? 'ITT' : estimate.estimand,
    estimate: estimate.estimate * scale,
    confLow: estimate.confLow * scale,
    confHigh: estimate.confHigh * scale,
  };
}

/**
 * One panel per outcome in its own unit; a time-to-event outcome's RMST and cumulative-incidence differences get a
 * panel each (days and points never share an axis), and every hazard ratio goes to one ratio panel on a log axis.
 * Risk and odds ratios stay in the results table (the risk difference is the binary outcome's forest row).
 */
function forestPanels(context: ReportContext): ForestPanel[] {
  const panels: ForestPanel[] = [];
  const hazardRows: ForestRow[] = [];
  const subgroupHazardPanels: ForestPanel[] = [];
  const finite = (estimate: Estimate): boolean => [estimate.estimate, estimate.confLow, estimate.confHigh].every(Number.isFinite);
  for (const outcome of context.outcomeNames()) {
    const info = context.outcome(outcome);
    const estimates = context
      .estimatesFor(outcome)
      .filter((estimate) => estimate.estimand !== 'first-stage' && !DESCRIPTIVE.has(estimate.estimand))
      .filter(finite);
    // Whole-sample hazard ratios share one ratio panel; a subgroup's hazard ratios get a ratio panel of their own,
    // subtitled with the Cox interaction test (below).
    const hazardRatios = estimates.filter((e) => e.estimator === 'coxph');
    for (const estimate of hazardRatios.filter((e) => !isSubgroupHazardRatio(e)))
      hazardRows.push(forestRow(estimate, 1, info, context.outcomeLabel(outcome)));
    subgroupHazardPanels.push(...subgroupHazardRatioPanels(context, outcome, hazardRatios));
    const allDifferences = estimates.filter((estimate) => !isRatioEstimate(estimate));
    // Whole-sample estimates by unit; subgroup estimates in a panel per subgroup column (below).
    const differences = allDifferences.filter((estimate) => !isSubgroupDifference(estimate));
    // Group by unit, in order of first appearance.
    const units = [...new Set(differences.map((estimate) => estimateUnitLabel(estimate, info)))];
    for (const unit of units) {
      const group = differences.filter((estimate) => estimateUnitLabel(estimate, info) === unit);
      const kinds = [...new Set(group.map((estimate) => (isTimeToEventDifference(estimate) ? timeToEventName(estimate, info?.unit) : '')))];
      const suffix = kinds.length === 1 && kinds[0] !== '' ? `: ${kinds[0]!}` : '';
      panels.push({
        title: `${context.outcomeLabel(outcome)}${suffix}`,
        axisTitle: `Effect (${unit})`,
        unit,
        rows: group.map((estimate) => forestRow(estimate, estimateScale(estimate, info), info)),
      });
    }
    panels.push(...subgroupPanels(context, outcome, allDifferences));
  }
  if (hazardRows.length > 0)
    panels.push({ title: 'Hazard ratios (treatment vs control)', axisTitle: 'Hazard ratio (log scale; 1 = no difference)', unit: 'hazard ratio', ratio: true, rows: hazardRows });
  panels.push(...subgroupHazardPanels);
  return panels;
}

/** A subgroup estimate of a difference that has its own subgroup panel (it names its subgroup column). */
function isSubgroupDifference(estimate: Estimate): boolean {
  return subgroupOf(estimate) !== undefined && typeof estimate['subgroupColumn'] === 'string' && !isRatioEstimate(estimate);
}

/** A level's hazard ratio from the Cox interaction model (it names its subgroup column). */
function isSubgroupHazardRatio(estimate: Estimate): boolean {
  return estimate.estimator === 'coxph' && subgroupOf(estimate) !== undefined && typeof estimate['subgroupColumn'] === 'string';
}

/**
 * "Interaction p = 0.041 (F(2, 592) = 3.21)", for a time-to-event outcome "Interaction p = 0.279 (Wald χ²(1) = 1.17,
 * Cox model)", or why there is no test.
 */
export function interactionText(test: SubgroupTestSummary | undefined): string {
  if (test === undefined) return 'No interaction test';
  if (test.hazardTest !== undefined) {
    const h = test.hazardTest;
    return `Interaction p = ${formatPValue(h.pValue)} (Wald χ²(${h.df}) = ${formatNumber(h.wald, 2)}, Cox model)`;
  }
  if (test.test === undefined) return `No interaction test: ${test.notTested ?? 'fewer than two levels estimated'}`;
  const t = test.test;
  const df = (value: number): string => formatNumber(value, Number.isInteger(value) ? 0 : 1);
  return `Interaction p = ${formatPValue(t.pValue)} (F(${df(t.dfNumerator)}, ${df(t.dfDenominator)}) = ${formatNumber(t.fStatistic, 2)})`;
}

/**
 * One panel per pre-specified subgroup of an outcome: the whole-sample ITT, then each level's ITT, titled with the
 * subgroup and subtitled with the treatment × subgroup interaction test (REPORT-GUIDE: report the interaction, not
 * only the subgroups' intervals).
 */
function subgroupPanels(context: ReportContext, outcome: string, differences: readonly Estimate[]): ForestPanel[] {
  const info = context.outcome(outcome);
  const columns = [...new Set(differences.filter(isSubgroupDifference).map((estimate) => estimate['subgroupColumn'] as string))];
  return columns.map((column) => {
    const levels = differences.filter((estimate) => isSubgroupDifference(estimate) && estimate['subgroupColumn'] === column);
    const unit = estimateUnitLabel(levels[0]!, info);
    const overall = differences.find(
      (estimate) => subgroupOf(estimate) === undefined && estimate.estimand === 'ITT' && estimateUnitLabel(estimate, info) === unit,
    );
    const test = context.input.subgroupTests?.find((item) => item.outcome === outcome && item.subgroup === column);
    const rows = [
      ...(overall !== undefined ? [{ ...forestRow(overall, estimateScale(overall, info), info), row: 'ITT: all participants' }] : []),
      ...levels.map((estimate) => forestRow(estimate, estimateScale(estimate, info), info)),
    ];
    return {
      title: `${context.outcomeLabel(outcome)}, by “${column}”`,
      subtitle: interactionText(test),
      axisTitle: `Effect (${unit})`,
      unit,
      rows,
    };
  });
}

/**
 * One ratio panel per pre-specified subgroup of a time-to-event outcome: the whole-sample hazard ratio, then each
 * level's from the Cox interaction model, subtitled with that model's Wald χ² interaction test.
 */
function subgroupHazardRatioPanels(context: ReportContext, outcome: string, hazardRatios: readonly Estimate[]): ForestPanel[] {
  const info = context.outcome(outcome);
  const overall = hazardRatios.find((estimate) => subgroupOf(estimate) === undefined);
  const columns = [...new Set(hazardRatios.filter(isSubgroupHazardRatio).map((estimate) => estimate['subgroupColumn'] as string))];
  return columns.map((column) => {
    const test = context.input.subgroupTests?.find((item) => item.outcome === outcome && item.subgroup === column);
    return {
      title: `${context.outcomeLabel(outcome)}: hazard ratio, by “${column}”`,
      subtitle: interactionText(test),
      axisTitle: 'Hazard ratio (log scale; 1 = no difference)',
      unit: 'hazard ratio',
      ratio: true,
      rows: [
        ...(overall !== undefined ? [{ ...forestRow(overall, 1, info), row: 'ITT: all participants' }] : []),
        ...hazardRatios.filter((estimate) => isSubgroupHazardRatio(estimate) && estimate['subgroupColumn'] === column).map((estimate) => forestRow(estimate, 1, info)),
      ],
    };
  });
}

/**
 * The treatment × subgroup interaction tests: per outcome and pre-specified subgroup, the levels tested, the joint
 * robust Wald F with its df and p (and the χ² p), the interaction coefficient for two levels, and the levels not
 * estimated with why.
 */
function interactionTable(context: ReportContext, id: string): SafeHtml | undefined {
  const tests = context.input.subgroupTests ?? [];
  if (tests.length === 0) return undefined;
  const isCox = (item: SubgroupTestSummary): boolean => item.model === 'coxph' || item.hazardTest !== undefined;
  const hasHazard = tests.some(isCox);
  const hasLinear = tests.some((item) => !isCox(item));
  const rows = tests.map((item) => {
    const info = context.outcome(item.outcome);
    const scale = effectScale(info);
    const t = item.test;
    const c = item.contrast;
    const h = item.hazardTest;
    const hc = item.hazardContrast;
    const digits = c !== undefined ? digitsForInterval(c.confLow * scale, c.confHigh * scale) : 2;
    const df = (value: number): string => formatNumber(value, Number.isInteger(value) ? 0 : 1);
    const notEstimated = item.levels.filter((level) => !level.estimated).map((level) => `${level.level} (${level.reason ?? 'not estimated'})`);
    const tested = t !== undefined || h !== undefined;
    return [
      `${context.outcomeLabel(item.outcome)}, by “${item.subgroup}”`,
      item.levels.map((level) => `${level.level}: ${formatInteger(level.nTreatment)} / ${formatInteger(level.nControl)}`).join('; '),
      h !== undefined
        ? `Wald χ² ${formatNumber(h.wald, 2)} (${h.df})`
        : t !== undefined
          ? `${hasHazard ? 'F ' : ''}${formatNumber(t.fStatistic, 2)} (${df(t.dfNumerator)}, ${df(t.dfDenominator)})`
          : DASH,
      h !== undefined ? formatPValue(h.pValue) : t !== undefined ? formatPValue(t.pValue) : DASH,
      h !== undefined ? formatPValue(h.pValue) : t !== undefined ? formatPValue(t.chiSquarePValue) : DASH,
      hc !== undefined
        ? `ratio of hazard ratios ${formatNumber(hc.ratio, 2)} (${formatNumber(hc.confLow, 2)} to ${formatNumber(hc.confHigh, 2)}); p ${formatPValue(hc.pValue)}`
        : c !== undefined
          ? `${formatNumber(c.estimate * scale, digits)} (${formatNumber(c.confLow * scale, digits)} to ${formatNumber(c.confHigh * scale, digits)}); p ${formatPValue(c.pValue)}`
          : DASH,
      [!tested ? (item.notTested ?? 'not tested') : '', notEstimated.length > 0 ? `Not estimated: ${notEstimated.join('; ')}` : ''].filter((x) => x !== '').join('. ') || 'All levels estimated',
    ];
  });
  const seTypes = [...new Set(tests.flatMap((item) => (item.test !== undefined ? [item.test.seType] : [])))];
  const hazardSeTypes = [...new Set(tests.flatMap((item) => (item.hazardTest !== undefined ? [item.hazardTest.seType] : [])))];
  const linearNotes = hasLinear
    ? [
        `${hasHazard ? 'For binary and continuous outcomes, each' : 'Each'} test is the joint robust Wald test that every treatment × level coefficient is zero in lm_robust(outcome ~ assignment × subgroup${
          context.input.methods?.covariates !== undefined && context.input.methods.covariates.length > 0 ? ' + covariates' : ''
        })${seTypes.length > 0 ? ` with ${seTypes.join(', ')} standard errors` : ''}, over the levels estimated: F = W/q on (q, residual df, or clusters − 1), as estimatr reports it; the χ² p refers the same W to χ²(q). A small p is evidence that the effect differs between levels; a large one is not evidence that it is the same.`,
        'With two levels, the difference is the second level’s ITT minus the first’s (the interaction coefficient), in the outcome’s effect unit.',
      ]
    : [];
  const hazardNotes = hasHazard
    ? [
        `For time-to-event outcomes the test is the Wald χ² test on the Cox model coxph(Surv(time, event) ~ assignment × subgroup${
          tests.some((item) => item.hazardTest?.strata !== undefined) ? ' + strata(blocks)' : ''
        })${hazardSeTypes.length > 0 ? ` (${hazardSeTypes.map((type) => COX_SE_TEXT[type] ?? type).join(', ')} variance)` : ''} that every treatment × level coefficient is zero, W = b′V⁻¹b on χ²(q), q = levels tested − 1, over the levels with events in both arms; the χ² column repeats that p. Each level’s hazard ratio in the forest plot is from the same model; with two levels the ratio is the second level’s hazard ratio over the first’s, exp(coefficient), with its interval. A small p is evidence that the hazard ratio differs between levels; a large one is not evidence that it is the same.`,
      ]
    : [];
  return dataTable({
    id,
    caption: 'Treatment × subgroup interaction (heterogeneity) tests',
    columns: [
      { label: 'Outcome and subgroup' },
      { label: 'Participants per level (treatment / control)' },
      hasHazard
        ? { label: 'F or Wald χ² (df)', numeric: true, srSuffix: 'statistic and degrees of freedom' }
        : { label: 'F (df)', numeric: true, srSuffix: 'statistic and degrees of freedom' },
      { label: 'Interaction p', numeric: true, srSuffix: hasHazard ? (hasLinear ? '(F test; Wald χ² test for hazard ratios)' : '(Wald χ² test on the Cox model)') : '(F test)' },
      { label: 'p (χ²)', numeric: true, srSuffix: '(chi-squared reference)' },
      { label: hasHazard ? (hasLinear ? 'Difference (or ratio of hazard ratios) between the two levels (CI)' : 'Ratio of the two levels’ hazard ratios (CI)') : 'Difference between the two levels (CI)', numeric: true },
      { label: 'Notes' },
    ],
    rows,
    notes: [...linearNotes, ...hazardNotes],
  });
}

/** The Cox variance behind a hazard-ratio interaction test, in words. */
const COX_SE_TEXT: Readonly<Record<string, string>> = {
  classical: 'model-based',
  robust: 'robust (sandwich)',
  robust_cluster: 'cluster-robust',
};

export async function forestSection(context: ReportContext): Promise<Section | undefined> {
  const panels = forestPanels(context);
  if (panels.length === 0) return undefined;
  const id = context.ids.next('forest', 'fig');
  const title = 'Effects with confidence intervals, by outcome and subgroup';
  const parts = panels.map((panel) => {
    const row = panel.rows[0]!;
    const digits = panel.ratio === true ? 2 : digitsForInterval(row.confLow, row.confHigh);
    return `${panel.title}${panel.subtitle !== undefined ? ` (${panel.subtitle})` : ''}: ${row.row} ${formatNumber(row.estimate, digits)} (${formatNumber(row.confLow, digits)} to ${formatNumber(row.confHigh, digits)}) ${panel.unit}`;
  });
  const ratioNote = panels.some((panel) => panel.ratio === true) ? ' Hazard ratios have their own panel on a log axis, with no effect at 1.' : '';
  const description = `Forest plot, one panel per outcome and unit; a point marks each estimate and a line its confidence interval; the dashed line marks no effect.${ratioNote} ${parts.join('; ')}.`;
  const svg = await renderChart(forestSpec(panels), { id, title, description });
  const withSubgroups = panels.some((panel) => panel.subtitle !== undefined);
  const table = dataTable({
    id: `${id}-data`,
    caption: title,
    columns: [
      { label: 'Outcome and estimand' },
      { label: 'Unit' },
      { label: 'Estimate', numeric: true },
      { label: 'Lower limit', numeric: true },
      { label: 'Upper limit', numeric: true },
      ...(withSubgroups ? [{ label: 'Interaction test' }] : []),
    ],
    rows: panels.flatMap((panel) =>
      panel.rows.map((row) => {
        const digits = panel.ratio === true ? 2 : digitsForInterval(row.confLow, row.confHigh);
        return [
          `${panel.title}: ${row.row}`,
          panel.unit,
          formatNumber(row.estimate, digits),
          formatNumber(row.confLow, digits),
          formatNumber(row.confHigh, digits),
          ...(withSubgroups ? [panel.subtitle ?? DASH] : []),
        ];
      }),
    ),
  });
  const interactions = interactionTable(context, context.ids.next('subgroup-interactions', 'table'));
  const figure = chartFigure({ id, title, description, svg, table });
  return {
    id: 'forest',
    title: 'Effects across outcomes and subgroups',
    body: interactions === undefined ? figure : html`${figure}<h3 id="${context.ids.next('subgroup-tests', 'h')}">Subgroups: interaction tests</h3>${interactions}`,
  };
}
