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
import { fSurvival, studentTQuantile } from './distributions.js';
import { checkLevel, type GroupCodes } from './checks.js';
import { estimatorsErrors } from './errors.js';
import { andersonRubinSet, type AndersonRubinSet } from './kernels/anderson-rubin.js';
import { solveDense } from './kernels/linalg.js';
import { fitIv, prepareDesign, solveOls } from './kernels/linear-fit.js';
import { clusterIndex, robustVariance } from './kernels/variance.js';
import { checkRegressionArgs, designMatrix, lmRobust, tidyFit, type DesignColumn, type LmRobustResult } from './lm-robust.js';
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
  const regressors = designMatrix(n, [...args.endogenous, ...exogenous], true);
  const instrumentDesign = designMatrix(n, [...args.instruments, ...exogenous], true);
  const k = regressors.names.length;
  const l = instrumentDesign.names.length;
  if (n <= k) throw estimatorsErrors.tooFewObservations(n, k);
  const clusters = args.cluster === undefined ? undefined : clusterIndex(args.cluster.codes, args.cluster.labels.length);
  const fit = fitIv(regressors.x, k, instrumentDesign.x, l, n, y, type, clusters);
  const tidy = tidyFit(fit, regressors.names, type, level, clusters);
  const diagnostics: Diagnostic[] = [...tidy.diagnostics];
  if (fit.instrumentRank < fit.rank) {
    diagnostics.push(diagnostic('EST_UNDERIDENTIFIED', 'warning', 'More regressors than instruments: the 2SLS coefficients are not identified (estimatr: "More regressors than instruments").'));
  }
  // First-stage robust Wald F per endogenous regressor (§5): regress x_m on Z with the same variance type,
  // F = π̂_E′V̂_EE⁻¹π̂_E/q over the excluded instruments E, dendf = N − rank(Z) (G − 1 when clustered).
  const firstStageF: FirstStageF[] = [];
  const excluded = args.instruments.map((_, j) => j + 1); // positions in [1, instruments, exogenous]
  for (const column of args.endogenous) {
    const first = lmRobust({
      outcome: column.values,
      columns: [...args.instruments, ...exogenous],
      seType: type,
      ...(args.cluster === undefined ? {} : { cluster: args.cluster }),
      level,
    });
    const kept = excluded.filter((j) => Number.isFinite(first.terms[j]!.estimate));
    const q = kept.length;
    const coef = Float64Array.from(kept, (j) => first.terms[j]!.estimate);
    const v = new Float64Array(q * q);
    const kk = first.terms.length;
    kept.forEach((a, i) => kept.forEach((b, j) => (v[i * q + j] = first.vcov[a * kk + b]!)));
    const solved = solveDense(v, coef, q);
    let quad = 0;
    for (let i = 0; i < q; i++) quad += coef[i]! * solved[i]!;
    const value = quad / q;
    const dendf = clusters === undefined ? n - fit.instrumentRank : clusters.count - 1;
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
  }
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
  const { x } = designMatrix(n, [args.assignment, ...covariates], true);
  const design = prepareDesign(x, n, covariates.length + 2);
  const clusters = args.cluster === undefined ? undefined : clusterIndex(args.cluster.codes, args.cluster.labels.length);
  const position = Array.from(design.pivot).indexOf(1);
  const ey = solveOls(design, y).residuals;
  const ed = solveOls(design, d).residuals;
  const sum = new Float64Array(n);
  for (let i = 0; i < n; i++) sum[i] = ey[i]! + ed[i]!;
  const variance = (e: Float64Array): number => {
    const v = robustVariance(design.q1, design.rInverse, e, n, design.rank, type, clusters);
    return v.vcov[position * design.rank + position]!;
  };
  const vyy = variance(ey);
  const vdd = variance(ed);
  const vyd = (variance(sum) - vyy - vdd) / 2;
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
