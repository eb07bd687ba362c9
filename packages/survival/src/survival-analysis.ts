/**
 * The time-to-first-job analysis of a two-arm trial in one call: Kaplan–Meier per arm, log-rank (stratified when
 * strata are given), Cox hazard ratio (Efron), RMST difference and cumulative-incidence difference by a horizon.
 *
 *   Dataset | SurvivalColumns ──prepare (columns, na.omit, checks)──► checked arrays, arms coded 0/1
 *     ──► kaplanMeierSorted per arm ──► km[]
 *     ──► logRankSorted (strata) ──► logRank
 *     ──► coxphSorted (assignment + covariates, strata) ──► Estimate "coxph"
 *     ──► rmstDifference / cumulativeIncidenceDifference at the horizon ──► Estimates "rmst", "cumulative_incidence"
 */
import { diagnostic, findColumn, makeEstimate, type Dataset, type Diagnostic, type Estimate } from '@trialkit/core';
import { coxphSorted, type CoxResult } from './cox.js';
import { survivalErrors } from './errors.js';
import { codeLabels, orderByTime, splitOrder, type Labels } from './input.js';
import {
  checkConfType, checkLevel, checkReportTimes, kaplanMeierSorted, type ConfType, type KaplanMeierCurve,
  type SurvivalAtTime,
} from './kaplan-meier.js';
import { logRankSorted } from './log-rank.js';
import { cumulativeIncidenceDifference, rmstDifference, type TwoArmContrast } from './rmst.js';

export interface SurvivalSpec {
  /** Column names (for a Dataset) or labels (for SurvivalColumns) of the roles. */
  readonly time: string;
  readonly event: string;
  readonly assignment: string;
  readonly strata?: string;
  readonly covariates?: readonly string[];
  /** Cluster column: the Cox variance becomes robust clustered (coxph(..., cluster = c)). */
  readonly cluster?: string;
  /** Robust (sandwich) Cox variance without clusters (coxph(robust = TRUE)). */
  readonly robust?: boolean;
  /** Cox tie handling: "efron" (coxph's default) or "breslow" (Stata's stcox default). */
  readonly ties?: 'efron' | 'breslow';
  /** Which assignment value is control / treatment; default: sorted order, control first. */
  readonly arms?: { readonly control?: string; readonly treatment?: string };
  /** RMST and cumulative-incidence horizon; default the shorter of the arms' last follow-up times. */
  readonly horizon?: number;
  /** Times for the numbers at risk (risk table). */
  readonly times?: readonly number[];
  readonly level?: number;
  readonly confType?: ConfType;
}

/** Data given as arrays instead of a Dataset (e.g. from a PreparedTrial and a time column). */
export interface SurvivalColumns {
  readonly time: ArrayLike<number>;
  readonly event: ArrayLike<number>;
  readonly assignment: Labels;
  readonly strata?: Labels;
  readonly covariates?: Readonly<Record<string, ArrayLike<number>>>;
  readonly cluster?: Labels;
}

export interface ArmCurve {
  readonly arm: string;
  readonly n: number;
  readonly events: number;
  readonly median: number | null;
  readonly medianLow: number | null;
  readonly medianHigh: number | null;
  readonly times: number[];
  readonly survival: number[];
  readonly lower: number[];
  readonly upper: number[];
  readonly nRisk: number[];
  readonly nEvent: number[];
  readonly nCensor: number[];
  /** survfit's std.err (SE of −log S). */
  readonly stdErr: number[];
  /** The risk table: the curve at the chosen times. */
  readonly atTimes: SurvivalAtTime[];
}

export interface SurvivalAnalysisResult {
  readonly km: ArmCurve[];
  readonly logRank: { readonly statistic: number; readonly df: number; readonly pValue: number;
    readonly stratified: boolean; readonly observed: number[]; readonly expected: number[] };
  readonly estimates: Estimate[];
  readonly cox: CoxResult;
  readonly rmst: TwoArmContrast;
  readonly cumulativeIncidence: TwoArmContrast;
  readonly arms: { readonly control: string; readonly treatment: string };
  readonly horizon: number;
  readonly level: number;
  readonly confType: ConfType;
  readonly nObs: number;
  readonly nDropped: number;
  readonly diagnostics: Diagnostic[];
}

