/**
 * The analysis plan (`plan.json`): what the report must run, written before the data are seen.
 *
 *   text ──JSON.parse──► unknown ──parsePlan (field-precise TrialkitErrors)──► AnalysisPlan
 *   AnalysisPlan + Dataset ──checkPlanColumns──► errors for columns the analysis cannot run without,
 *                                               deviations for the rest (build.ts records them)
 *
 * Every error names the field as a path (`outcomes[1].type`), the value found and what is allowed; unknown fields
 * are refused with the closest known name, so a typo never silently drops a pre-specified analysis.
 */
import { readFile } from 'node:fs/promises';
import { TrialkitError, formatValue } from '@trialkit/core';
import { closestName } from '@trialkit/data';
import { P_ADJUST_METHODS, type PAdjustMethod } from '@trialkit/estimators';
import { ReportErrorCode } from './errors.js';
import type { OutcomeType, Registration } from './types.js';

export const ESTIMANDS = ['ITT', 'CACE'] as const;
export type PlanEstimand = (typeof ESTIMANDS)[number];
export const OUTCOME_TYPES: readonly OutcomeType[] = ['binary', 'continuous', 'time-to-event'];
export const VARIANCE_TYPES = ['classical', 'HC0', 'HC1', 'HC2', 'HC3', 'CR0', 'CR2', 'stata'] as const;
/** The p.adjust methods of @trialkit/estimators (R's names). */
export const MULTIPLICITY_METHODS = P_ADJUST_METHODS;
export type MultiplicityMethod = PAdjustMethod;

export interface ArmPlan {
  /** The value of the assignment column for this arm, as written in the data. */
  readonly value: string;
  readonly label: string;
}

export interface OutcomePlan {
  readonly column: string;
  readonly label: string;
  readonly type: OutcomeType;
  readonly primary: boolean;
  readonly estimands: readonly PlanEstimand[];
  readonly unit?: string;
  /** Time-to-event outcomes: the event indicator column. */
  readonly event?: string;
  /** Time-to-event outcomes: the horizon τ of the RMST and cumulative-incidence differences (outcome's time unit). */
  readonly horizon?: number;
  /** Time-to-event outcomes: the times of the number-at-risk table under the Kaplan–Meier chart (increasing). */
  readonly times?: readonly number[];
}

/** Randomisation inference for each outcome's ITT (estimate()'s `ri`): the p-value of the sharp null of no effect. */
export interface RandomisationInferencePlan {
  /** Redraws of the assignment; when the design has at most this many possible assignments, all are enumerated (exact). */
  readonly draws: number;
  /** Seed of core's PRNG: a whole number (0 … 2^53 − 1, or digits up to 2^64 − 1 as text) or any other text. */
  readonly seed: number | string;
  /** The randomisation test statistic; default the difference in means (the ITT estimate). */
  readonly statistic?: (typeof RI_STATISTICS)[number];
}

export const RI_STATISTICS = ['difference-in-means', 't'] as const;

/** A ratio of two ITTs with a bootstrap CI, e.g. cost per additional job outcome = ITT(cost) / ITT(job). */
export interface RatioPlan {
  readonly label: string;
  /** Numerator column (e.g. cost per participant). */
  readonly numerator: string;
  /** Denominator column (e.g. the 0/1 job outcome). */
  readonly denominator: string;
  /** Unit of the ratio, e.g. "£" (per additional outcome). */
  readonly unit?: string;
}

/** Bootstrap CIs (@trialkit/estimators bootstrapRatio): seeded resampling of rows or clusters within block × arm. */
export interface BootstrapPlan {
  readonly reps: number;
  readonly seed: number | string;
  /** The interval reported as the CI; default "bca" (all four are in the table's notes). */
  readonly interval: (typeof BOOT_INTERVAL_NAMES)[number];
  readonly ratios: readonly RatioPlan[];
}

export const BOOT_INTERVAL_NAMES = ['bca', 'percentile', 'normal', 'basic'] as const;
/** The most bootstrap replicates a plan may ask for (@trialkit/estimators refuses more than 10⁷). */
export const MAX_BOOT_REPS = 10_000_000;

