/**
 * The 2×2 table of a binary outcome by randomised arm, read from a PreparedTrial, and the zero-cell convention.
 *
 *   treatment: a events of n₁ = a + b;   control: c events of n₀ = c + d   (ESTIMATORS-MATH.md §6 notation)
 */
import { diagnostic } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import type { TrialInput } from './trial-input.js';
import { binaryErrors } from './errors.js';

export interface TwoByTwo {
  /** a: events in the treatment arm. */
  readonly eventsTreatment: number;
  /** n₁: participants in the treatment arm. */
  readonly nTreatment: number;
  /** c: events in the control arm. */
  readonly eventsControl: number;
  /** n₀: participants in the control arm. */
  readonly nControl: number;
}

/** Check that a numeric outcome is 0/1 everywhere; throws ESTIMATORS_BINARY_OUTCOME_NOT_01 with the source row. */
export function checkBinaryOutcome(trial: TrialInput): void {
  const values = trial.outcome.values;
  for (let i = 0; i < trial.n; i++) {
    const value = values[i] as number;
    if (value !== 0 && value !== 1) throw binaryErrors.outcomeNotBinary(trial.outcome.name, value, trial.sourceRows[i]);
  }
}

/** Count events by arm. The outcome must be 0/1 and both arms non-empty. */
export function twoByTwoFromTrial(trial: TrialInput): TwoByTwo {
  checkBinaryOutcome(trial);
  const outcome = trial.outcome.values;
  const assignment = trial.assignment.values;
  let eventsTreatment = 0;
  let nTreatment = 0;
  let eventsControl = 0;
  let nControl = 0;
  for (let i = 0; i < trial.n; i++) {
    if (assignment[i] === 1) {
      nTreatment++;
      eventsTreatment += outcome[i] as number;
    } else {
      nControl++;
      eventsControl += outcome[i] as number;
    }
  }
  if (nTreatment === 0) throw binaryErrors.emptyArm('treatment');
  if (nControl === 0) throw binaryErrors.emptyArm('control');
  return { eventsTreatment, nTreatment, eventsControl, nControl };
}

export function checkTwoByTwo(table: TwoByTwo): void {
  const { eventsTreatment, nTreatment, eventsControl, nControl } = table;
  for (const [name, n] of [['treatment', nTreatment], ['control', nControl]] as const) {
    if (!Number.isInteger(n) || n < 1) throw binaryErrors.badCounts(`the ${name} arm size ${n} is not a whole number ≥ 1`, n);
  }
  for (const [name, x, n] of [['treatment', eventsTreatment, nTreatment], ['control', eventsControl, nControl]] as const) {
    if (!Number.isInteger(x) || x < 0 || x > n) {
      throw binaryErrors.badCounts(`the ${name} event count ${x} is not a whole number between 0 and ${n}`, x);
    }
  }
}

/** The four cells after the zero-cell convention, and whether it was applied. */
export interface CorrectedCells {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly correction: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Zero-cell convention (trialkit's choice, documented in src/contamination/README.md): when any of the four cells is
 * 0, add 0.5 to all four (Haldane 1956, Ann Hum Genet 20:309; Anscombe 1956, Biometrika 43:461) and say so in a
 * Diagnostic. Otherwise the cells are used as they are. No R function applies this by default, so there is no R
 * reference for corrected tables; they are checked against the closed form.
 */
export function haldaneAnscombeCells(table: TwoByTwo, measure: 'risk ratio' | 'odds ratio'): CorrectedCells {
  const a = table.eventsTreatment;
  const b = table.nTreatment - a;
  const c = table.eventsControl;
  const d = table.nControl - c;
  if (a > 0 && b > 0 && c > 0 && d > 0) return { a, b, c, d, correction: 0, diagnostics: [] };
  return {
    a: a + 0.5,
    b: b + 0.5,
    c: c + 0.5,
    d: d + 0.5,
    correction: 0.5,
    diagnostics: [
      diagnostic(
        'ESTIMATORS_BINARY_ZERO_CELL_CORRECTED',
        'warning',
        `The 2×2 table has an empty cell (treatment ${a}/${a + b}, control ${c}/${c + d} events), so the ${measure} and its ` +
          'log-scale standard error are undefined; 0.5 was added to all four cells (Haldane–Anscombe). Treat the ' +
          'estimate as rough; the Newcombe interval for the risk difference needs no correction.',
      ),
    ],
  };
}

/** Diagnostics for analyses that use the 2×2 table only (no covariates, blocks or clusters). */
export function unadjustedDiagnostics(trial: TrialInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (trial.cluster !== undefined) {
    out.push(
      diagnostic(
        'ESTIMATORS_BINARY_IGNORES_CLUSTERS',
        'warning',
        `This 2×2 measure treats participants as independent and ignores the clusters in "${trial.cluster.name}"; ` +
          'its interval is too narrow if outcomes are correlated within clusters.',
      ),
    );
  }
  if (trial.blocks !== undefined || trial.covariates.length > 0) {
    out.push(
      diagnostic(
        'ESTIMATORS_BINARY_UNADJUSTED',
        'info',
        'This 2×2 measure is unadjusted: blocks and covariates are not used.',
      ),
    );
  }
  return out;
}
