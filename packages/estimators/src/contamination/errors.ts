/** Error codes and messages of the compliance, contamination, complier and bounds analyses. */
import { TrialkitError, formatValue } from '@trialkit/core';

export const ContaminationErrorCode = {
  noReceived: 'ESTIMATORS_CONTAMINATION_NO_RECEIVED',
  receivedNotBinary: 'ESTIMATORS_CONTAMINATION_RECEIVED_NOT_01',
  assignmentNotBinary: 'ESTIMATORS_CONTAMINATION_ASSIGNMENT_NOT_01',
  armTooSmall: 'ESTIMATORS_CONTAMINATION_ARM_TOO_SMALL',
  noCompliers: 'ESTIMATORS_CONTAMINATION_NO_COMPLIERS',
  badLambda: 'ESTIMATORS_CONTAMINATION_BAD_LAMBDA',
  badGrouping: 'ESTIMATORS_CONTAMINATION_BAD_GROUPING',
  badCovariate: 'ESTIMATORS_CONTAMINATION_BAD_COVARIATE',
  groupTooSmall: 'ESTIMATORS_CONTAMINATION_GROUP_TOO_SMALL',
  lengthMismatch: 'ESTIMATORS_CONTAMINATION_LENGTH_MISMATCH',
  badDraws: 'ESTIMATORS_CONTAMINATION_BAD_DRAWS',
} as const;

export const contaminationErrors = {
  noReceived(): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.noReceived,
      argument: '--received',
      what: 'Compliance, complier and contamination analyses need the treatment actually received, and none was given',
      hint: 'Name the 0/1 column that records who took up the programme with --received (ColumnRoles.received).',
    });
  },
  receivedNotBinary(column: string, value: number, row: number | undefined): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.receivedNotBinary,
      argument: '--received',
      column,
      value,
      ...(row === undefined ? {} : { row }),
      what: `The treatment-received column "${column}" has the value ${formatValue(value)}; it must be 0 (did not take up) or 1 (took up)`,
      hint: 'Recode take-up as 0/1; a dose or hours of support is not a binary take-up indicator.',
    });
  },
  assignmentNotBinary(column: string, value: number, row: number | undefined): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.assignmentNotBinary,
      argument: '--assignment',
      column,
      value,
      ...(row === undefined ? {} : { row }),
      what: `The assignment "${column}" has the value ${formatValue(value)}; prepared assignment must be 0 (control) or 1 (treatment)`,
      hint: 'Prepare the trial with @trialkit/data prepareTrial, which codes the two arms as 0 and 1.',
    });
  },
  armTooSmall(arm: 'treatment' | 'control', n: number, needed: number, what: string): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.armTooSmall,
      argument: '--assignment',
      value: n,
      what: `The ${arm} arm has ${n} participant(s); ${what} needs at least ${needed}`,
      hint: 'Check the assignment column and the arm values; with so few participants these quantities cannot be estimated.',
    });
  },
  noCompliers(complierShare: number): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.noCompliers,
      argument: '--received',
      value: complierShare,
      what: `The estimated complier share P(D=1|Z=1) − P(D=1|Z=0) is ${formatValue(complierShare)}, so complier quantities are undefined`,
      hint: 'Assignment did not change take-up in this sample; check that --received records take-up of the programme.',
    });
  },
  badLambda(value: unknown): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.badLambda,
      argument: 'lambdas',
      value,
      what: `The contamination-effect fraction ${formatValue(value)} is not a finite number`,
      hint: 'Give λ values between 0 (contaminated controls got none of the effect) and 1 (they got all of it).',
    });
  },
  badGrouping(what: string): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.badGrouping,
      argument: '--by',
      what: `The grouping is not usable: ${what}`,
      hint: 'Give one group code (0 … labels.length − 1) per prepared row, as prepareTrial builds for --by.',
    });
  },
  badCovariate(name: string, what: string): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.badCovariate,
      argument: '--covariates',
      column: name,
      what: `The covariate "${name}" cannot be summarised: ${what}`,
      hint: 'Give numeric baseline covariates with one finite value per prepared row.',
    });
  },
  groupTooSmall(group: string, what: string): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.groupTooSmall,
      what: `The ${group} group is empty or too small: ${what}`,
      hint: 'These quantities need participants in that group; report them as not estimable for this trial.',
    });
  },
  badDraws(value: unknown): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.badDraws,
      argument: 'draws',
      value,
      what: `The number of bootstrap draws ${formatValue(value)} is not a whole number of at least 100`,
      hint: 'Use 2000 draws or more for 95% intervals.',
    });
  },
  lengthMismatch(what: string, expected: number, actual: number): TrialkitError {
    return new TrialkitError({
      code: ContaminationErrorCode.lengthMismatch,
      value: actual,
      what: `${what} has ${actual} values but the trial has ${expected} rows`,
      hint: 'Pass columns taken from the same prepared trial.',
    });
  },
};