/** Survey attrition (@trialkit/estimators attritionAnalysis): response by arm, its tests, and Lee (2009) bounds. */
export interface AttritionPlan {
  /** 0/1 column: 1 = responded to the follow-up survey. Absent: response = the outcome is present. */
  readonly responded?: string;
  /** Outcome columns measured by the survey; default: the binary and continuous primary outcomes. */
  readonly outcomes: readonly string[];
  /** Flag differential attrition above this difference in response rates (default 0.05). */
  readonly differentialThreshold?: number;
  /** Flag overall response below this (default 0.7). */
  readonly lowResponseThreshold?: number;
}
/** The most draws a plan may ask for (@trialkit/estimators refuses more than 10⁸). */
export const MAX_RI_DRAWS = 100_000_000;

export interface AnalysisPlan {
  readonly version: 1;
  readonly trial: { readonly name: string; readonly subtitle?: string; readonly registration?: Registration };
  readonly assignment: string;
  readonly arms: { readonly control: ArmPlan; readonly treatment: ArmPlan };
  readonly outcomes: readonly OutcomePlan[];
  readonly covariates: readonly string[];
  /** Baseline characteristics for the balance table; default: the covariates. */
  readonly balance: readonly string[];
  readonly blocks?: string;
  readonly cluster?: string;
  readonly variance?: (typeof VARIANCE_TYPES)[number];
  readonly level: number;
  readonly multiplicity: MultiplicityMethod;
  readonly subgroups: readonly string[];
  /** A subgroup level with fewer participants than this in either arm is not estimated (a deviation). */
  readonly minimumSubgroupArmSize: number;
  readonly received?: string;
  /** Columns to break take-up and contamination down by, e.g. ["office", "month"]. */
  readonly contaminationGroups: readonly string[];
  readonly id?: string;
  /** Enrolment before randomisation, for the flow diagram (not in the trial data). */
  readonly screening?: { readonly assessed: number; readonly excluded: readonly { readonly reason: string; readonly n: number }[] };
  /** Randomisation p-values for the ITT of every outcome estimated by estimate() (not time-to-event). */
  readonly randomisationInference?: RandomisationInferencePlan;
  /** Survey attrition and Lee bounds for the outcomes a follow-up survey measured. */
  readonly attrition?: AttritionPlan;
  /** Bootstrap CIs for ratios of ITTs (cost per additional job outcome). */
  readonly bootstrap?: BootstrapPlan;
}

const TOP_LEVEL_FIELDS = [
  'version',
  'trial',
  'assignment',
  'arms',
  'outcomes',
  'covariates',
  'balance',
  'blocks',
  'cluster',
  'variance',
  'level',
  'multiplicity',
  'subgroups',
  'minimumSubgroupArmSize',
  'received',
  'contaminationGroups',
  'id',
  'screening',
  'randomisationInference',
  'attrition',
  'bootstrap',
  '$schema',
  'notes',
] as const;

class PlanReader {
  constructor(private readonly file: string | undefined) {}

  error(code: string, field: string, value: unknown, what: string, hint: string): TrialkitError {
    return new TrialkitError({ code, argument: field, value, what: `Plan field ${field}: ${what}`, hint, ...(this.file !== undefined ? { file: this.file } : {}) });
  }

  missing(field: string, hint: string): TrialkitError {
    return this.error(ReportErrorCode.planMissingField, field, undefined, 'is required but missing', hint);
  }

  wrongType(field: string, value: unknown, expected: string): TrialkitError {
    const found = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return this.error(ReportErrorCode.planWrongType, field, value, `expected ${expected}, found ${found} ${formatValue(value)}`, `Write ${field} as ${expected}.`);
  }

  badValue(field: string, value: unknown, allowed: string): TrialkitError {
    return this.error(ReportErrorCode.planBadValue, field, value, `${formatValue(value)} is not allowed`, `Use ${allowed}.`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.wrongType(field, value, 'an object ({…})');
    return value as Record<string, unknown>;
  }

  onlyKnownFields(record: Record<string, unknown>, known: readonly string[], field: string): void {
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const closest = closestName(key, known);
      throw this.error(
        ReportErrorCode.planUnknownField,
        field === '' ? key : `${field}.${key}`,
        key,
        'is not a plan field',
        closest !== undefined ? `Did you mean "${closest}"? Known fields: ${known.join(', ')}.` : `Known fields: ${known.join(', ')}.`,
      );
    }
  }

  string(record: Record<string, unknown>, key: string, field: string, hint: string): string {
    const value = record[key];
    if (value === undefined) throw this.missing(field, hint);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') throw this.wrongType(field, value, 'text');
    if (value.trim() === '') throw this.badValue(field, value, 'non-empty text');
    return value;
  }