function isDataset(data: Dataset | SurvivalColumns): data is Dataset {
  return 'columns' in data && Array.isArray((data as Dataset).columns);
}

interface RawColumn {
  readonly name: string;
  readonly argument: string;
  readonly kind: 'number' | 'text';
  readonly values: ArrayLike<number> | readonly (string | number | null)[];
}

function columnFrom(data: Dataset, name: string, argument: string): RawColumn {
  const column = findColumn(data, name);
  if (column === undefined) throw survivalErrors.missingColumn(argument, name, data.columns.map((c) => c.name));
  return { name, argument, kind: column.kind, values: column.values };
}

function columnFromArrays(values: ArrayLike<number> | Labels, name: string, argument: string): RawColumn {
  const isNumeric = values instanceof Float64Array || Array.from({ length: Math.min(values.length, 1000) },
    (_, i) => values[i]).every((v) => typeof v === 'number' || v === null);
  return { name, argument, kind: isNumeric ? 'number' : 'text', values: values as RawColumn['values'] };
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)) || value === '';
}

/** A numeric value of a time/event/covariate cell; numeric text is accepted, other text is an error. */
function numericCell(column: RawColumn, i: number): number {
  const v = column.values[i];
  if (typeof v === 'number') return v;
  const parsed = Number(String(v).trim());
  if (!Number.isFinite(parsed)) throw survivalErrors.notNumeric(column.argument, column.name, i + 1, v);
  return parsed;
}

/** The kept rows of a grouping column: numbers stay numbers (coded without a string per row), text as text. */
function keptValues(column: RawColumn, keep: Uint32Array): Labels {
  const n = keep.length;
  if (column.kind === 'number') {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = column.values[keep[k]!] as number;
    return out;
  }
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) out[k] = String(column.values[keep[k]!]);
  return out;
}

/** The kept rows of a numeric column (numeric text accepted; other text is an error naming the row). */
function keptNumbers(column: RawColumn, keep: Uint32Array): Float64Array {
  const n = keep.length;
  const out = new Float64Array(n);
  if (column.values instanceof Float64Array) {
    const values = column.values;
    for (let k = 0; k < n; k++) out[k] = values[keep[k]!]!;
  } else {
    for (let k = 0; k < n; k++) out[k] = numericCell(column, keep[k]!);
  }
  return out;
}

