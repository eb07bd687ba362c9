/** Shared construction of a log-scale Wald Estimate (risk ratio, odds ratio). */
import { makeEstimate } from '@trialkit/core';
import type { Diagnostic, Estimate } from '@trialkit/core';
import type { CorrectedCells, TwoByTwo } from './two-by-two.js';
import { normalQuantile, normalTwoSidedP } from './normal.js';

export interface TwoByTwoNames {
  /** Outcome column name (Estimate.outcome). */
  readonly outcome?: string;
  /** Term name (Estimate.term), the assignment column as estimatr names it. */
  readonly term?: string;
}

export function logScaleEstimate(args: {
  estimator: 'risk_ratio' | 'odds_ratio';
  seType: string;
  logEstimate: number;
  logStdError: number;
  level: number;
  table: TwoByTwo;
  cells: CorrectedCells;
  names: TwoByTwoNames;
  diagnostics: readonly Diagnostic[];
}): Estimate {
  const { logEstimate, logStdError, level, table, cells } = args;
  const z = normalQuantile(1 - (1 - level) / 2);
  const statistic = logEstimate / logStdError;
  return makeEstimate({
    estimand: 'ITT',
    estimator: args.estimator,
    term: args.names.term ?? 'treatment',
    estimate: Math.exp(logEstimate),
    stdError: logStdError,
    statistic,
    df: Infinity,
    pValue: normalTwoSidedP(statistic),
    confLow: Math.exp(logEstimate - z * logStdError),
    confHigh: Math.exp(logEstimate + z * logStdError),
    level,
    seType: args.seType,
    nObs: table.nTreatment + table.nControl,
    outcome: args.names.outcome ?? 'outcome',
    diagnostics: [...cells.diagnostics, ...args.diagnostics],
    scale: 'ratio',
    stdErrorScale: 'log',
    logEstimate,
    continuityCorrection: cells.correction,
    counts: { ...table },
    risks: { treatment: table.eventsTreatment / table.nTreatment, control: table.eventsControl / table.nControl },
  });
}
