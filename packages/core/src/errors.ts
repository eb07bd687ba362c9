/** Error codes and messages of @trialkit/core (one place, as vega-lite keeps log/message.ts). */
import { TrialkitError, formatValue } from './trialkit-error.js';

export const CoreErrorCode = {
  badSeed: 'CORE_BAD_SEED',
  badRange: 'CORE_BAD_RANGE',
  badRngState: 'CORE_BAD_RNG_STATE',
  badLevel: 'CORE_BAD_LEVEL',
} as const;

export const coreErrors = {
  badSeed(value: unknown): TrialkitError {
    return new TrialkitError({
      code: CoreErrorCode.badSeed,
      argument: '--seed',
      value,
      what: `The seed ${formatValue(value)} is not usable`,
      hint: 'Give a non-negative integer below 2^64 (e.g. 20261124) or a non-empty text seed (e.g. "whp-trial-2026").',
    });
  },
  badRange(n: number): TrialkitError {
    return new TrialkitError({
      code: CoreErrorCode.badRange,
      value: n,
      what: `Cannot draw an integer below ${formatValue(n)}`,
      hint: 'The range must be a whole number from 1 to 2^32.',
    });
  },
  badRngState(value: unknown): TrialkitError {
    return new TrialkitError({
      code: CoreErrorCode.badRngState,
      value,
      what: 'The saved generator state is not 64 hexadecimal digits, or is all zero',
      hint: 'Restore the state exactly as Rng.state() wrote it.',
    });
  },
  badLevel(value: unknown): TrialkitError {
    return new TrialkitError({
      code: CoreErrorCode.badLevel,
      argument: '--level',
      value,
      what: `The confidence level ${formatValue(value)} is not between 0 and 1`,
      hint: 'Give a level such as 0.95 or 0.9.',
    });
  },
};
