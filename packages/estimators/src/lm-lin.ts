/**
 * lm_lin (Lin 2013; estimatr 1.0.0, ESTIMATORS-MATH.md §4): covariates centred at their full-sample means and
 * interacted with the assignment, y ~ 1 + T + X̃_c + T·X̃_c, fitted by lm_robust with any variance type.
 * Names follow estimatr: `x_c` for a centred covariate, `T:x_c` for its interaction (a name containing ':' or '('
 * is wrapped in parentheses before `_c`). Column order: intercept, treatment, centred covariates, interactions.
 */
import type { SeType } from '@trialkit/core';
import type { GroupCodes } from './checks.js';
import { lmRobust, type DesignColumn, type LmRobustResult } from './lm-robust.js';

export interface LmLinArgs {
  readonly outcome: Float64Array;
  readonly assignment: DesignColumn;
  /** Covariate design columns (factors already expanded to dummies). */
  readonly covariates: readonly DesignColumn[];
  readonly seType?: SeType;
  readonly cluster?: GroupCodes;
  readonly level?: number;
}

export interface LmLinResult extends LmRobustResult {
  /** The centring vector (estimatr's `scaled_center`), by covariate name. */
  readonly centre: Readonly<Record<string, number>>;
}

function centredName(name: string): string {
  return `${name.includes(':') || name.includes('(') ? `(${name})` : name}_c`;
}

export function lmLin(args: LmLinArgs): LmLinResult {
  const n = args.outcome.length;
  const centre: Record<string, number> = {};
  const centred: DesignColumn[] = args.covariates.map((column) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += column.values[i]!;
    const mean = sum / n;
    centre[column.name] = mean;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = column.values[i]! - mean;
    return { name: centredName(column.name), values };
  });
  const t = args.assignment.values;
  const interactions: DesignColumn[] = centred.map((column) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = t[i]! * column.values[i]!;
    return { name: `${args.assignment.name}:${column.name}`, values };
  });
  const fit = lmRobust({
    outcome: args.outcome,
    columns: [args.assignment, ...centred, ...interactions],
    ...(args.seType === undefined ? {} : { seType: args.seType }),
    ...(args.cluster === undefined ? {} : { cluster: args.cluster }),
    ...(args.level === undefined ? {} : { level: args.level }),
  });
  return { ...fit, centre };
}
