/**
 * @trialkit/report — self-contained, accessible HTML trial reports.
 *
 *   plan.json ──parsePlan──► AnalysisPlan ─┐
 *   data ──@trialkit/data──► Dataset ──────┴─buildReport──► estimate() per outcome/estimand, survivalAnalysis() per
 *                                                           time-to-event outcome, flow, balance, compliance,
 *                                                           distributions, deviations ──► ReportInput
 *   ReportInput ──renderReport──► sections ──► HTML (inline CSS, no scripts, CSP default-src 'none')
 *        charts: specs/*.ts (Vega-Lite as data, aggregates only) ──renderChart: vl.compile → vega.View
 *                (renderer 'none', Liberation Sans metrics, no loader) → toSVG──► <svg role="img"> in <figure>
 *                with the same numbers in a <details> table
 *   writeReport ──► temp file + rename (no partial file on failure)
 */
export { renderReport, writeReport, writeFileAtomic } from './report.js';
export { renderChart, CHART_CONFIG } from './chart.js';
export { buildReport } from './build.js';
export type { BuildReportOptions, EstimateFunction, ReportEstimateResult, ReportEstimateSpec } from './build.js';
export { parsePlan, parsePlanText, readPlan, planColumns, ESTIMANDS, OUTCOME_TYPES, VARIANCE_TYPES, MULTIPLICITY_METHODS } from './plan.js';
export type { AnalysisPlan, ArmPlan, OutcomePlan, MultiplicityMethod, PlanEstimand } from './plan.js';
export { intraclassCorrelation, standardisedMeanDifference } from './describe.js';
export type { ChartOptions, VegaLiteSpec } from './chart.js';
export { ReportErrorCode, reportErrors } from './errors.js';
export { escapeHtml } from './escape.js';
export { AF_PALETTE, contrastRatio, relativeLuminance } from './palette.js';
export { textWidth, CHART_FONT } from './font-metrics.js';
export type * from './types.js';
