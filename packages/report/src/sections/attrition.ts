/**
 * Attrition (CONSORT 2025 items 21c, 22b: missing outcome data): for each outcome a follow-up survey measured, response
 * by arm with the difference in response rates (estimatr difference_in_means, Pearson χ², Fisher's exact test), and
 * Lee (2009) bounds on the ITT of those who would respond whichever arm they were in — the complete-case ITT
 * compares respondents, who are comparable across arms only if assignment did not change who responds.
 */
import { digitsForInterval, effectScale, effectUnitLabel, formatInteger, formatLevel, formatNumber, formatPValue, formatPercent } from '../format.js';
import { dataTable, html } from '../html.js';
import type { AttritionSummary } from '../types.js';
import type { ReportContext, Section } from './context.js';

function points(share: number): string {
  return formatNumber(share * 100, 1);
}

function outcomeBlock(context: ReportContext, item: AttritionSummary) {
  const info = context.outcome(item.outcome);
  const label = context.outcomeLabel(item.outcome);
  const { response, difference, lee } = item;
  const arms = context.input.arms;
  const responseTable = dataTable({
    id: context.ids.next(`${item.outcome}-response`, 'table'),
    caption: `Follow-up response for ${label}, by arm`,
    columns: [
      { label: 'Arm' },
      { label: 'Randomised', numeric: true },
      { label: 'Responded', numeric: true },
      { label: 'Response rate', numeric: true },
      { label: 'Attrition', numeric: true },
    ],
    rows: [
      [arms.treatment, formatInteger(response.treatment.nAssigned), formatInteger(response.treatment.nResponded), formatPercent(response.treatment.responseRate), formatPercent(1 - response.treatment.responseRate)],
      [arms.control, formatInteger(response.control.nAssigned), formatInteger(response.control.nResponded), formatPercent(response.control.responseRate), formatPercent(1 - response.control.responseRate)],
      ['Both arms', formatInteger(response.overall.nAssigned), formatInteger(response.overall.nResponded), formatPercent(response.overall.responseRate), formatPercent(1 - response.overall.responseRate)],
    ],
    notes: [
      `Response: ${item.responded.startsWith('observed(') ? `a value of “${item.outcome}” is present` : `“${item.responded}” = 1`}. ` +
        `Difference in response rates (treatment − control): ${points(difference.estimate)} points (${formatLevel(item.level)} CI ${points(difference.confLow)} to ${points(difference.confHigh)}; p = ${formatPValue(difference.pValue)}, difference in means, ${difference.seType} variance); ` +
        `Pearson χ² ${item.chiSquare.statistic === null ? 'undefined (no one, or everyone, responded)' : `${formatNumber(item.chiSquare.statistic, 2)} on 1 df, p = ${formatPValue(item.chiSquare.pValue)}`}; Fisher’s exact test p = ${formatPValue(item.fisherPValue)}.`,
    ],
  });
  const scale = effectScale(info);
  const unit = effectUnitLabel(info);
  const digits = digitsForInterval(lee.ci.low * scale, lee.ci.high * scale);
  const f = (value: number): string => formatNumber(value * scale, digits);
  const trimmed = lee.trimmedArm === 'treatment' ? arms.treatment : arms.control;
  const boundsTable = dataTable({
    id: context.ids.next(`${item.outcome}-lee`, 'table'),
    caption: `Lee bounds on the ITT of ${label} for those who would respond in either arm`,
    columns: [
      { label: 'Quantity' },
      { label: `Value (${unit})`, numeric: true },
    ],
    rows: [
      ['Complete-case ITT (respondents only)', f(lee.respondentDifference)],
      [`Lower bound (SE)`, `${f(lee.lower)} (${f(lee.seLower)})`],
      [`Upper bound (SE)`, `${f(lee.upper)} (${f(lee.seUpper)})`],
      [`${formatLevel(item.level)} CI for the effect (Imbens–Manski)`, `${f(lee.ci.low)} to ${f(lee.ci.high)}`],
      [`${formatLevel(item.level)} CI for the bounds (bounds ± z·SE)`, `${f(lee.boundsCi.low)} to ${f(lee.boundsCi.high)}`],
      ['Share of responders trimmed', `${formatPercent(lee.trimProportion)} of the ${trimmed} arm’s`],
    ],
    notes: [
      lee.trimProportion === 0
        ? 'Response rates are equal, so nothing is trimmed and both bounds equal the complete-case ITT.'
        : `The arm that responded more (${trimmed}) has its responders’ outcomes trimmed by the share who responded only because of their arm, from the top for the lower bound and from the bottom for the upper (monotonicity: assignment moves response in one direction for everyone). Standard errors: Lee (2009) Proposition 3.`,
    ],
  });
  return html`<h3 id="${context.ids.next(item.outcome, 'attrition')}">${label}</h3>${responseTable}${boundsTable}`;
}

export function attritionSection(context: ReportContext): Section | undefined {
  const items = context.input.attrition ?? [];
  if (items.length === 0) return undefined;
  const intro = html`<p>Outcomes measured by a follow-up survey are missing for those who did not respond. If assignment changed who responds, the respondents compared by the complete-case ITT are no longer comparable across arms; Lee bounds give the range of effects for those who would have responded whichever arm they were in.</p>`;
  return { id: 'attrition', title: 'Follow-up response and attrition', body: html`${intro}${items.map((item) => outcomeBlock(context, item))}` };
}