  optionalString(record: Record<string, unknown>, key: string, field: string): string | undefined {
    if (record[key] === undefined || record[key] === null) return undefined;
    return this.string(record, key, field, '');
  }

  stringList(record: Record<string, unknown>, key: string, field: string): string[] {
    const value = record[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw this.wrongType(field, value, 'a list of column names (["age", "sex"])');
    const seen = new Set<string>();
    return value.map((item, index) => {
      if (typeof item !== 'string' || item.trim() === '') throw this.wrongType(`${field}[${index}]`, item, 'a column name (text)');
      if (seen.has(item))
        throw this.error(ReportErrorCode.planDuplicate, `${field}[${index}]`, item, `"${item}" is listed twice`, 'List each column once.');
      seen.add(item);
      return item;
    });
  }

  choice<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (typeof value !== 'string') throw this.wrongType(field, value, `one of ${allowed.join(', ')}`);
    const exact = allowed.find((option) => option === value);
    if (exact !== undefined) return exact;
    const caseless = allowed.find((option) => option.toLowerCase() === value.toLowerCase());
    if (caseless !== undefined) return caseless;
    throw this.badValue(field, value, `one of ${allowed.join(', ')}`);
  }
}

function readArm(reader: PlanReader, value: unknown, field: string): ArmPlan {
  const record = reader.object(value, field);
  reader.onlyKnownFields(record, ['value', 'label'], field);
  const armValue = reader.string(record, 'value', `${field}.value`, `Give the value of the assignment column that means this arm, e.g. "0".`);
  const label = reader.optionalString(record, 'label', `${field}.label`) ?? armValue;
  return { value: armValue, label };
}

function readOutcome(reader: PlanReader, value: unknown, field: string, receivedGiven: boolean): OutcomePlan {
  const record = reader.object(value, field);
  reader.onlyKnownFields(record, ['column', 'label', 'type', 'primary', 'estimands', 'unit', 'event', 'horizon', 'times'], field);
  const column = reader.string(record, 'column', `${field}.column`, 'Name the outcome column in the data.');
  if (record['type'] === undefined) throw reader.missing(`${field}.type`, `Give the outcome type: ${OUTCOME_TYPES.join(', ')}.`);
  const type = reader.choice(record['type'], `${field}.type`, OUTCOME_TYPES);
  const primaryValue = record['primary'] ?? false;
  if (typeof primaryValue !== 'boolean') throw reader.wrongType(`${field}.primary`, primaryValue, 'true or false');
  let estimands: PlanEstimand[] = ['ITT'];
  if (record['estimands'] !== undefined) {
    if (!Array.isArray(record['estimands']) || record['estimands'].length === 0)
      throw reader.wrongType(`${field}.estimands`, record['estimands'], `a non-empty list of ${ESTIMANDS.join(', ')}`);
    estimands = (record['estimands'] as unknown[]).map((item, index) => reader.choice(item, `${field}.estimands[${index}]`, ESTIMANDS));
    if (new Set(estimands).size !== estimands.length)
      throw reader.badValue(`${field}.estimands`, record['estimands'], 'each estimand once');
  }
  if (estimands.includes('CACE') && !receivedGiven)
    throw reader.error(
      ReportErrorCode.planMissingField,
      'received',
      undefined,
      `is missing, but ${field}.estimands asks for the CACE, which needs the treatment-received column`,
      'Add "received": "<column>" (0/1: did the participant get the programme?) or drop "CACE".',
    );
  const unit = reader.optionalString(record, 'unit', `${field}.unit`);
  const event = reader.optionalString(record, 'event', `${field}.event`);
  if (type === 'time-to-event' && event === undefined) throw reader.missing(`${field}.event`, 'A time-to-event outcome needs its event indicator column (1 = event, 0 = censored).');
  const { horizon, times } = readTimeToEventFields(reader, record, field, type);
  return {
    column,
    label: reader.optionalString(record, 'label', `${field}.label`) ?? column,
    type,
    primary: primaryValue,
    estimands,
    ...(unit !== undefined ? { unit } : {}),
    ...(event !== undefined ? { event } : {}),
    ...(horizon !== undefined ? { horizon } : {}),
    ...(times !== undefined ? { times } : {}),
  };
}