/** Run the whole analysis. Bad input → TrialkitError; rows with missing values are dropped with a diagnostic. */
export function survivalAnalysis(data: Dataset | SurvivalColumns, spec: SurvivalSpec): SurvivalAnalysisResult {
  const level = checkLevel(spec.level ?? 0.95);
  const confType = checkConfType(spec.confType ?? 'log');
  const reportTimes = checkReportTimes(spec.times ?? []);
  if (spec.horizon !== undefined && !(Number.isFinite(spec.horizon) && spec.horizon > 0)) {
    throw survivalErrors.badHorizon(spec.horizon);
  }
  const covariateNames = spec.covariates ?? [];
  const get = (role: 'time' | 'event' | 'assignment' | 'strata' | 'cluster', name: string, argument: string): RawColumn => {
    if (isDataset(data)) return columnFrom(data, name, argument);
    const values = data[role];
    if (values === undefined) throw survivalErrors.missingColumn(argument, name, Object.keys(data));
    return columnFromArrays(values, name, argument);
  };
  const timeColumn = get('time', spec.time, '--time');
  const eventColumn = get('event', spec.event, '--event');
  const assignmentColumn = get('assignment', spec.assignment, '--assignment');
  const strataColumn = spec.strata === undefined ? undefined : get('strata', spec.strata, '--strata');
  const clusterColumn = spec.cluster === undefined ? undefined : get('cluster', spec.cluster, '--cluster');
  const covariateColumns = covariateNames.map((name) => {
    if (isDataset(data)) return columnFrom(data, name, '--covariates');
    const values = data.covariates?.[name];
    if (values === undefined) throw survivalErrors.missingColumn('--covariates', name, Object.keys(data.covariates ?? {}));
    return columnFromArrays(values, name, '--covariates');
  });
  const used = [timeColumn, eventColumn, assignmentColumn, ...(strataColumn ? [strataColumn] : []),
    ...(clusterColumn ? [clusterColumn] : []), ...covariateColumns];
  const nRows = timeColumn.values.length;
  for (const c of used) {
    if (c.values.length !== nRows) throw survivalErrors.lengthMismatch(`The column "${c.name}"`, nRows, c.values.length);
  }

  // na.omit over the used columns (as coxph's model frame), counting missing cells per column. One typed pass per
  // column (fast at N = 1e6), then the kept row numbers.
  const missingByColumn = new Map<string, number>();
  const incomplete = new Uint8Array(nRows);
  for (const c of used) {
    let count = 0;
    const values = c.values;
    if (values instanceof Float64Array) {
      for (let i = 0; i < nRows; i++) {
        if (Number.isNaN(values[i]!)) {
          incomplete[i] = 1;
          count += 1;
        }
      }
    } else {
      for (let i = 0; i < nRows; i++) {
        if (isMissing(values[i])) {
          incomplete[i] = 1;
          count += 1;
        }
      }
    }
    if (count > 0) missingByColumn.set(c.name, (missingByColumn.get(c.name) ?? 0) + count);
  }
  let nKept = 0;
  for (let i = 0; i < nRows; i++) nKept += 1 - incomplete[i]!;
  const keep = new Uint32Array(nKept);
  for (let i = 0, k = 0; i < nRows; i++) if (incomplete[i] === 0) keep[k++] = i;
  const n = keep.length;
  const dropped = nRows - n;
  if (n === 0) throw survivalErrors.noRows(dropped);
  const diagnostics: Diagnostic[] = [];
  if (dropped > 0) {
    const detail = [...missingByColumn].map(([name, count]) => `${name}: ${count}`).join(', ');
    diagnostics.push(diagnostic('SURVIVAL_MISSING_ROWS', 'warning',
      `${dropped} of ${nRows} rows have a missing value in a used column and were dropped (na.omit; ${detail}).`));
  }

  // Times ≥ 0 and finite, events 0/1, with the data row and column in the error.
  const time = keptNumbers(timeColumn, keep);
  const eventValues = keptNumbers(eventColumn, keep);
  const event = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const t = time[k]!;
    if (!(t >= 0) || t === Infinity) throw survivalErrors.negativeTime(keep[k]! + 1, t, timeColumn.name);
    const e = eventValues[k]!;
    if (e !== 0 && e !== 1) throw survivalErrors.badEvent(keep[k]! + 1, eventColumn.values[keep[k]!], eventColumn.name);
    event[k] = e;
  }

  // Arms: exactly two, control first (sorted order unless named).
  const sortedArms = codeLabels(keptValues(assignmentColumn, keep), '--assignment');
  const present = [...sortedArms.labels];
  if (present.length !== 2) throw survivalErrors.armCount(present);
  // A numeric assignment's arms may be named as "1.0" or " 1": compare as numbers, label as R prints them.
  const armName = (name: string | undefined): string | undefined =>
    name !== undefined && assignmentColumn.kind === 'number' && name.trim() !== '' && Number.isFinite(Number(name))
      ? String(Number(name)) : name;
  const namedControl = armName(spec.arms?.control);
  const namedTreatment = armName(spec.arms?.treatment);
  const control = namedControl ?? (namedTreatment !== undefined
    ? present.find((l) => l !== namedTreatment) ?? present[0]! : present[0]!);
  const treatment = namedTreatment ?? present.find((l) => l !== control) ?? present[1]!;
  for (const arm of [control, treatment]) if (!present.includes(arm)) throw survivalErrors.unknownArm(arm, present);
  if (control === treatment) throw survivalErrors.armCount([control]);
  const arm = control === present[0] ? sortedArms
    : { codes: sortedArms.codes.map((code) => 1 - code), labels: [control, treatment] };
  const strata = strataColumn === undefined ? undefined
    : codeLabels(keptValues(strataColumn, keep), '--strata');
  const cluster = clusterColumn === undefined ? undefined
    : codeLabels(keptValues(clusterColumn, keep), '--cluster');

  // Events per arm: a Cox hazard ratio needs events in both arms.
  const eventsPerArm = [0, 0];
  for (let k = 0; k < n; k++) eventsPerArm[arm.codes[k]!]! += event[k]!;
  eventsPerArm.forEach((count, a) => {
    if (count === 0) throw survivalErrors.armWithoutEvents(a === 0 ? control : treatment);
  });

  // Cox design: the assignment (treatment = 1), then covariates (numeric as given, text as 0/1 dummies, first level
  // dropped, as R's treatment contrasts).
  const designColumns: Float64Array[] = [Float64Array.from(arm.codes)];
  const designTerms: string[] = [spec.assignment];
  for (const c of covariateColumns) {
    const numeric = c.kind === 'number' || keep.every((i) => Number.isFinite(Number(String(c.values[i]).trim())));
    if (numeric) {
      designColumns.push(keptNumbers(c, keep));
      designTerms.push(c.name);
    } else {
      const coding = codeLabels(keptValues(c, keep), '--covariates');
      for (let level = 1; level < coding.labels.length; level++) {
        designColumns.push(Float64Array.from(coding.codes, (code) => (code === level ? 1 : 0)));
        designTerms.push(`${c.name}${coding.labels[level]}`);
      }
    }
  }

  const order = orderByTime(time);
  const armOrders = splitOrder(order, arm.codes, 2);
  const curves: KaplanMeierCurve[] = armOrders.map((armOrder) =>
    kaplanMeierSorted(time, event, armOrder, level, confType, reportTimes));
  const armLabels = [control, treatment];
  const km: ArmCurve[] = curves.map((curve, a) => ({
    arm: armLabels[a]!,
    n: curve.n,
    events: curve.events,
    median: curve.median,
    medianLow: curve.medianLow,
    medianHigh: curve.medianHigh,
    times: curve.time,
    survival: curve.survival,
    lower: curve.lower,
    upper: curve.upper,
    nRisk: curve.nRisk,
    nEvent: curve.nEvent,
    nCensor: curve.nCensor,
    stdErr: curve.stdErr,
    atTimes: curve.atTimes,
  }));
  for (const curve of km) {
    if (curve.median === null) {
      diagnostics.push(diagnostic('SURVIVAL_MEDIAN_NOT_REACHED', 'info',
        `The Kaplan–Meier curve of arm "${curve.arm}" does not fall to 0.5: its median is not reached (null).`));
    }
  }

  const strataInfo = strata === undefined ? undefined : { codes: strata.codes, count: strata.labels.length };
  const lr = logRankSorted(time, event, arm.codes, armLabels, order, strataInfo);

  const blocks = strataInfo === undefined ? [order] : splitOrder(order, strataInfo.codes, strataInfo.count);
  const cox = coxphSorted(time, event, designColumns, blocks, {
    terms: designTerms,
    level,
    maxIterations: 20,
    tolerance: 1e-9,
    ties: spec.ties ?? 'efron',
    robust: spec.robust === true || cluster !== undefined,
    ...(cluster === undefined ? {} : { cluster: { codes: cluster.codes, count: cluster.labels.length } }),
  });

  const lastFollowUp = curves.map((c) => c.time[c.time.length - 1] ?? 0);
  let horizon = spec.horizon;
  if (horizon === undefined) {
    horizon = Math.min(...lastFollowUp);
    diagnostics.push(diagnostic('SURVIVAL_DEFAULT_HORIZON', 'info',
      `No horizon was given: RMST and cumulative incidence use ${horizon}, the shorter of the arms' last ` +
      'follow-up times (survRM2::rmst2\'s default).'));
  } else if (horizon > Math.min(...lastFollowUp)) {
    diagnostics.push(diagnostic('SURVIVAL_HORIZON_BEYOND_FOLLOW_UP', 'warning',
      `The horizon ${horizon} is beyond the last follow-up time of an arm (${lastFollowUp.join(' and ')}): that ` +
      'arm\'s curve is carried forward flat (survfit\'s extend = TRUE), which the data do not support.'));
  }
  const armsForContrast = [0, 1].map((a) => ({ arm: armLabels[a]!, curve: curves[a]! })) as
    [{ arm: string; curve: KaplanMeierCurve }, { arm: string; curve: KaplanMeierCurve }];
  const rmst = rmstDifference(armsForContrast[0], armsForContrast[1], horizon, level);
  const cumulativeIncidence = cumulativeIncidenceDifference(armsForContrast[0], armsForContrast[1], horizon, level);

  const outcome = `Surv(${spec.time}, ${spec.event})`;
  const common = {
    estimand: 'ITT',
    term: spec.assignment,
    df: Infinity,
    level,
    nObs: n,
    outcome,
    control,
    treatment,
  } as const;
  const coxDiagnostics = [...cox.diagnostics];
  if (covariateNames.length > 0 || strata !== undefined) {
    coxDiagnostics.push(diagnostic('SURVIVAL_COX_CONDITIONAL', 'info',
      'The hazard ratio is adjusted for covariates and/or stratified: it is conditional on them, not marginal.'));
  }
  const estimates: Estimate[] = [
    makeEstimate({
      ...common,
      estimator: 'coxph',
      estimate: cox.hazardRatios[0]!,
      stdError: cox.stdErrors[0]!,
      statistic: cox.z[0]!,
      pValue: cox.pValues[0]!,
      confLow: cox.confLow[0]!,
      confHigh: cox.confHigh[0]!,
      seType: cluster !== undefined ? 'robust_cluster' : spec.robust === true ? 'robust' : 'classical',
      ...(cluster === undefined ? {} : { nClusters: cluster.labels.length }),
      scale: 'hazard ratio (stdError on the log scale)',
      logHazardRatio: cox.coefficients[0]!,
      ties: cox.ties,
      nEvents: cox.nEvents,
      covariates: designTerms.slice(1),
      ...(spec.strata === undefined ? {} : { strata: spec.strata }),
      diagnostics: coxDiagnostics,
    }),
    makeEstimate({
      ...common,
      estimator: 'rmst',
      estimate: rmst.difference,
      stdError: rmst.stdError,
      statistic: rmst.statistic,
      pValue: rmst.pValue,
      confLow: rmst.confLow,
      confHigh: rmst.confHigh,
      seType: 'greenwood',
      horizon,
      scale: 'difference in restricted mean time to event (treatment − control)',
      arms: rmst.arms.map((a) => ({ ...a })),
      diagnostics: [],
    }),
    makeEstimate({
      ...common,
      estimator: 'km_cumulative_incidence',
      estimate: cumulativeIncidence.difference,
      stdError: cumulativeIncidence.stdError,
      statistic: cumulativeIncidence.statistic,
      pValue: cumulativeIncidence.pValue,
      confLow: cumulativeIncidence.confLow,
      confHigh: cumulativeIncidence.confHigh,
      seType: 'greenwood',
      horizon,
      scale: 'difference in 1 − KM at the horizon (treatment − control)',
      arms: cumulativeIncidence.arms.map((a) => ({ ...a })),
      diagnostics: [],
    }),
  ];

  return {
    km,
    logRank: {
      statistic: lr.statistic, df: lr.df, pValue: lr.pValue, stratified: lr.stratified,
      observed: lr.observed, expected: lr.expected,
    },
    estimates,
    cox,
    rmst,
    cumulativeIncidence,
    arms: { control, treatment },
    horizon,
    level,
    confType,
    nObs: n,
    nDropped: dropped,
    diagnostics,
  };
}
