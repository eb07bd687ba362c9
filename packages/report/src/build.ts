/**
 * buildReport: run what the plan says on the data and collect everything the report shows.
 *
 *   plan + Dataset ──columns (missing required → error; optional → deviation)──► arm of each row
 *     ├─ per outcome: estimate(data, spec) (@trialkit/estimators) → ITT [+ first stage, CACE]; failures of a
 *     │  secondary outcome → deviation; multiplicity across secondary outcomes (p.adjust methods)
 *     ├─ per time-to-event outcome: survivalAnalysis (@trialkit/survival) → Cox HR (Efron), RMST and cumulative-
 *     │  incidence differences to the horizon; KM curves (thinned to drawn points), medians, risk table, log-rank
 *     ├─ per pre-specified subgroup and primary outcome: subgroupAnalysis (@trialkit/estimators) → each level's ITT
 *     │  and the treatment × subgroup interaction test (robust Wald F); levels below minimumSubgroupArmSize per arm
 *     │  → deviation; time-to-event: coxInteractionTest (@trialkit/survival) → each level's hazard ratio from
 *     │  coxph(Surv ~ z * factor(g)) and the joint Wald χ²(q) interaction test
 *     ├─ flow (randomised, allocated, received / contaminated, lost = missing primary outcome, analysed)
 *     ├─ balance (means, SDs, SMDs), distributions (histograms, quantiles)
 *     └─ compliance: analyseContamination / computeCompliance per grouping (@trialkit/estimators)
 *   ──► ReportInput (renderReport draws it)
 */
import { TrialkitError, diagnostic, makeEstimate, type Column, type Dataset, type Diagnostic, type Estimate } from '@trialkit/core';
import { closestName, prepareTrial, type ColumnRoles } from '@trialkit/data';
import * as estimators from '@trialkit/estimators';
import { CoxInteractionCode, coxInteractionTest, survivalAnalysis, type CoxInteractionResult, type SurvivalAnalysisResult, type SurvivalSpec } from '@trialkit/survival';
import { intraclassCorrelation, moments, niceBinWidth, quantileSorted, standardisedMeanDifference, type Moments } from './describe.js';
import { ReportErrorCode } from './errors.js';
import { planColumns, type AnalysisPlan, type OutcomePlan } from './plan.js';
import type {
  AllocationVerification,
  AttritionSummary,
  BalanceRow,
  ComplianceSummary,
  Deviation,
  FlowCounts,
  HistogramBin,
  OutcomeDistribution,
  RatioSummary,
  Provenance,
  ReportInput,
  SoftwareVersion,
  SurvivalArm,
  SurvivalCurvePoint,
  SubgroupTestSummary,
  SurvivalSummary,
} from './types.js';

/** The part of @trialkit/estimators' EstimateSpec the report uses. */
export interface ReportEstimateSpec {
  readonly roles: ColumnRoles;
  readonly arms: { readonly control: string; readonly treatment: string };
  readonly se?: string;
  readonly level: number;
  /** 'rr' adds the risk ratio of a binary outcome (CONSORT 2025 item 26: absolute and relative effects). */
  readonly measure?: 'rd' | 'rr' | 'or';
  /** Randomisation inference for the ITT (estimate()'s `ri`): the ITT gains riPValue, riDraws, riExact, riMethod. */
  readonly ri?: { readonly draws: number; readonly seed: number | string; readonly statistic?: 'difference-in-means' | 't' };
}

function isRatio(estimate: Estimate): boolean {
  return estimate.estimator === 'risk_ratio' || estimate.estimator === 'odds_ratio' || estimate.estimator === 'coxph';
}

/** Variance types of the plan that ask for a sandwich (robust) variance: the Cox model then uses coxph(robust = TRUE). */
const ROBUST_VARIANCE = new Set(['HC0', 'HC1', 'HC2', 'HC3']);

/**
 * Drop curve points whose step is too small to see: keep time 0, every point where S or a confidence limit has
 * moved by at least `resolution` since the last kept point, and the last point. Drawn as a step-after line, the
 * thinned curve is never more than `resolution` from the full one, and its size is bounded by about 3/resolution
 * points per arm whatever the number of participants.
 */
export function thinCurve(
  times: readonly number[],
  survival: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  resolution: number,
): SurvivalCurvePoint[] {
  const points: SurvivalCurvePoint[] = [];
  if (times.length === 0 || times[0]! > 0) points.push({ time: 0, survival: 1, lower: 1, upper: 1 });
  const moved = (a: number, b: number): boolean => (Number.isNaN(a) || Number.isNaN(b) ? Number.isNaN(a) !== Number.isNaN(b) : Math.abs(a - b) >= resolution);
  for (let index = 0; index < times.length; index++) {
    const point = { time: times[index]!, survival: survival[index]!, lower: lower[index]!, upper: upper[index]! };
    const last = points[points.length - 1];
    const isLast = index === times.length - 1;
    if (last === undefined || isLast || resolution <= 0 || moved(point.survival, last.survival) || moved(point.lower, last.lower) || moved(point.upper, last.upper))
      points.push(point);
  }
  return points;
}

/** Curves with more points than this per arm are thinned (to the 0.25-point resolution below). */
const CURVE_POINTS_KEPT_WHOLE = 150;
const CURVE_RESOLUTION = 0.0025;

/** The time unit of a time-to-event outcome: its `unit`, else "days"/"weeks"/"months"/"years" named in its column or label. */
function timeUnitOf(outcome: OutcomePlan): string | undefined {
  if (outcome.unit !== undefined) return outcome.unit;
  const text = `${outcome.column} ${outcome.label}`.toLowerCase();
  return ['days', 'weeks', 'months', 'years'].find((unit) => text.includes(unit) || text.includes(unit.slice(0, -1)));
}

export interface ReportEstimateResult {
  readonly estimates: readonly Estimate[];
  readonly diagnostics: readonly Diagnostic[];
}

export type EstimateFunction = (data: Dataset, spec: ReportEstimateSpec) => ReportEstimateResult | Promise<ReportEstimateResult>;

export interface BuildReportOptions {
  /** The estimator; default `estimate` from @trialkit/estimators. */
  readonly estimate?: EstimateFunction;
  /** Make a missing optional column (covariate, subgroup, grouping) an error instead of a deviation. */
  readonly strictColumns?: boolean;
  readonly provenance?: Provenance;
  readonly allocationVerification?: AllocationVerification;
  /** Bins for outcome histograms (about). */
  readonly histogramBins?: number;
}

const MONTH_PATTERN = /^\d{4}-\d{2}(-\d{2})?$/;

/** The estimator the report runs unless a caller passes its own (tests pass spies). */
const defaultEstimate: EstimateFunction = (data, spec) => estimators.estimate(data, spec);

function cellLabel(column: Column, row: number): string | undefined {
  if (column.kind === 'number') {
    const value = column.values[row]!;
    if (Number.isNaN(value)) return undefined;
    return Object.is(value, -0) ? '0' : String(value);
  }
  const value = column.values[row];
  return value === null || value === undefined ? undefined : value;
}

