/**
 * The Estimate and Diagnostic contracts shared by every package (DESIGN.md, "Contracts that cross packages").
 * Vocabulary follows estimatr/broom so that R users recognise it. An Estimate is plain JSON and frozen.
 */

export type Severity = 'info' | 'warning';

/** Statistical trouble that still yields an answer: carried on the result, never printed to the console. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

export type Estimand =
  | 'ITT'
  | 'CACE'
  | 'first-stage'
  | 'as-treated'
  | 'per-protocol'
  | 'ATE'
  | 'subgroup-ITT'
  | 'interaction'
  | (string & {});

export type Estimator =
  | 'difference_in_means'
  | 'lm_robust'
  | 'lm_lin'
  | 'iv_robust'
  | 'wald_iv'
  | 'risk_ratio'
  | 'odds_ratio'
  | 'coxph'
  | (string & {});

export type SeType =
  | 'classical'
  | 'HC0'
  | 'HC1'
  | 'HC2'
  | 'HC3'
  | 'CR0'
  | 'CR2'
  | 'stata'
  | 'none'
  | (string & {});

export interface Estimate {
  readonly estimand: Estimand;
  readonly estimator: Estimator;
  readonly term: string;
  readonly estimate: number;
  readonly stdError: number;
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
  readonly level: number;
  readonly seType: SeType;
  readonly nObs: number;
  readonly nClusters?: number;
  readonly outcome: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Further named results an estimator adds (e.g. `riPValue`, `design`); JSON values only. */
  readonly [extra: string]: unknown;
}

export function diagnostic(code: string, severity: Severity, message: string): Diagnostic {
  return Object.freeze({ code, severity, message });
}

/** Freeze an estimate (and its diagnostics) so no later step can change a reported number. */
export function makeEstimate(fields: Estimate): Estimate {
  const diagnostics = Object.freeze(fields.diagnostics.map((d) => Object.freeze({ ...d })));
  return Object.freeze({ ...fields, diagnostics });
}

/** JSON for an estimate: non-finite numbers (an undefined df, say) become null, as R's NA does in jsonlite. */
export function estimateToJSON(estimate: Estimate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(estimate)) {
    out[key] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  return out;
}
