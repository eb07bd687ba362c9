/** Error codes and messages of @trialkit/survival (one place, as vega-lite keeps log/message.ts). */
import { TrialkitError, formatValue } from '@trialkit/core';

export const SurvivalErrorCode = {
  missingColumn: 'SURVIVAL_MISSING_COLUMN',
  notNumeric: 'SURVIVAL_NOT_NUMERIC',
  lengthMismatch: 'SURVIVAL_LENGTH_MISMATCH',
  negativeTime: 'SURVIVAL_NEGATIVE_TIME',
  badEvent: 'SURVIVAL_BAD_EVENT',
  missingValue: 'SURVIVAL_MISSING_VALUE',
  noRows: 'SURVIVAL_NO_ROWS',
  armCount: 'SURVIVAL_ARM_COUNT',
  unknownArm: 'SURVIVAL_UNKNOWN_ARM',
  armWithoutEvents: 'SURVIVAL_ARM_WITHOUT_EVENTS',
  badHorizon: 'SURVIVAL_BAD_HORIZON',
  badTimes: 'SURVIVAL_BAD_TIMES',
  badConfType: 'SURVIVAL_BAD_CONF_TYPE',
  badLevel: 'SURVIVAL_BAD_LEVEL',
  singularInformation: 'SURVIVAL_SINGULAR_INFORMATION',
} as const;

export type SurvivalErrorCodeValue = (typeof SurvivalErrorCode)[keyof typeof SurvivalErrorCode];

export const survivalErrors = {
  missingColumn(argument: string, column: string, available: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.missingColumn,
      argument,
      value: column,
      what: `There is no column ${formatValue(column)} in the data for ${argument}`,
      hint: `Columns in the data: ${available.map((c) => formatValue(c)).join(', ')}.`,
    });
  },
  notNumeric(argument: string, column: string, row: number, value: unknown): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.notNumeric,
      argument,
      column,
      row,
      value,
      what: `The ${argument === '--time' ? 'time' : 'event'} column must be numeric, but holds ${formatValue(value)}`,
      hint: 'Give follow-up times as numbers (e.g. days since randomisation) and events as 0/1.',
    });
  },
  lengthMismatch(what: string, expected: number, actual: number): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.lengthMismatch,
      value: actual,
      what: `${what} has ${actual} values but the times have ${expected}`,
      hint: 'Give one value per participant, in the same order as the times.',
    });
  },
  negativeTime(row: number, value: number, column?: string): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.negativeTime,
      argument: '--time',
      ...(column === undefined ? {} : { column }),
      row,
      value,
      what: `The follow-up time ${formatValue(value)} is negative or not finite`,
      hint: 'Times are measured from randomisation and must be finite numbers ≥ 0; check how the time was derived.',
    });
  },
  badEvent(row: number, value: unknown, column?: string): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.badEvent,
      argument: '--event',
      ...(column === undefined ? {} : { column }),
      row,
      value,
      what: `The event indicator ${formatValue(value)} is not 0 or 1`,
      hint: 'Code the event (e.g. started a job) as 1 and censoring (still without a job at last follow-up) as 0.',
    });
  },
  missingValue(argument: string, row: number): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.missingValue,
      argument,
      row,
      what: `A value needed by ${argument} is missing`,
      hint: 'The low-level functions take complete data; survivalAnalysis drops incomplete rows with a diagnostic.',
    });
  },
  noRows(dropped: number): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.noRows,
      value: dropped,
      what: dropped > 0 ? `No complete rows remain after dropping ${dropped} with missing values` : 'The data have no rows',
      hint: 'Check that the time, event and assignment columns are filled in.',
    });
  },
  armCount(levels: readonly string[], argument = '--assignment'): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.armCount,
      argument,
      value: levels,
      what: `The assignment must have exactly two arms, but has ${levels.length}: ${levels.map((l) => formatValue(l)).join(', ')}`,
      hint: 'Filter the data to two arms (control and one treatment) before the analysis.',
    });
  },
  unknownArm(label: string, levels: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.unknownArm,
      argument: 'arms',
      value: label,
      what: `The arm ${formatValue(label)} does not occur in the assignment column`,
      hint: `Values present: ${levels.map((l) => formatValue(l)).join(', ')}.`,
    });
  },
  armWithoutEvents(arm: string): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.armWithoutEvents,
      argument: '--event',
      value: arm,
      what: `The arm ${formatValue(arm)} has no events, so its hazard ratio is not estimable (it would be 0 or infinite)`,
      hint: 'Check the event coding (1 = event); with no events in an arm report the Kaplan–Meier curves only.',
    });
  },
  badHorizon(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.badHorizon,
      argument: '--horizon',
      value,
      what: `The horizon ${formatValue(value)} is not a positive finite number`,
      hint: 'Give the horizon in the units of the time column, e.g. 365 for 12 months in days.',
    });
  },
  badTimes(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.badTimes,
      argument: '--times',
      value,
      what: `The report times ${formatValue(value)} are not all finite numbers ≥ 0`,
      hint: 'Give comma-separated times in the units of the time column, e.g. 90,180,365.',
    });
  },
  badConfType(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.badConfType,
      argument: '--conf-type',
      value,
      what: `The confidence interval type ${formatValue(value)} is not one of "log", "log-log", "plain"`,
      hint: 'Use "log" (survfit\'s default), "log-log" or "plain".',
    });
  },
  badLevel(value: unknown): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.badLevel,
      argument: '--level',
      value,
      what: `The confidence level ${formatValue(value)} is not between 0 and 1`,
      hint: 'Give a level such as 0.95 or 0.9.',
    });
  },
  singularInformation(terms: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: SurvivalErrorCode.singularInformation,
      argument: '--covariates',
      value: terms,
      what: 'The Cox model information matrix is singular: a covariate is constant or collinear with others',
      hint: 'Drop constant or collinear covariates.',
    });
  },
};