/** `horizon` (> 0) and `times` (≥ 0, strictly increasing) of a time-to-event outcome; refused on other types. */
function readTimeToEventFields(
  reader: PlanReader,
  record: Record<string, unknown>,
  field: string,
  type: OutcomeType,
): { horizon?: number; times?: number[] } {
  for (const key of ['horizon', 'times'] as const)
    if (record[key] !== undefined && type !== 'time-to-event')
      throw reader.badValue(`${field}.${key}`, record[key], `"${key}" only on a time-to-event outcome (this one is ${type}); remove it`);
  let horizon: number | undefined;
  const rawHorizon = record['horizon'];
  if (rawHorizon !== undefined && rawHorizon !== null) {
    if (typeof rawHorizon !== 'number') throw reader.wrongType(`${field}.horizon`, rawHorizon, 'a number of time units, such as 365');
    if (!(Number.isFinite(rawHorizon) && rawHorizon > 0))
      throw reader.badValue(`${field}.horizon`, rawHorizon, 'a positive number in the outcome’s time unit, such as 365 (days)');
    horizon = rawHorizon;
  }
  let times: number[] | undefined;
  const rawTimes = record['times'];
  if (rawTimes !== undefined && rawTimes !== null) {
    if (!Array.isArray(rawTimes) || rawTimes.length === 0) throw reader.wrongType(`${field}.times`, rawTimes, 'a non-empty list of times, such as [90, 180, 365]');
    times = rawTimes.map((item: unknown, index: number) => {
      if (typeof item !== 'number') throw reader.wrongType(`${field}.times[${index}]`, item, 'a number');
      if (!(Number.isFinite(item) && item >= 0)) throw reader.badValue(`${field}.times[${index}]`, item, 'a time of 0 or more');
      if (index > 0 && !(item > (rawTimes[index - 1] as number)))
        throw reader.badValue(`${field}.times[${index}]`, item, `times in increasing order (this one follows ${String(rawTimes[index - 1])})`);
      return item;
    });
  }
  return { ...(horizon !== undefined ? { horizon } : {}), ...(times !== undefined ? { times } : {}) };
}

/** A seed for core's createRng: a whole number 0 … 2^53 − 1, digits up to 2^64 − 1 as text, or other text; required. */
function readSeed(reader: PlanReader, record: Record<string, unknown>, field: string, what: string): number | string {
  const seed = record['seed'];
  if (seed === undefined || seed === null)
    throw reader.missing(`${field}.seed`, `Give a seed so that the ${what} can be reproduced, e.g. "seed": 20261206 or "seed": "whp-primary-analysis".`);
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw reader.badValue(`${field}.seed`, seed, 'a whole number from 0 to 9007199254740991, or text such as "whp-primary-analysis"');
  } else if (typeof seed === 'string') {
    if (seed.trim() === '') throw reader.badValue(`${field}.seed`, seed, 'non-empty text or a whole number');
    if (/^[0-9]+$/.test(seed) && BigInt(seed) > 0xffffffffffffffffn)
      throw reader.badValue(`${field}.seed`, seed, 'a number of at most 18446744073709551615 (2^64 − 1), or text that is not all digits');
  } else throw reader.wrongType(`${field}.seed`, seed, 'a whole number or text');
  return seed;
}

/**
 * `bootstrap`: reps (whole, 2 … 10⁷, and enough for the level: (reps + 1)(1 − level)/2 ≥ 5), seed (required),
 * interval, ratios [{label?, numerator, denominator, unit?}] (columns; numerator ≠ denominator ≠ assignment).
 */
