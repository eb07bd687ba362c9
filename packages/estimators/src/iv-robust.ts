/**
 * iv_robust (2SLS; estimatr 1.0.0, ESTIMATORS-MATH.md §5) and the CACE bundle trialkit reports with it.
 *
 *   Z = [1, instruments, exogenous] ─► X̂ = P_Z X ─► β̂ = (X̂′X̂)⁻¹X̂′y, e = y − Xβ̂ (structural)
 *     ─► the shared variance module with X → X̂ (HC2 leverages and CR2 blocks from X̂; CR2 df from X̂ alone)
 *   first stage: x_m on Z with the same variance ─► robust Wald F on the excluded instruments (§5 diagnostics)
 *   instrumentalVariables(): ITT (y on Z), first stage (d on Z), CACE (2SLS), Anderson–Rubin set — same rows,
 *   same variance type.
 */
import { diagnostic, type Diagnostic, type SeType } from '@trialkit/core';
import { fSurvival, studentTQuantile } from '@trialkit/core';
import { checkLevel, type GroupCodes } from './checks.js';
import { estimatorsErrors } from './errors.js';
import { andersonRubinSet, type AndersonRubinSet } from './kernels/anderson-rubin.js';
import { solveDense } from './kernels/linalg.js';
import { fitIv, prepareDesign } from './kernels/linear-fit.js';
import { streamingVariance } from './kernels/variance.js';
import { checkRegressionArgs, designColumns, lmRobust, tidyFit, type DesignColumn, type LmRobustResult } from './lm-robust.js';
import { resolveSeType } from './se-type.js';

export interface IvRobustArgs {
  readonly outcome: Float64Array;
  /** Endogenous regressors (treatment received). */
  readonly endogenous: readonly DesignColumn[];
  /** Excluded instruments (random assignment). */
  readonly instruments: readonly DesignColumn[];
  /** Exogenous covariates, used as regressors and instruments. */
  readonly exogenous?: readonly DesignColumn[];
  readonly seType?: SeType;
  readonly cluster?: GroupCodes;
  readonly level?: number;
  /** Compute the first-stage F (estimatr's `diagnostics = TRUE`); default true. */
  readonly diagnostics?: boolean;
}

/** estimatr's `diagnostic_first_stage_fstatistic` for one endogenous regressor. */
export interface FirstStageF {
  readonly endogenous: string;
  readonly value: number;
  readonly numdf: number;
  readonly dendf: number;
  readonly pValue: number;
}

export interface IvRobustResult extends LmRobustResult {
  readonly firstStageF: readonly FirstStageF[];
}

/** Conventional weak-instrument threshold (Staiger & Stock 1997 rule of thumb). */
export const WEAK_INSTRUMENT_F = 10;

export function ivRobust(args: IvRobustArgs): IvRobustResult {
  const level = checkLevel(args.level);
  const y = args.outcome;
  const n = y.length;
  const exogenous = args.exogenous ?? [];
  checkRegressionArgs(y, [...args.endogenous, ...args.instruments, ...exogenous], args.cluster);
  const type = resolveSeType(args.seType, args.cluster !== undefined);
  // Unique columns [1, instruments…, exogenous…, endogenous…]; X = [1, endogenous…, exogenous…] and
  // Z = [1, instruments…, exogenous…] index into them.
  const ones = new Float64Array(n).fill(1);
  const unique = [ones, ...args.instruments.map((c) => c.values), ...exogenous.map((c) => c.values), ...args.endogenous.map((c) => c.values)];
  const nInstruments = args.instruments.length;
  const nExogenous = exogenous.length;
  const exogenousIndex = exogenous.map((_, j) => 1 + nInstruments + j);
  const endogenousIndex = args.endogenous.map((_, j) => 1 + nInstruments + nExogenous + j);
  const xColumns = [0, ...endogenousIndex, ...exogenousIndex];
  const zColumns = [0, ...args.instruments.map((_, j) => 1 + j), ...exogenousIndex];
  const names = ['(Intercept)', ...args.endogenous.map((c) => c.name), ...exogenous.map((c) => c.name)];
  const k = names.length;
  if (n <= k) throw estimatorsErrors.tooFewObservations(n, k);
  const clusters = args.cluster === undefined ? undefined : { codes: args.cluster.codes, count: args.cluster.labels.length };
  const fit = fitIv(unique, xColumns, zColumns, n, y, type, clusters, args.diagnostics ?? true);
  const tidy = tidyFit(fit, names, type, level, clusters);
  const diagnostics: Diagnostic[] = [...tidy.diagnostics];
  if (fit.instrumentRank < fit.rank) {
    diagnostics.push(diagnostic('EST_UNDERIDENTIFIED', 'warning', 'More regressors than instruments: the 2SLS coefficients are not identified (estimatr: "More regressors than instruments").'));
  }
  // First-stage robust Wald F per endogenous regressor (§5): regress x_m on Z with the same variance type,
  // F = π̂_E′V̂_EE⁻¹π̂_E/q over the excluded instruments E, dendf = N − rank(Z) (G − 1 when clustered).
  const firstStageF: FirstStageF[] = [];
  const excludedColumns = args.instruments.map((_, j) => 1 + j); // indices in `unique`
  args.endogenous.forEach((column, e) => {
    const first = fit.firstStages.find((f) => f.column === endogenousIndex[e]);
    if (first === undefined) return; // diagnostics: false
    const rz = first.coefficients.length;
    const kept = excludedColumns.map((j) => first.zColumnsKept.indexOf(j)).filter((p) => p >= 0);
    const q = kept.length;
    const coef = Float64Array.from(kept, (p) => first.coefficients[p]!);
    const v = new Float64Array(q * q);
    kept.forEach((a, i) => kept.forEach((b, j) => (v[i * q + j] = first.vcov[a * rz + b]!)));
    const solved = solveDense(v, coef, q);
    let quad = 0;
    for (let i = 0; i < q; i++) quad += coef[i]! * solved[i]!;
    const value = quad / q;
    const dendf = clusters === undefined ? n - fit.instrumentRank : fit.nClusters! - 1;
    firstStageF.push({ endogenous: column.name, value, numdf: q, dendf, pValue: fSurvival(value, q, dendf) });
    if (value < WEAK_INSTRUMENT_F) {
      diagnostics.push(
        diagnostic(
          'EST_WEAK_INSTRUMENT',
          'warning',
          `The first-stage F for "${column.name}" is ${value.toFixed(2)} (< ${WEAK_INSTRUMENT_F}): the instrument is weak, the 2SLS estimate is biased towards OLS and its Wald interval is unreliable; use the Anderson–Rubin set, which stays valid.`,
        ),
      );
    }
  });
  return { ...tidy, diagnostics, firstStageF };
}

