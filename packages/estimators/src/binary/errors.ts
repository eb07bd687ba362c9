/** Error codes and messages of the binary-outcome measures (risk ratio, odds ratio, Newcombe interval). */
import { TrialkitError, coreErrors, formatValue } from '@trialkit/core';

export const BinaryErrorCode = {
  outcomeNotBinary: 'ESTIMATORS_BINARY_OUTCOME_NOT_01',
  emptyArm: 'ESTIMATORS_BINARY_EMPTY_ARM',
  badCounts: 'ESTIMATORS_BINARY_BAD_COUNTS',
} as const;

export const binaryErrors = {
  outcomeNotBinary(outcome: string, value: number, row: number | undefined): TrialkitError {
    return new TrialkitError({
      code: BinaryErrorCode.outcomeNotBinary,
      argument: '--measure',
      column: outcome,
      value,
      ...(row === undefined ? {} : { row }),
      what: `The outcome "${outcome}" has the value ${formatValue(value)}, but risk ratios, odds ratios, the Newcombe interval and Balke–Pearl bounds need a 0/1 outcome`,
      hint: 'Recode the outcome as 1 = event and 0 = no event, or use --measure rd (a difference in means) for a numeric outcome.',
    });
  },
  emptyArm(arm: 'treatment' | 'control'): TrialkitError {
    return new TrialkitError({
      code: BinaryErrorCode.emptyArm,
      argument: '--assignment',
      what: `The ${arm} arm has no participants with an observed outcome`,
      hint: 'Both arms need at least one participant; check the assignment column and the arm values.',
    });
  },
  badCounts(what: string, value: unknown): TrialkitError {
    return new TrialkitError({
      code: BinaryErrorCode.badCounts,
      value,
      what: `The 2×2 counts are not usable: ${what}`,
      hint: 'Give whole-number event counts between 0 and the arm size, and arm sizes of at least 1.',
    });
  },
};

/** Check a confidence level (0 < level < 1); core's CORE_BAD_LEVEL error, as everywhere in trialkit. */
export function checkLevel(level: number): void {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw coreErrors.badLevel(level);
}
