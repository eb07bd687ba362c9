/** What every section needs: the input, outcome lookup, document-unique ids, and a chart renderer. */
import type { Estimate } from '@trialkit/core';
import { IdAllocator } from '../escape.js';
import type { OutcomeInfo, ReportInput } from '../types.js';
import { effectScale, effectUnitLabel } from '../format.js';
import type { SafeHtml } from '../html.js';

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: SafeHtml;
}

export class ReportContext {
  readonly ids = new IdAllocator();
  private readonly outcomeByName = new Map<string, OutcomeInfo>();

  constructor(readonly input: ReportInput) {
    for (const outcome of input.outcomes ?? []) this.outcomeByName.set(outcome.name, outcome);
  }

  outcome(name: string): OutcomeInfo | undefined {
    return this.outcomeByName.get(name);
  }

  outcomeLabel(name: string): string {
    return this.outcomeByName.get(name)?.label ?? name;
  }

  /** Outcomes in plan order, then any that only appear in the estimates. */
  outcomeNames(): string[] {
    const names = (this.input.outcomes ?? []).map((outcome) => outcome.name);
    for (const estimate of this.input.estimates) if (!names.includes(estimate.outcome)) names.push(estimate.outcome);
    return names;
  }

  primaryOutcomeNames(): string[] {
    const declared = (this.input.outcomes ?? []).filter((outcome) => outcome.primary === true).map((o) => o.name);
    if (declared.length > 0) return declared;
    const first = this.outcomeNames()[0];
    return first === undefined ? [] : [first];
  }

  estimatesFor(outcome: string): Estimate[] {
    return this.input.estimates.filter((estimate) => estimate.outcome === outcome);
  }

  /** Whole-sample estimates (no subgroup). */
  mainEstimatesFor(outcome: string): Estimate[] {
    return this.estimatesFor(outcome).filter((estimate) => subgroupOf(estimate) === undefined);
  }
}

/** A relative effect (risk, odds or hazard ratio): on the ratio scale, never shown in percentage points. */
export function isRatioEstimate(estimate: Estimate): boolean {
  return estimate.estimator === 'risk_ratio' || estimate.estimator === 'odds_ratio' || estimate.estimator === 'coxph';
}

export const RATIO_NAMES: Readonly<Record<string, string>> = { risk_ratio: 'risk ratio', odds_ratio: 'odds ratio', coxph: 'hazard ratio' };

/** Time-to-event differences: RMST (in the time unit) and cumulative incidence (in percentage points). */
export function isTimeToEventDifference(estimate: Estimate): boolean {
  return estimate.estimator === 'rmst' || estimate.estimator === 'km_cumulative_incidence';
}

/** "365 days" (or "365" without a unit). */
export function timeText(value: number, unit: string | undefined): string {
  const text = Number.isInteger(value) ? value.toLocaleString('en-GB') : value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (unit === undefined || unit === '') return text;
  // "1 day", "2 days".
  return `${text} ${value === 1 && /^[a-z]+s$/.test(unit) ? unit.slice(0, -1) : unit}`;
}

/** What a time-to-event difference measures, e.g. "RMST difference to 365 days". */
export function timeToEventName(estimate: Estimate, unit: string | undefined): string {
  const horizon = typeof estimate['horizon'] === 'number' ? timeText(estimate['horizon'], unit) : undefined;
  if (estimate.estimator === 'rmst') return `RMST difference${horizon !== undefined ? ` to ${horizon}` : ''}`;
  return `cumulative incidence difference${horizon !== undefined ? ` by ${horizon}` : ''}`;
}

/** The subgroup an estimate belongs to (`subgroup` extra field, "column = value"), if any. */
export function subgroupOf(estimate: Estimate): string | undefined {
  const value = estimate['subgroup'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export const ESTIMAND_NAMES: Readonly<Record<string, string>> = {
  ITT: 'Intention to treat (ITT)',
  CACE: 'Complier average causal effect (CACE)',
  'first-stage': 'First stage (take-up difference)',
  'as-treated': 'As treated (descriptive)',
  'per-protocol': 'Per protocol (descriptive)',
  'subgroup-ITT': 'ITT in subgroup',
};

export function estimandName(estimand: string): string {
  return ESTIMAND_NAMES[estimand] ?? estimand;
}

/** Display scale of an estimate: ratios as they are, shares (first stage, cumulative incidence) in points. */
export function estimateScale(estimate: Estimate, info: OutcomeInfo | undefined): number {
  if (isRatioEstimate(estimate)) return 1;
  if (estimate.estimand === 'first-stage' || estimate.estimator === 'km_cumulative_incidence') return 100;
  if (estimate.estimator === 'rmst') return 1;
  return effectScale(info);
}

/** The unit an estimate is shown in: "ratio", "percentage points", the time unit of an RMST, the outcome's unit. */
export function estimateUnitLabel(estimate: Estimate, info: OutcomeInfo | undefined): string {
  if (isRatioEstimate(estimate)) return 'ratio';
  if (estimate.estimand === 'first-stage' || estimate.estimator === 'km_cumulative_incidence') return 'percentage points';
  if (estimate.estimator === 'rmst') return info?.unit !== undefined && info.unit !== '' ? info.unit : 'time units';
  return effectUnitLabel(info);
}