function numericValue(column: Column, row: number): number {
  if (column.kind === 'number') return column.values[row]!;
  const text = column.values[row];
  if (text === null || text === undefined || text.trim() === '') return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

class Builder {
  readonly deviations: Deviation[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly survival: SurvivalSummary[] = [];
  readonly subgroupTests: SubgroupTestSummary[] = [];
  readonly attrition: AttritionSummary[] = [];
  readonly ratios: RatioSummary[] = [];
  private readonly present = new Map<string, Column>();
  /** 0 control, 1 treatment, −1 assignment missing. */
  readonly armOfRow: Int8Array;

  constructor(
    readonly plan: AnalysisPlan,
    readonly data: Dataset,
    readonly options: BuildReportOptions,
  ) {
    for (const column of data.columns) this.present.set(column.name, column);
    this.checkColumns();
    this.armOfRow = this.assignArms();
  }

  column(name: string | undefined): Column | undefined {
    return name === undefined ? undefined : this.present.get(name);
  }

  private checkColumns(): void {
    const names = [...this.present.keys()];
    for (const { column, field, required } of planColumns(this.plan)) {
      if (this.present.has(column)) continue;
      const closest = closestName(column, names);
      if (required || this.options.strictColumns === true)
        throw new TrialkitError({
          code: ReportErrorCode.planUnknownColumn,
          argument: field,
          value: column,
          what: `Plan field ${field} names the column "${column}", which is not in the data`,
          hint: `${closest !== undefined ? `Did you mean "${closest}"? ` : ''}Columns in the data: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', …' : ''}.`,
        });
      if (!this.deviations.some((d) => d.code === 'PLAN_COLUMN_MISSING' && d.what.includes(`"${column}"`)))
        this.deviations.push({
          code: 'PLAN_COLUMN_MISSING',
          field,
          what: `The column "${column}" is not in the data${closest !== undefined ? ` (closest: "${closest}")` : ''}.`,
          action: field.startsWith('covariates') ? 'Analysed without this covariate.' : 'Left out of this part of the report.',
        });
    }
  }

  private assignArms(): Int8Array {
    const column = this.present.get(this.plan.assignment)!;
    const arms = new Int8Array(this.data.nRows);
    const { control, treatment } = this.plan.arms;
    for (let row = 0; row < this.data.nRows; row++) {
      const label = cellLabel(column, row);
      if (label === undefined) arms[row] = -1;
      else if (label === control.value) arms[row] = 0;
      else if (label === treatment.value) arms[row] = 1;
      else
        throw new TrialkitError({
          code: ReportErrorCode.planBadValue,
          argument: 'arms',
          value: label,
          row: row + 1,
          column: this.plan.assignment,
          what: `The assignment value ${JSON.stringify(label)} is neither the control arm's "${control.value}" nor the treatment arm's "${treatment.value}"`,
          hint: 'Fix the data, or set arms.control.value / arms.treatment.value in the plan to the values the data use.',
        });
    }
    return arms;
  }

  presentCovariates(): string[] {
    return this.plan.covariates.filter((name) => this.present.has(name));
  }

  outcomesToRun(): OutcomePlan[] {
    return this.plan.outcomes.filter(
      (outcome) => this.present.has(outcome.column) && (outcome.type !== 'time-to-event' || (outcome.event !== undefined && this.present.has(outcome.event))),
    );
  }

  /** The survivalAnalysis spec of a time-to-event outcome: the ITT hazard ratio of assignment (no covariates). */
  survivalSpec(outcome: OutcomePlan, times: readonly number[]): SurvivalSpec {
    const { plan } = this;
    return {
      time: outcome.column,
      event: outcome.event!,
      assignment: plan.assignment,
      arms: { control: plan.arms.control.value, treatment: plan.arms.treatment.value },
      level: plan.level,
      // Randomisation blocks → strata (stratified log-rank and Cox), as the linear estimators use them.
      ...(plan.blocks !== undefined ? { strata: plan.blocks } : {}),
      ...(plan.cluster !== undefined ? { cluster: plan.cluster } : plan.variance !== undefined && ROBUST_VARIANCE.has(plan.variance) ? { robust: true } : {}),
      ...(outcome.horizon !== undefined ? { horizon: outcome.horizon } : {}),
      times,
    };
  }

  /** The risk-table times: the plan's, else about five round times from 0 to the last follow-up. */
  riskTableTimes(outcome: OutcomePlan): number[] {
    if (outcome.times !== undefined) return [...outcome.times];
    const column = this.column(outcome.column)!;
    let max = 0;
    for (let row = 0; row < this.data.nRows; row++) {
      const value = numericValue(column, row);
      if (this.armOfRow[row] !== -1 && Number.isFinite(value) && value > max) max = value;
    }
    const step = niceBinWidth(Math.max(outcome.horizon ?? 0, max), 5);
    const times: number[] = [];
    for (let time = 0; time <= max + 1e-9 * step; time += step) times.push(Number(time.toPrecision(12)));
    return times;
  }

  /** estimate()'s spec for an outcome; `withRi` adds the plan's randomisation inference (whole-sample ITTs only). */
  spec(outcome: OutcomePlan, withReceived: boolean, withRi = false): ReportEstimateSpec {
    const covariates = this.presentCovariates();
    const ri = withRi ? this.plan.randomisationInference : undefined;
    return {
      roles: {
        outcome: outcome.column,
        assignment: this.plan.assignment,
        ...(withReceived && this.plan.received !== undefined ? { received: this.plan.received } : {}),
        ...(covariates.length > 0 ? { covariates } : {}),
        ...(this.plan.cluster !== undefined ? { cluster: this.plan.cluster } : {}),
        ...(this.plan.blocks !== undefined ? { blocks: this.plan.blocks } : {}),
      },
      arms: { control: this.plan.arms.control.value, treatment: this.plan.arms.treatment.value },
      ...(this.plan.variance !== undefined ? { se: this.plan.variance } : {}),
      level: this.plan.level,
      ...(ri !== undefined ? { ri: { draws: ri.draws, seed: ri.seed, ...(ri.statistic !== undefined ? { statistic: ri.statistic } : {}) } } : {}),
    };
  }
}

async function runEstimates(builder: Builder, estimate: EstimateFunction): Promise<Estimate[]> {
  const { plan } = builder;
  const estimates: Estimate[] = [];
  for (const outcome of builder.outcomesToRun()) {
    const index = plan.outcomes.indexOf(outcome);
    const wantsCace = outcome.estimands.includes('CACE');
    try {
      if (outcome.type === 'time-to-event') {
        if (plan.randomisationInference !== undefined)
          builder.deviations.push({
            code: 'RI_NOT_FOR_TIME_TO_EVENT',
            field: 'randomisationInference',
            what: `The plan asks for randomisation p-values; the report has no randomisation test for the time-to-event outcome "${outcome.label}" (its ITT is a hazard ratio, RMST and incidence difference).`,
            action: 'Its estimates carry the model-based p-values only.',
          });
        estimates.push(...runSurvival(builder, outcome, index));
        continue;
      }
      const spec = builder.spec(outcome, wantsCace, true);
      const result = await estimate(builder.data, outcome.type === 'binary' ? { ...spec, measure: 'rr' } : spec);
      const kept = result.estimates.filter(
        (e) => e.estimand === 'ITT' || (wantsCace && (e.estimand === 'CACE' || e.estimand === 'first-stage')),
      );
      if (!outcome.estimands.includes('ITT')) {
        builder.deviations.push({
          code: 'ITT_ALWAYS_REPORTED',
          field: `outcomes[${index}].estimands`,
          what: `The plan asks only for ${outcome.estimands.join(', ')} for "${outcome.label}".`,
          action: 'The ITT is reported as well: it is the randomised comparison the CACE rests on (CONSORT item 26).',
        });
      }
      // estimate() names the first stage after the received column; the report files it under the outcome whose
      // CACE it serves (its rows are that outcome's complete cases), keeping the column as `receivedColumn`.
      estimates.push(
        ...kept.map((e) => (e.estimand === 'first-stage' && e.outcome !== outcome.column ? makeEstimate({ ...e, outcome: outcome.column, receivedColumn: e.outcome }) : e)),
      );
      for (const item of result.diagnostics)
        if (!builder.diagnostics.some((d) => d.code === item.code && d.message === item.message)) builder.diagnostics.push(item);
    } catch (error) {
      if (!(error instanceof TrialkitError) || outcome.primary) throw error;
      builder.deviations.push({
        code: 'OUTCOME_NOT_ESTIMATED',
        field: `outcomes[${index}]`,
        what: `"${outcome.label}" could not be estimated: ${error.message}`,
        action: 'Left out of the results.',
      });
    }
  }
  return estimates;
}

/** The survival labels "0"/"1" → the arms' labels, in result text. */
function armLabelFor(builder: Builder, value: string): string {
  const { control, treatment } = builder.plan.arms;
  const same = (a: string, b: string): boolean => a === b || (a.trim() !== '' && b.trim() !== '' && Number(a) === Number(b));
  return same(value, control.value) ? control.label : same(value, treatment.value) ? treatment.label : value;
}

function addDiagnostic(builder: Builder, item: Diagnostic): void {
  if (!builder.diagnostics.some((d) => d.code === item.code && d.message === item.message)) builder.diagnostics.push(item);
}

/**
 * A time-to-event outcome: survivalAnalysis on the whole data (its na.omit drops rows missing time, event,
 * assignment or blocks). Its three ITT estimates are filed under the outcome's column (the survival package names
 * them `Surv(time, event)`, kept as `survivalOutcome`); the curves, medians, risk table and log-rank go to
 * `survival`. The CACE is not defined here (a deviation says so).
 */
function runSurvival(builder: Builder, outcome: OutcomePlan, index: number): Estimate[] {
  if (outcome.estimands.includes('CACE'))
    builder.deviations.push({
      code: 'CACE_NOT_DEFINED_FOR_TIME_TO_EVENT',
      field: `outcomes[${index}].estimands`,
      what: `The plan asks for the CACE of the time-to-event outcome "${outcome.label}"; the report defines no complier effect for a time-to-event outcome (a complier hazard ratio or RMST needs its own estimator and assumptions).`,
      action: 'Only the ITT (hazard ratio, RMST and cumulative-incidence differences of assignment) is reported.',
    });
  if (!outcome.estimands.includes('ITT'))
    builder.deviations.push({
      code: 'ITT_ALWAYS_REPORTED',
      field: `outcomes[${index}].estimands`,
      what: `The plan asks only for ${outcome.estimands.join(', ')} for "${outcome.label}".`,
      action: 'The ITT is reported: it is the randomised comparison (CONSORT item 26).',
    });
  const times = builder.riskTableTimes(outcome);
  const result: SurvivalAnalysisResult = survivalAnalysis(builder.data, builder.survivalSpec(outcome, times));
  for (const item of result.diagnostics) {
    const message = item.message.replace(/arm "([^"]*)"/g, (_, value: string) => `arm "${armLabelFor(builder, value)}"`);
    addDiagnostic(builder, { ...item, message: `${outcome.label}: ${message}` });
  }
  const arms = result.km.map((curve): SurvivalArm => {
    const thin = curve.times.length > CURVE_POINTS_KEPT_WHOLE;
    return {
      arm: armLabelFor(builder, curve.arm),
      n: curve.n,
      events: curve.events,
      median: curve.median,
      medianLow: curve.medianLow,
      medianHigh: curve.medianHigh,
      curve: thinCurve(curve.times, curve.survival, curve.lower, curve.upper, thin ? CURVE_RESOLUTION : 0),
      atTimes: curve.atTimes.map((at) => ({ time: at.time, nRisk: at.nRisk, survival: at.survival, lower: at.lower, upper: at.upper })),
    };
  });
  const resolution = result.km.some((curve) => curve.times.length > CURVE_POINTS_KEPT_WHOLE) ? CURVE_RESOLUTION : 0;
  const timeUnit = timeUnitOf(outcome);
  builder.survival.push({
    outcome: outcome.column,
    event: outcome.event!,
    ...(timeUnit !== undefined ? { timeUnit } : {}),
    horizon: result.horizon,
    times,
    level: result.level,
    confType: result.confType,
    arms: [arms[0]!, arms[1]!],
    logRank: { statistic: result.logRank.statistic, df: result.logRank.df, pValue: result.logRank.pValue, stratified: result.logRank.stratified },
    resolution,
    ...(builder.plan.blocks !== undefined ? { strata: builder.plan.blocks } : {}),
  });
  return result.estimates.map((e) => makeEstimate({ ...e, outcome: outcome.column, survivalOutcome: e.outcome }));
}

/** The one test per secondary outcome in the multiplicity family: the difference, or a time-to-event's hazard ratio. */
function inMultiplicityFamily(builder: Builder, estimate: Estimate): boolean {
  const outcome = builder.plan.outcomes.find((o) => o.column === estimate.outcome);
  if (outcome === undefined || outcome.primary || estimate.estimand !== 'ITT' || estimate['subgroup'] !== undefined) return false;
  return outcome.type === 'time-to-event' ? estimate.estimator === 'coxph' : !isRatio(estimate);
}

function applyMultiplicity(builder: Builder, estimates: Estimate[]): Estimate[] {
  const method = builder.plan.multiplicity;
  if (method === 'none') return estimates;
  const family = estimates.map((estimate, index) => ({ estimate, index })).filter(({ estimate }) => inMultiplicityFamily(builder, estimate));
  if (family.length === 0) return estimates;
  const adjusted = estimators.adjustPValues(family.map(({ estimate }) => estimate.pValue), method);
  const out = [...estimates];
  family.forEach(({ estimate, index }, position) => {
    out[index] = makeEstimate({ ...estimate, pValueAdjusted: adjusted[position]!, multiplicity: method });
  });
  return out;
}

/**
 * Pre-specified subgroups. Per subgroup column: levels with fewer than minimumSubgroupArmSize participants in an arm
 * (all randomised rows with the level) are deviations; then per primary outcome —
 *   binary / continuous: subgroupAnalysis (@trialkit/estimators): each level's ITT as estimate() computes it on the
 *     level's complete cases, and the treatment × subgroup interaction test (lm_robust(y ~ z * factor(g) + covs),
 *     HC2 / CR2, joint robust Wald F) over the levels estimated → builder.subgroupTests;
 *   time-to-event: coxInteractionTest (@trialkit/survival): each level's hazard ratio from the interaction model
 *     coxph(Surv(t, e) ~ z * factor(g) [+ strata]) and the joint Wald χ²(q) test of its interaction coefficients.
 */
async function runSubgroups(builder: Builder): Promise<Estimate[]> {
  const { plan, data } = builder;
  const out: Estimate[] = [];
  const primaries = builder.outcomesToRun().filter((outcome) => outcome.primary);
  for (const [index, name] of plan.subgroups.entries()) {
    const column = builder.column(name);
    if (column === undefined) continue;
    const rowsByLevel = new Map<string, number[]>();
    for (let row = 0; row < data.nRows; row++) {
      const label = cellLabel(column, row);
      if (label === undefined || builder.armOfRow[row] === -1) continue;
      const rows = rowsByLevel.get(label) ?? [];
      rows.push(row);
      rowsByLevel.set(label, rows);
    }
    const levels = [...rowsByLevel.keys()].sort((a, b) => {
      const x = Number(a);
      const y = Number(b);
      return Number.isFinite(x) && Number.isFinite(y) ? x - y : a < b ? -1 : a > b ? 1 : 0;
    });
    if (levels.length > SUBGROUP_MAXIMUM_LEVELS) {
      builder.deviations.push({
        code: 'SUBGROUP_TOO_MANY_LEVELS',
        field: `subgroups[${index}]`,
        what: `"${name}" has ${levels.length} distinct values; a pre-specified subgroup needs a few categories.`,
        action: 'Not analysed by subgroup.',
      });
      continue;
    }
    const tooSmall = new Set<string>();
    for (const level of levels) {
      const rows = rowsByLevel.get(level)!;
      let treated = 0;
      for (const row of rows) treated += builder.armOfRow[row]!;
      const smallest = Math.min(treated, rows.length - treated);
      if (smallest < plan.minimumSubgroupArmSize) {
        tooSmall.add(level);
        builder.deviations.push({
          code: 'SUBGROUP_TOO_SMALL',
          field: `subgroups[${index}]`,
          what: `The subgroup ${name} = ${level} has ${smallest} participant${smallest === 1 ? '' : 's'} in its smaller arm (minimum ${plan.minimumSubgroupArmSize}).`,
          action: 'Not estimated, and left out of the interaction test.',
        });
      }
    }
    for (const outcome of primaries) {
      if (outcome.type === 'time-to-event') {
        out.push(...subgroupHazardRatios(builder, outcome, name, index, levels.filter((level) => !tooSmall.has(level)), rowsByLevel));
        continue;
      }
      out.push(...subgroupTest(builder, outcome, name, index, tooSmall));
    }
  }
  return out;
}

/** A pre-specified subgroup with more distinct values than this is not analysed (a deviation). */
const SUBGROUP_MAXIMUM_LEVELS = 12;

/** A subgroup the library refused as a whole (bad column, too few levels…): a deviation, nothing estimated. */
function subgroupRefused(builder: Builder, outcome: OutcomePlan, name: string, index: number, error: unknown): void {
  if (!(error instanceof TrialkitError)) throw error;
  builder.deviations.push({
    code: 'SUBGROUP_NOT_ESTIMATED',
    field: `subgroups[${index}]`,
    what: `${outcome.label} by the subgroup "${name}" could not be estimated: ${error.message}`,
    action: 'Not estimated.',
  });
}

/**
 * A level left out of a subgroup analysis (ITT or hazard ratio): too small among the complete cases
 * (SUBGROUP_TOO_SMALL), else not estimable (SUBGROUP_NOT_ESTIMATED, with `otherwise` as the reason).
 */
function levelLeftOut(builder: Builder, outcome: OutcomePlan, name: string, index: number, level: string, reason: string | undefined, otherwise: string): void {
  const small = reason !== undefined && reason.includes('smaller arm');
  builder.deviations.push({
    code: small ? 'SUBGROUP_TOO_SMALL' : 'SUBGROUP_NOT_ESTIMATED',
    field: `subgroups[${index}]`,
    what: small
      ? `Among participants with "${outcome.label}" (complete cases), the subgroup ${name} = ${level} has ${reason}.`
      : `${outcome.label} in the subgroup ${name} = ${level} could not be estimated: ${otherwise}`,
    action: 'Not estimated, and left out of the interaction test.',
  });
}

/**
 * A time-to-event primary outcome by a pre-specified subgroup: coxInteractionTest (@trialkit/survival) on the complete
 * cases of the levels large enough overall — coxph(Surv(t, e) ~ z * factor(g) [+ strata(blocks)] [, cluster]) with
 * the Cox model's own variance choices (as the whole-sample hazard ratio) — each level's hazard ratio from that
 * model (on the forest plot's subgroup ratio panel), the joint Wald χ²(q) test of the interaction coefficients and,
 * for two levels, the ratio of the two hazard ratios (builder.subgroupTests).
 */
function subgroupHazardRatios(
  builder: Builder,
  outcome: OutcomePlan,
  name: string,
  index: number,
  levels: readonly string[],
  rowsByLevel: ReadonlyMap<string, number[]>,
): Estimate[] {
  const { plan } = builder;
  const spec = builder.survivalSpec(outcome, []);
  const timeColumn = builder.column(spec.time)!;
  const eventColumn = builder.column(spec.event)!;
  const strataColumn = spec.strata !== undefined ? builder.column(spec.strata) : undefined;
  const clusterColumn = spec.cluster !== undefined ? builder.column(spec.cluster) : undefined;
  // Complete cases over the columns the model uses (coxph's na.omit), in data order.
  const time: number[] = [];
  const event: number[] = [];
  const assignment: number[] = [];
  const group: string[] = [];
  const strata: string[] = [];
  const cluster: string[] = [];
  const wanted = new Set(levels);
  const rows = [...rowsByLevel.entries()].filter(([level]) => wanted.has(level)).flatMap(([level, r]) => r.map((row) => [row, level] as const));
  rows.sort((a, b) => a[0] - b[0]);
  for (const [row, level] of rows) {
    const t = numericValue(timeColumn, row);
    const e = numericValue(eventColumn, row);
    const s = strataColumn !== undefined ? cellLabel(strataColumn, row) : '';
    const c = clusterColumn !== undefined ? cellLabel(clusterColumn, row) : '';
    if (Number.isNaN(t) || Number.isNaN(e) || s === undefined || c === undefined) continue;
    time.push(t);
    event.push(e);
    assignment.push(builder.armOfRow[row]!);
    group.push(level);
    strata.push(s);
    cluster.push(c);
  }
  let result: CoxInteractionResult;
  try {
    result = coxInteractionTest(time, event, assignment, group, {
      level: plan.level,
      minimumArmSize: plan.minimumSubgroupArmSize,
      ...(strataColumn !== undefined ? { strata } : {}),
      ...(clusterColumn !== undefined ? { cluster } : spec.robust === true ? { robust: true } : {}),
      assignmentName: plan.assignment,
      subgroupName: name,
    });
  } catch (error) {
    subgroupRefused(builder, outcome, name, index, error);
    return [];
  }
  for (const level of result.levels) {
    if (!level.tested) levelLeftOut(builder, outcome, name, index, level.level, level.reason, `it has ${level.reason ?? 'no estimable hazard ratio'}.`);
  }
  // The levels left out are deviations above; the Cox model's own warnings (convergence) are diagnostics.
  for (const item of result.diagnostics)
    if (item.code !== CoxInteractionCode.levelLeftOut && item.code !== CoxInteractionCode.noTest)
      addDiagnostic(builder, { ...item, message: `${outcome.label}, subgroups by “${name}”: ${item.message}` });
  const t = result.test;
  const c = result.contrast;
  const seType = result.seType;
  builder.subgroupTests.push({
    outcome: outcome.column,
    subgroup: name,
    model: 'coxph',
    levels: result.levels.map((level) => ({
      level: level.level,
      nTreatment: level.nTreatment,
      nControl: level.nControl,
      estimated: level.tested,
      ...(level.reason !== undefined ? { reason: level.reason } : {}),
    })),
    ...(t !== null
      ? {
          hazardTest: {
            wald: t.wald,
            df: t.df,
            pValue: t.pValue,
            seType,
            ties: result.ties,
            levelsTested: t.levelsTested,
            referenceLevel: t.referenceLevel,
            nObs: result.nObs,
            nEvents: result.nEvents,
            ...(result.nClusters !== undefined ? { nClusters: result.nClusters } : {}),
            ...(spec.strata !== undefined ? { strata: spec.strata } : {}),
          },
        }
      : {}),
    ...(c !== null ? { hazardContrast: { ratio: c.ratio, stdError: c.stdError, confLow: c.confLow, confHigh: c.confHigh, pValue: c.pValue, level: c.level } } : {}),
    ...(t === null
      ? {
          notTested:
            result.cox === null
              ? `fewer than two levels of “${name}” could be estimated (${result.levels.filter((level) => level.tested).length} of ${result.levels.length})`
              : `the variance of the Cox model’s interaction coefficients is singular${result.nClusters !== undefined ? ` (${result.nClusters} clusters)` : ''}`,
        }
      : {}),
  });
  // The levels' hazard ratios stand whenever the model was fitted (a singular interaction variance only stops the test).
  if (result.cox === null) return [];
  return result.levels
    .filter((level) => level.tested)
    .map((level) =>
      makeEstimate({
        estimand: 'ITT',
        estimator: 'coxph',
        term: plan.assignment,
        estimate: level.hazardRatio!,
        stdError: level.stdError!,
        statistic: level.z!,
        pValue: level.pValue!,
        confLow: level.confLow!,
        confHigh: level.confHigh!,
        df: Infinity,
        level: result.level,
        nObs: level.nTreatment + level.nControl,
        outcome: outcome.column,
        survivalOutcome: `Surv(${spec.time}, ${spec.event})`,
        control: plan.arms.control.value,
        treatment: plan.arms.treatment.value,
        seType,
        ...(result.nClusters !== undefined ? { nClusters: result.nClusters } : {}),
        scale: 'hazard ratio (stdError on the log scale)',
        logHazardRatio: level.logHazardRatio!,
        ties: result.ties,
        nEvents: level.eventsTreatment + level.eventsControl,
        ...(spec.strata !== undefined ? { strata: spec.strata } : {}),
        interactionModel: `coxph(Surv(${spec.time}, ${spec.event}) ~ ${plan.assignment} * factor(${name})${spec.strata !== undefined ? ` + strata(${spec.strata})` : ''})`,
        subgroup: `${name} = ${level.level}`,
        subgroupColumn: name,
        subgroupLevel: level.level,
        diagnostics: [],
      }),
    );
}

/**
 * subgroupAnalysis for a binary or continuous primary outcome: the levels' ITTs (estimates with `subgroup`,
 * `subgroupColumn`, `subgroupLevel`) and the interaction test (builder.subgroupTests). Levels the estimator could not
 * estimate beyond those already too small overall become deviations.
 */
function subgroupTest(builder: Builder, outcome: OutcomePlan, name: string, index: number, tooSmall: ReadonlySet<string>): Estimate[] {
  const { plan } = builder;
  const spec = builder.spec(outcome, false);
  let analysis: estimators.SubgroupAnalysis;
  try {
    analysis = estimators.subgroupAnalysis(builder.data, {
      roles: spec.roles,
      arms: spec.arms,
      ...(spec.se !== undefined ? { se: spec.se } : {}),
      level: spec.level,
      subgroup: name,
      minimumArmSize: plan.minimumSubgroupArmSize,
      maximumLevels: SUBGROUP_MAXIMUM_LEVELS,
    });
  } catch (error) {
    subgroupRefused(builder, outcome, name, index, error);
    return [];
  }
  for (const level of analysis.levels) {
    if (!level.estimated && !tooSmall.has(level.level)) levelLeftOut(builder, outcome, name, index, level.level, level.reason, level.reason ?? 'no reason given');
  }
  const mappedToDeviations = new Set<string>([
    estimators.SubgroupDiagnosticCode.levelTooSmall,
    estimators.SubgroupDiagnosticCode.levelNotEstimated,
    estimators.SubgroupDiagnosticCode.tooManyLevels,
  ]);
  for (const item of analysis.diagnostics)
    if (item.code.startsWith('SUBGROUP_') && !mappedToDeviations.has(item.code))
      addDiagnostic(builder, { ...item, message: `${outcome.label}, subgroups by “${name}”: ${item.message}` });
  const h = analysis.heterogeneity;
  const contrast = analysis.contrast;
  const notTested =
    h === null
      ? `fewer than two levels of “${name}” could be estimated (${analysis.levels.filter((level) => level.estimated).length} of ${analysis.levels.length})`
      : undefined;
  builder.subgroupTests.push({
    outcome: outcome.column,
    subgroup: name,
    levels: analysis.levels.map((level) => ({
      level: level.level,
      nTreatment: level.nTreatment,
      nControl: level.nControl,
      estimated: level.estimated,
      ...(level.reason !== undefined ? { reason: level.reason } : {}),
    })),
    ...(h !== null
      ? {
          test: {
            fStatistic: h.fStatistic,
            dfNumerator: h.dfNumerator,
            dfDenominator: h.dfDenominator,
            pValue: h.pValue,
            chiSquarePValue: h.chiSquarePValue,
            seType: h.seType,
            levelsTested: h.levelsTested,
            referenceLevel: h.referenceLevel,
            nObs: h.nObs,
            ...(h.nClusters !== undefined ? { nClusters: h.nClusters } : {}),
          },
        }
      : {}),
    ...(contrast !== null
      ? {
          contrast: {
            estimate: contrast.estimate,
            stdError: contrast.stdError,
            confLow: contrast.confLow,
            confHigh: contrast.confHigh,
            pValue: contrast.pValue,
            df: contrast.df,
            level: contrast.level,
          },
        }
      : {}),
    ...(notTested !== undefined ? { notTested } : {}),
  });
  return analysis.levels.filter((level) => level.estimate !== null).map((level) => level.estimate!);
}

function buildFlow(builder: Builder, estimates: readonly Estimate[]): FlowCounts {
  const { plan, data, armOfRow } = builder;
  const primary = plan.outcomes.find((outcome) => outcome.primary)!;
  const outcomeColumn = builder.column(primary.column)!;
  // A time-to-event primary outcome is missing when its time or its event indicator is.
  const eventColumn = primary.type === 'time-to-event' ? builder.column(primary.event) : undefined;
  const received = builder.column(plan.received);
  const usedColumns = [
    // The survival analysis of a time-to-event primary outcome uses no covariates (the ITT hazard ratio).
    ...(primary.type === 'time-to-event' ? [] : builder.presentCovariates()),
    ...(plan.cluster !== undefined ? [plan.cluster] : []),
    ...(plan.blocks !== undefined ? [plan.blocks] : []),
    ...(primary.estimands.includes('CACE') && plan.received !== undefined ? [plan.received] : []),
  ]
    .map((name) => builder.column(name))
    .filter((column): column is Column => column !== undefined);
  const counts = [0, 1].map(() => ({ allocated: 0, received: 0, notReceived: 0, lost: 0, excluded: 0 }));
  let missingArm = 0;
  for (let row = 0; row < data.nRows; row++) {
    const arm = armOfRow[row]!;
    if (arm === -1) {
      missingArm++;
      continue;
    }
    const c = counts[arm]!;
    c.allocated++;
    if (received !== undefined) {
      const value = numericValue(received, row);
      if (value === 1) c.received++;
      else if (value === 0) c.notReceived++;
    }
    if (Number.isNaN(numericValue(outcomeColumn, row)) || (eventColumn !== undefined && Number.isNaN(numericValue(eventColumn, row)))) c.lost++;
    else if (usedColumns.some((column) => cellLabel(column, row) === undefined)) c.excluded++;
  }
  if (missingArm > 0)
    builder.diagnostics.push(diagnostic('REPORT_ASSIGNMENT_MISSING', 'warning', `${missingArm} rows have no assignment and are left out of the flow and every analysis.`));
  const arm = (index: 0 | 1): FlowCounts['control'] => {
    const c = counts[index]!;
    return {
      allocated: c.allocated,
      ...(received !== undefined ? (index === 1 ? { received: c.received } : { contaminated: c.received }) : {}),
      ...(received !== undefined ? { notReceived: c.notReceived } : {}),
      lostToFollowUp: c.lost,
      ...(c.lost > 0 ? { lostReasons: [{ reason: eventColumn !== undefined ? `No value of "${primary.column}" or "${primary.event!}"` : `No value of "${primary.column}"`, n: c.lost }] } : {}),
      analysed: c.allocated - c.lost - c.excluded,
      excludedFromAnalysis: c.excluded,
      ...(c.excluded > 0 ? { excludedReasons: [{ reason: 'Missing a baseline covariate or design column', n: c.excluded }] } : {}),
    };
  };
  // Cluster trials show the flow of clusters as well as of individuals (CONSORT cluster extension).
  const clusterColumn = builder.column(plan.cluster);
  const clusters: [Set<string>, Set<string>] = [new Set(), new Set()];
  if (clusterColumn !== undefined)
    for (let row = 0; row < data.nRows; row++) {
      const label = cellLabel(clusterColumn, row);
      const armIndex = armOfRow[row]!;
      if (label !== undefined && armIndex !== -1) clusters[armIndex as 0 | 1].add(label);
    }
  // ICC of the primary outcome among controls (free of the treatment effect), one-way ANOVA.
  let icc: FlowCounts['icc'];
  if (clusterColumn !== undefined && primary.type !== 'time-to-event') {
    const codes = new Map<string, number>();
    const values: number[] = [];
    const clusterCodes: number[] = [];
    for (let row = 0; row < data.nRows; row++) {
      const value = numericValue(outcomeColumn, row);
      const label = cellLabel(clusterColumn, row);
      if (armOfRow[row] !== 0 || Number.isNaN(value) || label === undefined) continue;
      if (!codes.has(label)) codes.set(label, codes.size);
      values.push(value);
      clusterCodes.push(codes.get(label)!);
    }
    const value = intraclassCorrelation(values, clusterCodes);
    if (Number.isFinite(value)) icc = { outcome: primary.column, value, basis: 'control arm, one-way ANOVA estimator' };
  }
  const withClusters = (index: 0 | 1): FlowCounts['control'] =>
    clusterColumn === undefined ? arm(index) : { ...arm(index), clusters: clusters[index].size };
  const itt = estimates.find((e) => e.outcome === primary.column && e.estimand === 'ITT' && !isRatio(e) && e['subgroup'] === undefined);
  const screening = plan.screening;
  const flow: FlowCounts = {
    ...(screening !== undefined
      ? {
          assessed: screening.assessed,
          excluded: screening.excluded.reduce((sum, item) => sum + item.n, 0),
          excludedReasons: screening.excluded,
        }
      : {}),
    randomised: counts[0]!.allocated + counts[1]!.allocated,
    control: withClusters(0),
    treatment: withClusters(1),
    ...(icc !== undefined ? { icc } : {}),
  };
  if (itt !== undefined && itt.nObs !== flow.control.analysed + flow.treatment.analysed)
    builder.diagnostics.push(
      diagnostic(
        'REPORT_FLOW_N_MISMATCH',
        'warning',
        `The flow counts ${flow.control.analysed + flow.treatment.analysed} analysed for "${primary.column}", but its ITT estimate used ${itt.nObs} rows.`,
      ),
    );
  return flow;
}

function buildBalance(builder: Builder): BalanceRow[] {
  const { plan, data, armOfRow } = builder;
  const rows: BalanceRow[] = [];
  for (const name of plan.balance) {
    const column = builder.column(name);
    if (column === undefined) continue;
    let isNumeric = true;
    if (column.kind === 'text') {
      // A text column whose every non-missing cell is a number is described as numbers.
      let seen = 0;
      isNumeric = true;
      for (let row = 0; row < data.nRows && isNumeric; row++) {
        const text = column.values[row];
        if (text === null || text === undefined || text.trim() === '') continue;
        seen++;
        if (!Number.isFinite(Number(text))) isNumeric = false;
      }
      isNumeric = isNumeric && seen > 0;
    }
    if (isNumeric) {
      const byArm: number[][] = [[], []];
      for (let row = 0; row < data.nRows; row++) {
        const value = numericValue(column, row);
        if (armOfRow[row] !== -1 && !Number.isNaN(value)) byArm[armOfRow[row]!]!.push(value);
      }
      const binary = [...byArm[0]!, ...byArm[1]!].every((v) => v === 0 || v === 1);
      const control = moments(byArm[0]!);
      const treatment = moments(byArm[1]!);
      rows.push({
        variable: name,
        kind: binary ? 'binary' : 'continuous',
        control: binary ? { n: control.n, mean: control.mean } : { n: control.n, mean: control.mean, sd: control.sd },
        treatment: binary ? { n: treatment.n, mean: treatment.mean } : { n: treatment.n, mean: treatment.mean, sd: treatment.sd },
        smd: standardisedMeanDifference(treatment, control, binary),
      });
      continue;
    }
    // A text column: one row per level, as the share with that level.
    const levels = new Set<string>();
    for (let row = 0; row < data.nRows; row++) {
      const label = cellLabel(column, row);
      if (label !== undefined) levels.add(label);
    }
    if (levels.size > 12) {
      builder.deviations.push({ code: 'BALANCE_TOO_MANY_LEVELS', field: `balance`, what: `"${name}" has ${levels.size} categories.`, action: 'Left out of the balance table.' });
      continue;
    }
    // Counts per level and arm in one pass; a level's share is a binary mean, its SD √(p(1 − p)).
    const perLevel = new Map<string, [number, number]>();
    const totals: [number, number] = [0, 0];
    for (let row = 0; row < data.nRows; row++) {
      const label = cellLabel(column, row);
      const arm = armOfRow[row] as -1 | 0 | 1;
      if (arm === -1 || label === undefined) continue;
      totals[arm]++;
      const counts = perLevel.get(label) ?? [0, 0];
      counts[arm]++;
      perLevel.set(label, counts);
    }
    for (const level of [...levels].sort()) {
      const counts = perLevel.get(level) ?? [0, 0];
      const share = (arm: 0 | 1): Moments => {
        const n = totals[arm];
        const p = n > 0 ? counts[arm] / n : Number.NaN;
        return { n, mean: p, sd: n > 1 ? Math.sqrt((p * (1 - p) * n) / (n - 1)) : Number.NaN };
      };
      const control = share(0);
      const treatment = share(1);
      rows.push({
        variable: `${name}=${level}`,
        label: `${name}: ${level}`,
        kind: 'binary',
        control: { n: control.n, mean: control.mean },
        treatment: { n: treatment.n, mean: treatment.mean },
        smd: standardisedMeanDifference(treatment, control, true),
      });
    }
  }
  return rows;
}

function buildDistributions(builder: Builder, bins: number): OutcomeDistribution[] {
  const { plan, data, armOfRow } = builder;
  const out: OutcomeDistribution[] = [];
  const labels = [plan.arms.control.label, plan.arms.treatment.label];
  for (const outcome of builder.outcomesToRun()) {
    if (outcome.type !== 'continuous') continue;
    const column = builder.column(outcome.column)!;
    const byArm: number[][] = [[], []];
    for (let row = 0; row < data.nRows; row++) {
      const value = numericValue(column, row);
      if (armOfRow[row] !== -1 && Number.isFinite(value)) byArm[armOfRow[row]!]!.push(value);
    }
    const all = [...byArm[0]!, ...byArm[1]!];
    if (all.length === 0) continue;
    let min = Infinity;
    let max = -Infinity;
    for (const value of all) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const zeros = all.filter((v) => v === 0).length;
    const separateZero = zeros > 0 && min >= 0 && max > 0;
    const low = separateZero ? 0 : min;
    const width = niceBinWidth(max - low, bins);
    const start = Math.floor(low / width) * width;
    const nBins = Math.max(1, Math.ceil((max - start) / width + 1e-9));
    const histogram: HistogramBin[] = [];
    const summary: OutcomeDistribution['summary'][number][] = [];
    for (const armIndex of [0, 1] as const) {
      const values = byArm[armIndex]!;
      const counts = new Array<number>(nBins).fill(0);
      let zeroCount = 0;
      for (const value of values) {
        if (separateZero && value === 0) {
          zeroCount++;
          continue;
        }
        counts[Math.min(nBins - 1, Math.floor((value - start) / width))]!++;
      }
      const n = values.length;
      if (separateZero) histogram.push({ arm: labels[armIndex]!, binStart: 0, binEnd: 0, count: zeroCount, share: n > 0 ? zeroCount / n : 0 });
      counts.forEach((count, bin) =>
        histogram.push({ arm: labels[armIndex]!, binStart: start + bin * width, binEnd: start + (bin + 1) * width, count, share: n > 0 ? count / n : 0 }),
      );
      const sorted = Float64Array.from(values).sort();
      const m = moments(values);
      summary.push({
        arm: labels[armIndex]!,
        n,
        mean: m.mean,
        sd: m.sd,
        min: sorted[0] ?? Number.NaN,
        q1: quantileSorted(sorted, 0.25),
        median: quantileSorted(sorted, 0.5),
        q3: quantileSorted(sorted, 0.75),
        max: sorted[sorted.length - 1] ?? Number.NaN,
        zeroShare: n > 0 ? values.filter((v) => v === 0).length / n : Number.NaN,
      });
    }
    out.push({ outcome: outcome.column, bins: histogram, summary });
  }
  return out;
}


/**
 * Compliance and contamination: analyseContamination on the primary outcome (take-up, complier share, complier
 * characteristics, τ(λ)), computeCompliance per grouping column, mapped to the report's shape by the estimators'
 * own complianceReportData (so the two packages stay in step).
 */
function buildCompliance(builder: Builder): ComplianceSummary | undefined {
  const { plan, data } = builder;
  if (plan.received === undefined || builder.column(plan.received) === undefined) return undefined;
  const primary = plan.outcomes.find((outcome) => outcome.primary && outcome.type !== 'time-to-event');
  if (primary === undefined || builder.column(primary.column) === undefined) return undefined;
  const arms = { control: plan.arms.control.value, treatment: plan.arms.treatment.value };
  const covariates = builder.presentCovariates().filter((name) => builder.column(name)?.kind === 'number');
  const addDiagnostics = (items: readonly Diagnostic[]): void => {
    for (const item of items)
      if (!builder.diagnostics.some((d) => d.code === item.code && d.message === item.message)) builder.diagnostics.push(item);
  };
  let analysis: estimators.ContaminationAnalysis;
  try {
    const trial = prepareTrial(
      data,
      { outcome: primary.column, assignment: plan.assignment, received: plan.received, ...(covariates.length > 0 ? { covariates } : {}) },
      arms,
    );
    analysis = estimators.analyseContamination(trial, { level: plan.level });
    addDiagnostics(analysis.diagnostics);
  } catch (error) {
    if (!(error instanceof TrialkitError)) throw error;
    builder.deviations.push({ code: 'COMPLIANCE_NOT_COMPUTED', field: 'received', what: `Take-up and contamination could not be computed: ${error.message}`, action: 'Section left out.' });
    return undefined;
  }
  let byGroup: estimators.Compliance | undefined;
  let byMonth: estimators.Compliance | undefined;
  let groupLabel: string | undefined;
  for (const [index, name] of plan.contaminationGroups.entries()) {
    const column = builder.column(name);
    if (column === undefined) continue;
    const labels: string[] = [];
    for (let row = 0; row < data.nRows && labels.length < 50; row++) {
      const label = cellLabel(column, row);
      if (label !== undefined) labels.push(label);
    }
    const isMonth = /month|period/i.test(name) || (labels.length > 0 && labels.every((l) => MONTH_PATTERN.test(l)));
    if ((isMonth && byMonth !== undefined) || (!isMonth && byGroup !== undefined)) {
      builder.deviations.push({ code: 'CONTAMINATION_GROUP_NOT_CHARTED', field: `contaminationGroups[${index}]`, what: `Only one grouping of each kind (by group, by month) is charted; "${name}" is another.`, action: 'Not charted.' });
      continue;
    }
    try {
      const trial = prepareTrial(data, { outcome: primary.column, assignment: plan.assignment, received: plan.received, by: name }, arms);
      const compliance = estimators.computeCompliance(trial, { level: plan.level });
      if (isMonth) byMonth = compliance;
      else {
        byGroup = compliance;
        groupLabel = name;
      }
    } catch (error) {
      if (!(error instanceof TrialkitError)) throw error;
      builder.deviations.push({ code: 'CONTAMINATION_GROUP_NOT_COMPUTED', field: `contaminationGroups[${index}]`, what: `Contamination by "${name}" could not be computed: ${error.message}`, action: 'Not charted.' });
    }
  }
  // Overall figures: the primary outcome's complete cases; by group / month: their own groupings (rows with a
  // missing group value are left out of those).
  const overall = estimators.complianceReportData(analysis, {
    armLabels: { treatment: plan.arms.treatment.label, control: plan.arms.control.label },
    complierCharacteristics: analysis.complierCharacteristics,
    sensitivity: analysis.sensitivity,
  });
  const grouped = byGroup !== undefined ? estimators.complianceReportData(byGroup) : undefined;
  const monthly = byMonth !== undefined ? estimators.complianceReportData(byMonth) : undefined;
  return {
    ...overall,
    ...(grouped?.contaminationByGroup !== undefined ? { contaminationByGroup: grouped.contaminationByGroup } : {}),
    ...(monthly?.contaminationByGroup !== undefined ? { contaminationByMonth: monthly.contaminationByGroup } : {}),
    ...(groupLabel !== undefined ? { groupLabel } : {}),
  };
}

/**
 * Survey attrition per outcome the plan's `attrition` names: attritionAnalysis (@trialkit/estimators, checked against
 * estimatr and R there) → response by arm, difference with χ² and Fisher, Lee bounds. Its diagnostics (differential
 * or low response, few kept, …) go to the diagnostics section; a refusal (e.g. an outcome for a non-responder) is a
 * deviation.
 */
function buildAttrition(builder: Builder): void {
  const { plan } = builder;
  const spec = plan.attrition;
  if (spec === undefined) return;
  if (spec.responded !== undefined && builder.column(spec.responded) === undefined) return; // a deviation already says so
  for (const name of spec.outcomes) {
    const outcome = plan.outcomes.find((o) => o.column === name)!;
    if (builder.column(name) === undefined) continue;
    try {
      const a = estimators.attritionAnalysis(builder.data, {
        outcome: name,
        assignment: plan.assignment,
        ...(spec.responded !== undefined ? { responded: spec.responded } : {}),
        arms: { control: plan.arms.control.value, treatment: plan.arms.treatment.value },
        ...(plan.blocks !== undefined ? { blocks: plan.blocks } : {}),
        ...(plan.cluster !== undefined ? { cluster: plan.cluster } : {}),
        level: plan.level,
        ...(spec.differentialThreshold !== undefined ? { differentialThreshold: spec.differentialThreshold } : {}),
        ...(spec.lowResponseThreshold !== undefined ? { lowResponseThreshold: spec.lowResponseThreshold } : {}),
      });
      for (const item of a.diagnostics)
        if (item.code !== 'DATA_ROWS_DROPPED') addDiagnostic(builder, { ...item, message: `${outcome.label} (follow-up response): ${item.message}` });
      const r = a.response;
      builder.attrition.push({
        outcome: name,
        responded: a.responded,
        level: a.level,
        response: {
          control: { nAssigned: r.control.nAssigned, nResponded: r.control.nResponded, responseRate: r.control.responseRate },
          treatment: { nAssigned: r.treatment.nAssigned, nResponded: r.treatment.nResponded, responseRate: r.treatment.responseRate },
          overall: r.overall,
          differential: r.attrition.differential,
        },
        difference: { estimate: a.difference.estimate, confLow: a.difference.confLow, confHigh: a.difference.confHigh, pValue: a.difference.pValue, seType: a.difference.seType },
        chiSquare: { statistic: a.chiSquare.statistic, pValue: a.chiSquare.pValue, minExpected: a.chiSquare.minExpected },
        fisherPValue: a.fisher.pValue,
        lee: {
          trimmedArm: a.lee.trimmedArm,
          trimProportion: a.lee.trimProportion,
          lower: a.lee.lower,
          upper: a.lee.upper,
          seLower: a.lee.seLower,
          seUpper: a.lee.seUpper,
          ci: { low: a.lee.ci.low, high: a.lee.ci.high },
          boundsCi: { low: a.lee.boundsCi.low, high: a.lee.boundsCi.high },
          respondentDifference: a.lee.respondentDifference,
          method: a.lee.method,
        },
      });
    } catch (error) {
      if (!(error instanceof TrialkitError)) throw error;
      builder.deviations.push({
        code: 'ATTRITION_NOT_COMPUTED',
        field: 'attrition',
        what: `Follow-up response and Lee bounds for "${outcome.label}" could not be computed: ${error.message}`,
        action: 'Left out of the attrition section.',
      });
    }
  }
}

/** A boot.ci interval as [low, high] (JSON-safe: kept as numbers; ±Infinity stays for the section to print). */
function bounds(value: unknown): readonly [number, number] | null {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number' ? [value[0], value[1]] : null;
}

/**
 * Ratios of ITTs with bootstrap CIs (the plan's `bootstrap`): per ratio, prepareTrial with the numerator as outcome
 * and the denominator as a column (complete cases on both, blocks and cluster as planned), then bootstrapRatio
 * (@trialkit/estimators; resamples rows or whole clusters within block × arm, checked against R boot there).
 */
function buildRatios(builder: Builder): void {
  const { plan } = builder;
  const spec = plan.bootstrap;
  if (spec === undefined) return;
  spec.ratios.forEach((ratio, index) => {
    if (builder.column(ratio.numerator) === undefined || builder.column(ratio.denominator) === undefined) return; // deviation already
    try {
      const trial = prepareTrial(
        builder.data,
        {
          outcome: ratio.numerator,
          assignment: plan.assignment,
          covariates: [ratio.denominator],
          ...(plan.blocks !== undefined ? { blocks: plan.blocks } : {}),
          ...(plan.cluster !== undefined ? { cluster: plan.cluster } : {}),
        },
        { control: plan.arms.control.value, treatment: plan.arms.treatment.value },
      );
      const denominator = trial.covariates.find((c) => c.name === ratio.denominator);
      if (denominator === undefined)
        throw new TrialkitError({
          code: ReportErrorCode.planBadValue,
          argument: `bootstrap.ratios[${index}].denominator`,
          value: ratio.denominator,
          what: `The denominator "${ratio.denominator}" is not a numeric column`,
          hint: 'Use a numeric outcome column such as the 0/1 job outcome.',
        });
      const e = estimators.bootstrapRatio(trial, { denominator, reps: spec.reps, seed: spec.seed, level: plan.level, interval: spec.interval });
      for (const item of e.diagnostics) addDiagnostic(builder, { ...item, message: `${ratio.label}: ${item.message}` });
      const part = (value: unknown): { estimate: number; stdError: number } => {
        const record = (value ?? {}) as Record<string, unknown>;
        return { estimate: Number(record['estimate']), stdError: Number(record['stdError']) };
      };
      builder.ratios.push({
        label: ratio.label,
        ...(ratio.unit !== undefined ? { unit: ratio.unit } : {}),
        numerator: ratio.numerator,
        denominator: ratio.denominator,
        estimate: e.estimate,
        stdError: e.stdError,
        confLow: e.confLow,
        confHigh: e.confHigh,
        level: e.level,
        interval: spec.interval,
        intervals: { bca: bounds(e['bootBca']), percentile: bounds(e['bootPercentile']), normal: bounds(e['bootNormal']), basic: bounds(e['bootBasic']) },
        numeratorItt: part(e['ratioNumerator']),
        denominatorItt: part(e['ratioDenominator']),
        reps: spec.reps,
        seed: String(spec.seed),
        resampledUnit: e['bootUnit'] === 'cluster' ? 'cluster' : 'row',
        nObs: e.nObs,
        denominatorReplicatesCrossingZero: Number(e['denominatorReplicatesCrossingZero'] ?? 0),
        method: typeof e['bootMethod'] === 'string' ? e['bootMethod'] : '',
      });
    } catch (error) {
      if (!(error instanceof TrialkitError)) throw error;
      builder.deviations.push({
        code: 'RATIO_NOT_ESTIMATED',
        field: `bootstrap.ratios[${index}]`,
        what: `“${ratio.label}” could not be estimated: ${error.message}`,
        action: 'Left out of the report.',
      });
    }
  });
}

/** Run the plan on the data and return the report's input. Throws TrialkitError for a plan the data cannot meet. */
export async function buildReport(plan: AnalysisPlan, data: Dataset, options: BuildReportOptions = {}): Promise<ReportInput> {
  const builder = new Builder(plan, data, options);
  const estimate = options.estimate ?? defaultEstimate;
  let estimates = await runEstimates(builder, estimate);
  estimates.push(...(await runSubgroups(builder)));
  estimates = applyMultiplicity(builder, estimates);
  const flow = buildFlow(builder, estimates);
  const balance = buildBalance(builder);
  const distributions = buildDistributions(builder, options.histogramBins ?? 20);
  const compliance = buildCompliance(builder);
  buildAttrition(builder);
  buildRatios(builder);
  const software: SoftwareVersion[] = [...(options.provenance?.software ?? [])];
  const provenance: Provenance = {
    ...(options.provenance ?? {}),
    ...(data.source !== undefined && options.provenance?.dataSha256 === undefined ? { dataSha256: data.source.sha256, dataFile: data.source.path } : {}),
    ...(options.allocationVerification !== undefined ? { allocationVerification: options.allocationVerification } : {}),
    software,
  };
  if (options.allocationVerification?.status === 'failed')
    builder.diagnostics.push(
      diagnostic(
        'REPORT_ALLOCATION_NOT_VERIFIED',
        'warning',
        `The allocation log did not verify: ${options.allocationVerification.detail ?? 'see the provenance section'}. The results assume the data's assignments are the randomised ones.`,
      ),
    );
  const covariates = builder.presentCovariates();
  return {
    title: plan.trial.name,
    ...(plan.trial.subtitle !== undefined ? { subtitle: plan.trial.subtitle } : {}),
    ...(plan.trial.registration !== undefined ? { registration: plan.trial.registration } : {}),
    arms: { control: plan.arms.control.label, treatment: plan.arms.treatment.label },
    outcomes: plan.outcomes.map((outcome) => ({
      name: outcome.column,
      label: outcome.label,
      type: outcome.type,
      primary: outcome.primary,
      ...(outcome.type === 'time-to-event'
        ? (() => {
            const unit = timeUnitOf(outcome);
            return unit !== undefined ? { unit } : {};
          })()
        : outcome.unit !== undefined
          ? { unit: outcome.unit }
          : {}),
    })),
    estimates,
    ...(compliance !== undefined ? { compliance } : {}),
    flow,
    balance,
    distributions,
    ...(builder.survival.length > 0 ? { survival: builder.survival } : {}),
    ...(builder.subgroupTests.length > 0 ? { subgroupTests: builder.subgroupTests } : {}),
    ...(builder.attrition.length > 0 ? { attrition: builder.attrition } : {}),
    ...(builder.ratios.length > 0 ? { ratios: builder.ratios } : {}),
    diagnostics: builder.diagnostics,
    deviations: builder.deviations,
    methods: {
      confidenceLevel: plan.level,
      ...(covariates.length > 0 ? { covariates } : {}),
      ...(plan.blocks !== undefined ? { blocks: plan.blocks } : {}),
      ...(plan.cluster !== undefined ? { cluster: plan.cluster } : {}),
      ...(plan.variance !== undefined ? { varianceType: plan.variance } : {}),
      ...(plan.multiplicity !== 'none' ? { multiplicity: `${plan.multiplicity} adjustment of the secondary outcomes’ ITT p-values (R p.adjust)` } : {}),
      ...(plan.received !== undefined ? { receivedColumn: plan.received } : {}),
      ...(plan.contaminationGroups.length > 0 ? { contaminationGroupColumn: plan.contaminationGroups.join('” and “') } : {}),
      ...(plan.subgroups.length > 0 ? { subgroups: plan.subgroups, minimumSubgroupArmSize: plan.minimumSubgroupArmSize } : {}),
      ...(plan.attrition !== undefined
        ? {
            attrition: {
              differentialThreshold: plan.attrition.differentialThreshold ?? estimators.DEFAULT_DIFFERENTIAL_THRESHOLD,
              lowResponseThreshold: plan.attrition.lowResponseThreshold ?? estimators.DEFAULT_LOW_RESPONSE_THRESHOLD,
            },
          }
        : {}),
      ...(plan.randomisationInference !== undefined
        ? {
            randomisationInference: {
              draws: plan.randomisationInference.draws,
              seed: String(plan.randomisationInference.seed),
              ...(plan.randomisationInference.statistic !== undefined ? { statistic: plan.randomisationInference.statistic } : {}),
            },
          }
        : {}),
      missingData: 'Participants with a missing outcome or a missing covariate are left out of that analysis (complete cases, as R’s na.omit); the flow diagram counts them.',
    },
    provenance,
  };
}