function readBootstrap(reader: PlanReader, value: unknown, level: number, assignment: string): BootstrapPlan {
  const field = 'bootstrap';
  const record = reader.object(value, field);
  reader.onlyKnownFields(record, ['reps', 'seed', 'interval', 'ratios'], field);
  const reps = record['reps'];
  if (reps === undefined || reps === null) throw reader.missing(`${field}.reps`, 'Give the number of bootstrap replicates, e.g. "reps": 2000.');
  if (typeof reps !== 'number') throw reader.wrongType(`${field}.reps`, reps, 'a whole number such as 2000');
  if (!Number.isInteger(reps) || reps < 2 || reps > MAX_BOOT_REPS)
    throw reader.badValue(`${field}.reps`, reps, `a whole number of replicates from 2 to ${MAX_BOOT_REPS.toLocaleString('en-GB')}, such as 2000`);
  // boot.ci's order statistics need (R + 1)(1 − level)/2 ≥ 5 in each tail (the library refuses fewer).
  const needed = Math.ceil(10 / (1 - level)) - 1;
  if ((reps + 1) * ((1 - level) / 2) < 5 - 1e-9)
    throw reader.badValue(`${field}.reps`, reps, `at least ${needed.toLocaleString('en-GB')} replicates for ${Math.round(level * 1000) / 10}% intervals (five replicates beyond each end), e.g. 2000`);
  const seed = readSeed(reader, record, field, 'intervals');
  const interval = record['interval'] === undefined || record['interval'] === null ? 'bca' : reader.choice(record['interval'], `${field}.interval`, BOOT_INTERVAL_NAMES);
  const rawRatios = record['ratios'];
  if (rawRatios === undefined || rawRatios === null)
    throw reader.missing(`${field}.ratios`, 'List the ratios, e.g. "ratios": [{"label": "Cost per additional job outcome", "numerator": "cost", "denominator": "job13", "unit": "£"}].');
  if (!Array.isArray(rawRatios) || rawRatios.length === 0) throw reader.wrongType(`${field}.ratios`, rawRatios, 'a non-empty list of {"numerator": "cost", "denominator": "job13"}');
  const ratios = rawRatios.map((item: unknown, index: number): RatioPlan => {
    const path = `${field}.ratios[${index}]`;
    const entry = reader.object(item, path);
    reader.onlyKnownFields(entry, ['label', 'numerator', 'denominator', 'unit'], path);
    const numerator = reader.string(entry, 'numerator', `${path}.numerator`, 'Name the numerator column, e.g. "cost".');
    const denominator = reader.string(entry, 'denominator', `${path}.denominator`, 'Name the denominator column, e.g. the job outcome "job13".');
    if (denominator === numerator) throw reader.badValue(`${path}.denominator`, denominator, 'a column other than the numerator');
    for (const [key, name] of [['numerator', numerator], ['denominator', denominator]] as const)
      if (name === assignment) throw reader.badValue(`${path}.${key}`, name, 'an outcome column, not the assignment');
    const unit = reader.optionalString(entry, 'unit', `${path}.unit`);
    const label = reader.optionalString(entry, 'label', `${path}.label`) ?? `${numerator} per additional ${denominator}`;
    return { label, numerator, denominator, ...(unit !== undefined ? { unit } : {}) };
  });
  return { reps, seed, interval, ratios };
}

/** `randomisationInference`: draws (whole number 1 … 10⁸), seed (whole number or text; required), statistic. */
function readRandomisationInference(reader: PlanReader, value: unknown): RandomisationInferencePlan {
  const field = 'randomisationInference';
  const record = reader.object(value, field);
  reader.onlyKnownFields(record, ['draws', 'seed', 'statistic'], field);
  const draws = record['draws'];
  if (draws === undefined || draws === null)
    throw reader.missing(`${field}.draws`, 'Give the number of redraws of the assignment, e.g. "draws": 10000 (the Monte Carlo error of a p-value near 0.05 is then about 0.002).');
  if (typeof draws !== 'number') throw reader.wrongType(`${field}.draws`, draws, 'a whole number such as 10000');
  if (!Number.isInteger(draws) || draws < 1 || draws > MAX_RI_DRAWS)
    throw reader.badValue(`${field}.draws`, draws, `a whole number of draws from 1 to ${MAX_RI_DRAWS.toLocaleString('en-GB')}, such as 10000`);
  const seed = readSeed(reader, record, field, 'p-values');
  const statistic = record['statistic'] === undefined || record['statistic'] === null ? undefined : reader.choice(record['statistic'], `${field}.statistic`, RI_STATISTICS);
  return { draws, seed, ...(statistic !== undefined ? { statistic } : {}) };
}