export interface InstrumentalVariablesArgs {
  readonly outcome: DesignColumn;
  readonly assignment: DesignColumn;
  readonly received: DesignColumn;
  readonly covariates?: readonly DesignColumn[];
  readonly seType?: SeType;
  readonly cluster?: GroupCodes;
  readonly level?: number;
}

export interface InstrumentalVariablesResult {
  /** Regression of the outcome on [1, assignment, covariates]. */
  readonly itt: LmRobustResult;
  /** Regression of the treatment received on [1, assignment, covariates]. */
  readonly firstStage: LmRobustResult;
  /** 2SLS of the outcome on [1, received, covariates] instrumented by the assignment. */
  readonly cace: IvRobustResult;
  readonly andersonRubin: AndersonRubinSet;
  readonly diagnostics: readonly Diagnostic[];
}

/** ITT, first stage, CACE and the Anderson–Rubin set from the same rows with the same variance type. */
export function instrumentalVariables(args: InstrumentalVariablesArgs): InstrumentalVariablesResult {
  const level = checkLevel(args.level);
  const covariates = args.covariates ?? [];
  const y = args.outcome.values;
  const d = args.received.values;
  const n = y.length;
  const common = {
    ...(args.seType === undefined ? {} : { seType: args.seType }),
    ...(args.cluster === undefined ? {} : { cluster: args.cluster }),
    level,
  };
  const itt = lmRobust({ outcome: y, columns: [args.assignment, ...covariates], ...common });
  const firstStage = lmRobust({ outcome: d, columns: [args.assignment, ...covariates], ...common });
  const cace = ivRobust({ outcome: y, endogenous: [args.received], instruments: [args.assignment], exogenous: covariates, ...common });
  // Anderson–Rubin: V(τ) of the assignment coefficient for residuals e_y − τe_d on the same design.
  const type = itt.seType;
  const { columns } = designColumns(n, [args.assignment, ...covariates], true);
  const design = prepareDesign(columns, n, [y, d]);
  const clusters = args.cluster === undefined ? undefined : { codes: args.cluster.codes, count: args.cluster.labels.length };
  const position = Array.from(design.pivot).indexOf(1);
  const betaY = design.coefficients[0]!;
  const betaD = design.coefficients[1]!;
  const ySum = new Float64Array(n);
  for (let i = 0; i < n; i++) ySum[i] = y[i]! + d[i]!;
  const betaSum = betaY.map((b, p) => b + betaD[p]!);
  const variance = (outcome: Float64Array, beta: Float64Array): number => {
    const v = streamingVariance(design.rows(outcome, beta), design.rInverse, type, clusters);
    return v.vcov[position * design.rank + position]!;
  };
  const vyy = variance(y, betaY);
  const vdd = variance(d, betaD);
  const vyd = (variance(ySum, betaSum) - vyy - vdd) / 2;
  const df = itt.terms[1]!.df;
  const critical = studentTQuantile(1 - (1 - level) / 2, df);
  const andersonRubin = andersonRubinSet(itt.terms[1]!.estimate, firstStage.terms[1]!.estimate, vyy, vdd, vyd, critical);
  const diagnostics: Diagnostic[] = [];
  if (andersonRubin.shape !== 'interval') {
    const described =
      andersonRubin.shape === 'whole-line'
        ? 'is the whole real line: the data are compatible with any CACE'
        : andersonRubin.shape === 'two-rays'
          ? `is unbounded, the union of (−∞, ${andersonRubin.lower.toPrecision(4)}] and [${andersonRubin.upper.toPrecision(4)}, ∞)`
          : andersonRubin.shape === 'empty'
            ? 'is empty'
            : `is a ray from ${andersonRubin.lower.toPrecision(4)} to ${andersonRubin.upper.toPrecision(4)}`;
    diagnostics.push(
      diagnostic('EST_AR_SET_UNBOUNDED', 'warning', `The ${Math.round(level * 100)}% Anderson–Rubin confidence set for the CACE ${described}: the instrument is too weak to bound the effect.`),
    );
  }
  return { itt, firstStage, cace, andersonRubin, diagnostics };
}
