/**
 * Error codes and messages of the attrition analysis (src/attrition), in one place. Each says what is wrong with
 * the response data, where (row, column), and what to do.
 */
import { TrialkitError, formatValue } from '@trialkit/core';

export const AttritionErrorCode = {
  respondedNotBinary: 'ATTRITION_RESPONDED_NOT_BINARY',
  respondedMissing: 'ATTRITION_RESPONDED_MISSING',
  respondedIsOutcome: 'ATTRITION_RESPONDED_IS_OUTCOME',
  outcomeForNonResponder: 'ATTRITION_OUTCOME_FOR_NON_RESPONDER',
  missingOutcomeForResponder: 'ATTRITION_MISSING_OUTCOME_FOR_RESPONDER',
  noResponders: 'ATTRITION_NO_RESPONDERS',
  tooFewResponders: 'ATTRITION_TOO_FEW_RESPONDERS',
  nonFiniteOutcome: 'ATTRITION_NON_FINITE_OUTCOME',
  badAssignedCount: 'ATTRITION_BAD_ASSIGNED_COUNT',
  badThreshold: 'ATTRITION_BAD_THRESHOLD',
  badImArgument: 'ATTRITION_BAD_IM_ARGUMENT',
} as const;

export const attritionErrors = {
  respondedNotBinary(column: string, row: number, value: unknown): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.respondedNotBinary,
      argument: '--responded',
      column,
      row,
      value,
      what: `The response indicator must be 0 (did not respond) or 1 (responded) but has ${formatValue(value)}`,
      hint: 'Recode the column to 0/1 (e.g. 1 = completed the follow-up survey), or leave out --responded to count a participant as responding when the outcome is present.',
    });
  },
  respondedMissing(column: string, row: number): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.respondedMissing,
      argument: '--responded',
      column,
      row,
      what: 'The response indicator is missing, so it is not known whether this participant responded',
      hint: 'Every assigned participant needs a response status: code those never reached as 0, or drop the row and report that you did.',
    });
  },
  respondedIsOutcome(column: string): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.respondedIsOutcome,
      argument: '--responded',
      column,
      value: column,
      what: `The response indicator and the outcome are the same column ${formatValue(column)}`,
      hint: 'Name the 0/1 column that records who responded to the follow-up, or leave out --responded to take response as "outcome present".',
    });
  },
  outcomeForNonResponder(outcome: string, responded: string, row: number): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.outcomeForNonResponder,
      argument: '--responded',
      column: outcome,
      row,
      what: `The outcome is present for a participant whose ${formatValue(responded)} is 0 (did not respond)`,
      hint: 'Either the response indicator is wrong (set it to 1) or the outcome is a placeholder (e.g. 0 or "refused") for a missing answer: blank it. Lee bounds need the outcome observed exactly for the responders.',
    });
  },
  missingOutcomeForResponder(outcome: string, responded: string, row: number): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.missingOutcomeForResponder,
      argument: '--responded',
      column: outcome,
      row,
      what: `The outcome is missing for a participant whose ${formatValue(responded)} is 1 (responded)`,
      hint: 'Item non-response among responders is not survey attrition: set the indicator to 0 for those without the outcome, or leave out --responded to take response as "outcome present".',
    });
  },
  noResponders(arm: 'control' | 'treatment', label: string): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.noResponders,
      argument: '--responded',
      value: label,
      what: `No one in the ${arm} arm (${formatValue(label)}) responded, so nothing is known about the outcome in that arm`,
      hint: 'Check the response indicator and the outcome column (were the arms swapped, or the follow-up not yet run in this arm?). Neither an ITT nor Lee bounds can be estimated without responders in both arms.',
    });
  },
  tooFewResponders(arm: 'control' | 'treatment', label: string, count: number): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.tooFewResponders,
      argument: '--responded',
      value: label,
      what: `Only ${count} participant in the ${arm} arm (${formatValue(label)}) responded, so the outcome's variance in that arm cannot be estimated`,
      hint: 'Lee bounds and their standard errors need at least two responders in each arm; report the response rates alone.',
    });
  },
  nonFiniteOutcome(argument: string, index: number): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.nonFiniteOutcome,
      argument,
      row: index,
      what: `${argument} has a missing or non-finite value (the responders' outcomes must all be observed numbers)`,
      hint: 'Pass only the outcomes of responders; attritionAnalysis() separates responders from non-responders for you.',
    });
  },
  badAssignedCount(argument: string, value: number, responders: number): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.badAssignedCount,
      argument,
      value,
      what: `The number assigned (${formatValue(value)}) must be a whole number at least the number of responders (${responders})`,
      hint: 'Give the number randomised to the arm, responders and non-responders together.',
    });
  },
  badImArgument(argument: string, value: unknown): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.badImArgument,
      argument,
      value,
      what: `${argument} must be a finite number of at least 0 for the Imbens–Manski critical value`,
      hint: 'Give the width of the bounds (upper − lower) and the two bounds\' standard errors, as leeBounds() returns them.',
    });
  },
  badThreshold(argument: string, value: unknown): TrialkitError {
    return new TrialkitError({
      code: AttritionErrorCode.badThreshold,
      argument,
      value,
      what: `The threshold ${formatValue(value)} is not a proportion strictly between 0 and 1`,
      hint: 'Give it as a proportion, e.g. 0.05 for five percentage points.',
    });
  },
};