/** `attrition`: responded (column), outcomes (plan outcomes, not time-to-event), thresholds in (0, 1). */
function readAttrition(reader: PlanReader, value: unknown, outcomes: readonly OutcomePlan[]): AttritionPlan {
  const field = 'attrition';
  const record = reader.object(value, field);
  reader.onlyKnownFields(record, ['responded', 'outcomes', 'differentialThreshold', 'lowResponseThreshold'], field);
  const responded = reader.optionalString(record, 'responded', `${field}.responded`);
  let names = reader.stringList(record, 'outcomes', `${field}.outcomes`);
  names.forEach((name, index) => {
    const outcome = outcomes.find((o) => o.column === name);
    if (outcome === undefined)
      throw reader.badValue(`${field}.outcomes[${index}]`, name, `one of the plan's outcome columns (${outcomes.map((o) => o.column).join(', ')})`);
    if (outcome.type === 'time-to-event')
      throw reader.badValue(`${field}.outcomes[${index}]`, name, 'a binary or continuous outcome (a time-to-event outcome is censored, not missing: its follow-up is in the Kaplan–Meier analysis)');
  });
  if (names.length === 0) names = outcomes.filter((o) => o.primary && o.type !== 'time-to-event').map((o) => o.column);
  if (names.length === 0)
    throw reader.error(ReportErrorCode.planMissingField, `${field}.outcomes`, undefined, 'is empty and no primary outcome is binary or continuous', 'List the survey-measured outcome columns, e.g. "outcomes": ["earnings12"].');
  if (responded !== undefined && names.includes(responded))
    throw reader.badValue(`${field}.responded`, responded, 'a response indicator column other than the outcome (or leave it out: response = the outcome is present)');
  const threshold = (key: 'differentialThreshold' | 'lowResponseThreshold', example: string): number | undefined => {
    const raw = record[key];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'number') throw reader.wrongType(`${field}.${key}`, raw, `a proportion such as ${example}`);
    if (!(raw > 0 && raw < 1)) throw reader.badValue(`${field}.${key}`, raw, `a proportion between 0 and 1, such as ${example}`);
    return raw;
  };
  const differentialThreshold = threshold('differentialThreshold', '0.05');
  const lowResponseThreshold = threshold('lowResponseThreshold', '0.7');
  return {
    ...(responded !== undefined ? { responded } : {}),
    outcomes: names,
    ...(differentialThreshold !== undefined ? { differentialThreshold } : {}),
    ...(lowResponseThreshold !== undefined ? { lowResponseThreshold } : {}),
  };
}

