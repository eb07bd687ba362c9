/**
 * lm_robust (estimatr 1.0.0; ESTIMATORS-MATH.md §2): OLS through estimatr's pivoted QR with its rank rule, and any
 * of classical, HC0–HC3, CR0, CR2 (Bell–McCaffrey df), stata. Checks arguments, builds the column-major design
 * (intercept first, then the columns as given), calls kernels/linear-fit.ts, and tidies the result.
 * Columns dropped by the rank rule get NA (NaN) rows and a Diagnostic naming them.
 */
import { diagnostic, type Diagnostic, type SeType } from '@trialkit/core';
import { checkFinite, checkLength, checkLevel, type CoefficientRow, type GroupCodes } from './checks.js';
import { estimatorsErrors } from './errors.js';
import { tInference } from './kernels/inference.js';
import { fitOls, type LinearFit } from './kernels/linear-fit.js';
import type { Clusters, VarianceType } from './kernels/variance.js';
import { resolveSeType } from './se-type.js';

export interface DesignColumn {
  readonly name: string;
  readonly values: Float64Array;
}

export interface LmRobustArgs {
  readonly outcome: Float64Array;
  /** Regressors after the intercept, in order (e.g. the assignment, then covariates). */
  readonly columns: readonly DesignColumn[];
  /** Include an intercept column named "(Intercept)" first (default true). */
  readonly intercept?: boolean;
  /** estimatr's se_type; default HC2, or CR2 with a cluster. */
  readonly seType?: SeType;
  readonly cluster?: GroupCodes;
  readonly level?: number;
}

export interface LmRobustResult {
  readonly terms: readonly CoefficientRow[];
  /** Variance–covariance in term order (NaN rows/columns for dropped terms), row-major. */
  readonly vcov: Float64Array;
  readonly dropped: readonly string[];
  readonly nObs: number;
  readonly nClusters: number | undefined;
  readonly rank: number;
  /** The variance actually computed (estimatr maps "stata" without clusters to HC1). */
  readonly seType: VarianceType;
  readonly level: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** Design columns [1?, columns…] (views of the caller's arrays; the intercept is a column of ones). */
export function designColumns(n: number, columns: readonly DesignColumn[], intercept: boolean): { columns: Float64Array[]; names: string[] } {
  const out: Float64Array[] = [];
  const names: string[] = [];
  if (intercept) {
    out.push(new Float64Array(n).fill(1));
    names.push('(Intercept)');
  }
  for (const column of columns) {
    out.push(column.values);
    names.push(column.name);
  }
  return { columns: out, names };
}

export function checkRegressionArgs(
  outcome: Float64Array,
  columns: readonly DesignColumn[],
  cluster: GroupCodes | undefined,
): void {
  const n = outcome.length;
  checkFinite(outcome, 'outcome');
  for (const column of columns) {
    checkLength(column.values, n, column.name);
    checkFinite(column.values, column.name);
  }
  if (cluster !== undefined) checkLength(cluster.codes, n, 'cluster');
}

export function lmRobust(args: LmRobustArgs): LmRobustResult {
  const level = checkLevel(args.level);
  const y = args.outcome;
  const n = y.length;
  checkRegressionArgs(y, args.columns, args.cluster);
  const type = resolveSeType(args.seType, args.cluster !== undefined);
  const { columns, names } = designColumns(n, args.columns, args.intercept ?? true);
  const k = names.length;
  if (n <= k) throw estimatorsErrors.tooFewObservations(n, k);
  const clusters = args.cluster === undefined ? undefined : { codes: args.cluster.codes, count: args.cluster.labels.length };
  const fit = fitOls(columns, n, y, type, clusters);
  return tidyFit(fit, names, type, level, clusters);
}

/** Tidy rows, dropped-column diagnostics and inference for a fit (shared with lm_lin and iv_robust). */
export function tidyFit(
  fit: LinearFit,
  names: readonly string[],
  type: VarianceType,
  level: number,
  clusters: Clusters | undefined,
): LmRobustResult {
  const k = names.length;
  const terms: CoefficientRow[] = [];
  for (let j = 0; j < k; j++) {
    const estimate = fit.coefficients[j]!;
    const stdError = Math.sqrt(fit.vcov[j * k + j]!);
    terms.push({ term: names[j]!, estimate, stdError, ...tInference(estimate, stdError, fit.df[j]!, level) });
  }
  const dropped = fit.dropped.map((j) => names[j]!);
  const diagnostics: Diagnostic[] = [];
  if (dropped.length > 0) {
    diagnostics.push(
      diagnostic(
        'EST_COLLINEAR_DROPPED',
        'warning',
        `${dropped.length === 1 ? 'Column' : 'Columns'} ${dropped.map((d) => `"${d}"`).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} (numerically) a linear combination of the others and ${dropped.length === 1 ? 'was' : 'were'} dropped, as estimatr's pivoted QR drops them (its choice can differ from lm's): ${dropped.length === 1 ? 'its' : 'their'} coefficient is reported as NA.`,
      ),
    );
  }
  // Few effective clusters for the first regressor (the treatment, or the endogenous regressor in 2SLS).
  const focus = terms[1] ?? terms[0];
  if (clusters !== undefined && type === 'CR2' && focus !== undefined && focus.df < 5) {
    diagnostics.push(
      diagnostic(
        'EST_FEW_EFFECTIVE_CLUSTERS',
        'info',
        `The Bell–McCaffrey degrees of freedom for "${focus.term}" are ${focus.df.toFixed(2)}: inference rests on few effective clusters.`,
      ),
    );
  }
  return {
    terms,
    vcov: fit.vcov,
    dropped,
    nObs: fit.n,
    nClusters: fit.nClusters,
    rank: fit.rank,
    seType: type,
    level,
    diagnostics,
  };
}
