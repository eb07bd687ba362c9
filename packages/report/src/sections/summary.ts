/**
 * The plain-language summary: one sentence per primary outcome with the ITT effect, its CI and what it means, and
 * a second for the CACE where one was estimated.
 */
import type { Estimate } from '@trialkit/core';
import { digitsForInterval, effectScale, formatEffect, formatLevel, formatPValue, outcomeType, effectUnitLabel } from '../format.js';
import { EMPTY, html, type SafeHtml } from '../html.js';
import type { OutcomeInfo } from '../types.js';
import { RATIO_NAMES, isRatioEstimate, subgroupOf, timeText, type ReportContext, type Section } from './context.js';
import { incidenceByArm } from './survival.js';
import { formatNumber } from '../format.js';

function direction(estimate: number, noun: string): string {
  if (estimate > 0) return `raised ${noun} by`;
  if (estimate < 0) return `lowered ${noun} by`;
  return `did not change ${noun}:`;
}

function digitsOf(estimate: Estimate, info: OutcomeInfo | undefined): number {
  const scale = effectScale(info);
  return digitsForInterval(estimate.confLow * scale, estimate.confHigh * scale);
}

function quantity(estimate: Estimate, info: OutcomeInfo | undefined): string {
  const value = estimate.estimate;
  const magnitude = formatEffect(Math.abs(value), info, digitsOf(estimate, info));
  if (outcomeType(info) === 'binary') return `${magnitude} percentage points`;
  const unit = info?.unit;
  if (unit === undefined || unit === '' || /^[£$€]$/.test(unit)) return magnitude;
  return `${magnitude} ${unit}`;
}

function interval(estimate: Estimate, info: OutcomeInfo | undefined): string {
  const digits = digitsOf(estimate, info);
  return `${formatLevel(estimate.level)} CI ${formatEffect(estimate.confLow, info, digits)} to ${formatEffect(estimate.confHigh, info, digits)}`;
}

function meaning(estimate: Estimate, info: OutcomeInfo | undefined): string {
  const digits = digitsOf(estimate, info);
  const low = formatEffect(estimate.confLow, info, digits);
  const high = formatEffect(estimate.confHigh, info, digits);
  const unit = outcomeType(info) === 'binary' ? ' points' : '';
  if (estimate.confLow > 0 || estimate.confHigh < 0) {
    return `The interval excludes no effect: the data are consistent with effects from ${low} to ${high}${unit}.`;
  }
  return `The interval includes no effect: the data are consistent with no effect and with effects from ${low} to ${high}${unit}.`;
}