/** Validate a parsed plan. `file` is named in errors. */
export function parsePlan(value: unknown, file?: string): AnalysisPlan {
  const reader = new PlanReader(file);
  const root = reader.object(value, '(plan)');
  reader.onlyKnownFields(root, TOP_LEVEL_FIELDS, '');
  const version = root['version'] ?? 1;
  if (version !== 1) throw reader.badValue('version', version, '1 (the only plan version so far)');

  if (root['trial'] === undefined) throw reader.missing('trial', 'Give "trial": {"name": "…", "registration": {"id": "ISRCTN…"}}.');
  const trialRecord = reader.object(root['trial'], 'trial');
  reader.onlyKnownFields(trialRecord, ['name', 'subtitle', 'registration'], 'trial');
  const name = reader.string(trialRecord, 'name', 'trial.name', 'Give the trial’s name.');
  const subtitle = reader.optionalString(trialRecord, 'subtitle', 'trial.subtitle');
  let registration: Registration | undefined;
  if (trialRecord['registration'] !== undefined) {
    const raw = trialRecord['registration'];
    if (typeof raw === 'string') registration = { id: reader.string(trialRecord, 'registration', 'trial.registration', '') };
    else {
      const record = reader.object(raw, 'trial.registration');
      reader.onlyKnownFields(record, ['id', 'registry', 'url', 'date'], 'trial.registration');
      const registry = reader.optionalString(record, 'registry', 'trial.registration.registry');
      const url = reader.optionalString(record, 'url', 'trial.registration.url');
      const date = reader.optionalString(record, 'date', 'trial.registration.date');
      registration = {
        id: reader.string(record, 'id', 'trial.registration.id', 'Give the registration id, e.g. "ISRCTN12345678".'),
        ...(registry !== undefined ? { registry } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(date !== undefined ? { date } : {}),
      };
    }
  }

  const assignment = reader.string(root, 'assignment', 'assignment', 'Name the random-assignment column.');
  if (root['arms'] === undefined) throw reader.missing('arms', 'Give "arms": {"control": {"value": "0", "label": "…"}, "treatment": {"value": "1", "label": "…"}}.');
  const armsRecord = reader.object(root['arms'], 'arms');
  reader.onlyKnownFields(armsRecord, ['control', 'treatment'], 'arms');
  if (armsRecord['control'] === undefined) throw reader.missing('arms.control', 'Give the control arm’s value and label.');
  if (armsRecord['treatment'] === undefined) throw reader.missing('arms.treatment', 'Give the treatment arm’s value and label.');
  const control = readArm(reader, armsRecord['control'], 'arms.control');
  const treatment = readArm(reader, armsRecord['treatment'], 'arms.treatment');
  if (control.value === treatment.value) throw reader.badValue('arms.treatment.value', treatment.value, 'a value different from the control arm’s');

  const received = reader.optionalString(root, 'received', 'received');
  if (root['outcomes'] === undefined) throw reader.missing('outcomes', 'List at least one outcome: [{"column": "job13", "type": "binary", "primary": true}].');
  if (!Array.isArray(root['outcomes']) || root['outcomes'].length === 0)
    throw reader.wrongType('outcomes', root['outcomes'], 'a non-empty list of outcomes');
  const outcomes = (root['outcomes'] as unknown[]).map((item, index) => readOutcome(reader, item, `outcomes[${index}]`, received !== undefined));
  const columns = new Set<string>();
  outcomes.forEach((outcome, index) => {
    if (columns.has(outcome.column))
      throw reader.error(ReportErrorCode.planDuplicate, `outcomes[${index}].column`, outcome.column, `"${outcome.column}" is listed twice`, 'List each outcome once; give it every estimand it needs.');
    columns.add(outcome.column);
  });
  if (!outcomes.some((outcome) => outcome.primary))
    throw reader.error(ReportErrorCode.planMissingField, 'outcomes', undefined, 'no outcome is marked "primary": true', 'Mark the primary outcome(s) with "primary": true.');

  const covariates = reader.stringList(root, 'covariates', 'covariates');
  const balance = root['balance'] === undefined ? covariates : reader.stringList(root, 'balance', 'balance');
  const level = root['level'] ?? 0.95;
  if (typeof level !== 'number') throw reader.wrongType('level', level, 'a number such as 0.95');
  if (!(level > 0 && level < 1)) throw reader.badValue('level', level, 'a confidence level between 0 and 1, such as 0.95');
  const variance = root['variance'] === undefined ? undefined : reader.choice(root['variance'], 'variance', VARIANCE_TYPES);
  const multiplicity = root['multiplicity'] === undefined ? 'none' : reader.choice(root['multiplicity'], 'multiplicity', MULTIPLICITY_METHODS);
  const minimum = root['minimumSubgroupArmSize'] ?? 30;
  if (typeof minimum !== 'number') throw reader.wrongType('minimumSubgroupArmSize', minimum, 'a whole number');
  if (!Number.isInteger(minimum) || minimum < 2) throw reader.badValue('minimumSubgroupArmSize', minimum, 'a whole number of at least 2');
  const blocks = reader.optionalString(root, 'blocks', 'blocks');
  const cluster = reader.optionalString(root, 'cluster', 'cluster');
  const id = reader.optionalString(root, 'id', 'id');
  let screening: AnalysisPlan['screening'];
  if (root['screening'] !== undefined) {
    const record = reader.object(root['screening'], 'screening');
    reader.onlyKnownFields(record, ['assessed', 'excluded'], 'screening');
    const assessed = record['assessed'];
    if (assessed === undefined) throw reader.missing('screening.assessed', 'Give the number assessed for eligibility.');
    if (typeof assessed !== 'number') throw reader.wrongType('screening.assessed', assessed, 'a whole number');
    if (!Number.isInteger(assessed) || assessed < 0) throw reader.badValue('screening.assessed', assessed, 'a whole number of people');
    const excludedRaw = record['excluded'] ?? [];
    if (!Array.isArray(excludedRaw)) throw reader.wrongType('screening.excluded', excludedRaw, 'a list of {"reason": "…", "n": 12}');
    const excluded = excludedRaw.map((item, index) => {
      const field = `screening.excluded[${index}]`;
      const entry = reader.object(item, field);
      reader.onlyKnownFields(entry, ['reason', 'n'], field);
      const reason = reader.string(entry, 'reason', `${field}.reason`, 'Say why they were excluded.');
      const n = entry['n'];
      if (typeof n !== 'number') throw reader.wrongType(`${field}.n`, n, 'a whole number');
      if (!Number.isInteger(n) || n < 0) throw reader.badValue(`${field}.n`, n, 'a whole number of people');
      return { reason, n };
    });
    screening = { assessed, excluded };
  }
  const bootstrap = root['bootstrap'] === undefined || root['bootstrap'] === null ? undefined : readBootstrap(reader, root['bootstrap'], level, assignment);
  const attrition = root['attrition'] === undefined || root['attrition'] === null ? undefined : readAttrition(reader, root['attrition'], outcomes);
  const randomisationInference =
    root['randomisationInference'] === undefined || root['randomisationInference'] === null ? undefined : readRandomisationInference(reader, root['randomisationInference']);
  if (cluster !== undefined && variance !== undefined && !['CR0', 'CR2', 'stata'].includes(variance))
    throw reader.badValue('variance', variance, 'a cluster-robust variance (CR0, CR2 or stata) when the plan names a cluster');
  return {
    version: 1,
    trial: { name, ...(subtitle !== undefined ? { subtitle } : {}), ...(registration !== undefined ? { registration } : {}) },
    assignment,
    arms: { control, treatment },
    outcomes,
    covariates,
    balance,
    ...(blocks !== undefined ? { blocks } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
    ...(variance !== undefined ? { variance } : {}),
    level,
    multiplicity,
    subgroups: reader.stringList(root, 'subgroups', 'subgroups'),
    minimumSubgroupArmSize: minimum,
    ...(received !== undefined ? { received } : {}),
    contaminationGroups: reader.stringList(root, 'contaminationGroups', 'contaminationGroups'),
    ...(id !== undefined ? { id } : {}),
    ...(screening !== undefined ? { screening } : {}),
    ...(randomisationInference !== undefined ? { randomisationInference } : {}),
    ...(attrition !== undefined ? { attrition } : {}),
    ...(bootstrap !== undefined ? { bootstrap } : {}),
  };
}

/** Parse plan text (JSON). A syntax error names the line and column. */
export function parsePlanText(text: string, file?: string): AnalysisPlan {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position !== null) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset).split('\n');
      where = ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    }
    throw new TrialkitError({
      code: ReportErrorCode.planNotJson,
      argument: '--plan',
      what: `The plan is not valid JSON${where}: ${message}`,
      hint: 'Check for a missing comma or quote, or a trailing comma.',
      ...(file !== undefined ? { file } : {}),
    });
  }
  return parsePlan(value, file);
}

