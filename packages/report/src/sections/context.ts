/** What every section needs: the input, outcome lookup, document-unique ids, and a chart renderer. */
import type { Estimate } from '@trialkit/core';
import { IdAllocator } from '../escape.js';
import type { OutcomeInfo, ReportInput } from '../types.js';
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

/** A relative effect (risk or odds ratio): on the ratio scale, never shown in percentage points. */
export function isRatioEstimate(estimate: Estimate): boolean {
  return estimate.estimator === 'risk_ratio' || estimate.estimator === 'odds_ratio';
}

export const RATIO_NAMES: Readonly<Record<string, string>> = { risk_ratio: 'risk ratio', odds_ratio: 'odds ratio' };

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