function noun(info: OutcomeInfo | undefined, label: string): string {
  return outcomeType(info) === 'binary' ? `the rate of “${label}”` : lowerFirst(label);
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/**
 * A time-to-event primary outcome: the cumulative incidence by the horizon in each arm and its difference (in
 * points), then the hazard ratio, e.g. "By 365 days, 36.4% of the programme group had had the event (“job_started”)
 * against 34.5% of the control group (difference 1.8 points, 95% CI −0.0 to 3.7); hazard ratio 1.07 (1.00 to 1.15)."
 */
export function timeToEventSentences(context: ReportContext, outcomeName: string): string[] {
  const info = context.outcome(outcomeName);
  const label = context.outcomeLabel(outcomeName);
  const estimates = context.mainEstimatesFor(outcomeName).filter((e) => e.estimand === 'ITT' && subgroupOf(e) === undefined);
  const incidence = estimates.find((e) => e.estimator === 'km_cumulative_incidence');
  const hazard = estimates.find((e) => e.estimator === 'coxph');
  const rmst = estimates.find((e) => e.estimator === 'rmst');
  const summary = (context.input.survival ?? []).find((s) => s.outcome === outcomeName);
  const { treatment, control } = context.input.arms;
  const unit = summary?.timeUnit ?? info?.unit;
  const event = summary !== undefined ? `had had the event (“${summary.event}”)` : 'had had the event';
  const sentences: string[] = [];
  const byArm = incidenceByArm(estimates);
  const horizon = typeof incidence?.['horizon'] === 'number' ? incidence['horizon'] : summary?.horizon;
  if (incidence !== undefined && byArm !== undefined && horizon !== undefined && [incidence.estimate, incidence.confLow, incidence.confHigh].every(Number.isFinite)) {
    const digits = Math.max(1, digitsForInterval(incidence.confLow * 100, incidence.confHigh * 100));
    const hazardText =
      hazard !== undefined && [hazard.estimate, hazard.confLow, hazard.confHigh].every(Number.isFinite)
        ? `; hazard ratio ${formatNumber(hazard.estimate, 2)} (${formatNumber(hazard.confLow, 2)} to ${formatNumber(hazard.confHigh, 2)}; p ${pText(hazard.pValue)})`
        : '';
    sentences.push(
      `By ${timeText(horizon, unit)}, ${formatNumber(byArm[1]!.estimate * 100, 1)}% of the ${treatment} group ${event} against ${formatNumber(byArm[0]!.estimate * 100, 1)}% of the ${control} group (difference ${formatNumber(incidence.estimate * 100, digits)} points, ${formatLevel(incidence.level)} CI ${formatNumber(incidence.confLow * 100, digits)} to ${formatNumber(incidence.confHigh * 100, digits)})${hazardText}.`,
    );
    if (rmst !== undefined && [rmst.estimate, rmst.confLow, rmst.confHigh].every(Number.isFinite)) {
      const d = digitsForInterval(rmst.confLow, rmst.confHigh);
      sentences.push(
        `Over the first ${timeText(horizon, unit)}, the ${treatment} group spent on average ${formatNumber(Math.abs(rmst.estimate), d)}${unit !== undefined ? ` ${unit}` : ''} ${rmst.estimate < 0 ? 'less' : 'more'} time without the event (restricted mean difference ${formatNumber(rmst.estimate, d)}, ${formatLevel(rmst.level)} CI ${formatNumber(rmst.confLow, d)} to ${formatNumber(rmst.confHigh, d)}).`,
      );
    }
    sentences.push(
      incidence.confLow > 0 || incidence.confHigh < 0
        ? 'The interval of the difference excludes no difference.'
        : 'The interval of the difference includes no difference.',
    );
  } else if (hazard !== undefined && Number.isFinite(hazard.estimate)) {
    sentences.push(`For ${lowerFirst(label)}, the hazard ratio of ${treatment} against ${control} is ${formatNumber(hazard.estimate, 2)} (${formatLevel(hazard.level)} CI ${formatNumber(hazard.confLow, 2)} to ${formatNumber(hazard.confHigh, 2)}).`);
  } else {
    sentences.push(`No intention-to-treat estimate is available for ${label}.`);
  }
  return sentences;
}

export function summarySentences(context: ReportContext, outcomeName: string): string[] {
  const info = context.outcome(outcomeName);
  if (outcomeType(info) === 'time-to-event') return timeToEventSentences(context, outcomeName);
  const label = context.outcomeLabel(outcomeName);
  const estimates = context.mainEstimatesFor(outcomeName);
  const itt = estimates.find((estimate) => estimate.estimand === 'ITT' && !isRatioEstimate(estimate));
  const ratio = estimates.find((estimate) => estimate.estimand === 'ITT' && isRatioEstimate(estimate));
  const cace = estimates.find((estimate) => estimate.estimand === 'CACE');
  const { treatment } = context.input.arms;
  const sentences: string[] = [];
  if (itt !== undefined && Number.isFinite(itt.estimate)) {
    sentences.push(
      `Assignment to ${treatment} ${direction(itt.estimate, noun(info, label))} ${itt.estimate === 0 ? '' : quantity(itt, info)} (${interval(itt, info)}; p ${pText(itt.pValue)}).`.replace(
        /\s+\(/,
        ' (',
      ),
    );
    if (ratio !== undefined && [ratio.estimate, ratio.confLow, ratio.confHigh].every(Number.isFinite))
      sentences.push(
        `As a ${RATIO_NAMES[ratio.estimator] ?? ratio.estimator}: ${formatNumber(ratio.estimate, 2)} (${formatLevel(ratio.level)} CI ${formatNumber(ratio.confLow, 2)} to ${formatNumber(ratio.confHigh, 2)}).`,
      );
    sentences.push(meaning(itt, info));
  } else {
    sentences.push(`No intention-to-treat estimate is available for ${label}.`);
  }
  if (cace !== undefined && Number.isFinite(cace.estimate)) {
    sentences.push(
      `Among compliers (people who take up ${treatment} when offered it and not otherwise), receiving it ${direction(cace.estimate, noun(info, label))} ${quantity(cace, info)} (${interval(cace, info)}).`,
    );
  }
  return sentences;
}

function pText(p: number): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? text : `= ${text}`;
}

export function summarySection(context: ReportContext): Section | undefined {
  const primaries = context.primaryOutcomeNames();
  if (primaries.length === 0) return undefined;
  const items: SafeHtml[] = primaries.map((name) => {
    const info = context.outcome(name);
    return html`<div class="summary-item"><h3>${context.outcomeLabel(name)} <span class="tag">primary outcome</span></h3><p>${summarySentences(context, name).join(' ')}</p>${
      outcomeType(info) === 'binary'
        ? html`<p class="muted">Effects on this outcome are differences in percentages, in ${effectUnitLabel(info)}.</p>`
        : outcomeType(info) === 'time-to-event'
          ? html`<p class="muted">Shares are 1 − Kaplan–Meier by the horizon; the hazard ratio compares the rates of the event (above 1: sooner with ${context.input.arms.treatment}).</p>`
          : EMPTY
    }</div>`;
  });
  return { id: 'summary', title: 'Summary', body: html`${items}` };
}