export async function readPlan(path: string): Promise<{ plan: AnalysisPlan; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TrialkitError({
      code: ReportErrorCode.planUnreadable,
      argument: '--plan',
      value: path,
      what: `Cannot read the plan file: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'Check the path.',
      file: path,
    });
  }
  return { plan: parsePlanText(text, path), text };
}

/** Every column the plan names, with the field that names it and whether the analysis can run without it. */
export function planColumns(plan: AnalysisPlan): { column: string; field: string; required: boolean }[] {
  const out: { column: string; field: string; required: boolean }[] = [{ column: plan.assignment, field: 'assignment', required: true }];
  plan.outcomes.forEach((outcome, index) => {
    out.push({ column: outcome.column, field: `outcomes[${index}].column`, required: outcome.primary });
    if (outcome.event !== undefined) out.push({ column: outcome.event, field: `outcomes[${index}].event`, required: outcome.primary });
  });
  if (plan.received !== undefined) out.push({ column: plan.received, field: 'received', required: true });
  if (plan.blocks !== undefined) out.push({ column: plan.blocks, field: 'blocks', required: true });
  if (plan.cluster !== undefined) out.push({ column: plan.cluster, field: 'cluster', required: true });
  if (plan.id !== undefined) out.push({ column: plan.id, field: 'id', required: false });
  plan.covariates.forEach((column, index) => out.push({ column, field: `covariates[${index}]`, required: false }));
  plan.balance.forEach((column, index) => out.push({ column, field: `balance[${index}]`, required: false }));
  plan.subgroups.forEach((column, index) => out.push({ column, field: `subgroups[${index}]`, required: false }));
  plan.contaminationGroups.forEach((column, index) => out.push({ column, field: `contaminationGroups[${index}]`, required: false }));
  if (plan.attrition?.responded !== undefined) out.push({ column: plan.attrition.responded, field: 'attrition.responded', required: false });
  plan.bootstrap?.ratios.forEach((ratio, index) => {
    out.push({ column: ratio.numerator, field: `bootstrap.ratios[${index}].numerator`, required: false });
    out.push({ column: ratio.denominator, field: `bootstrap.ratios[${index}].denominator`, required: false });
  });
  return out;
}
