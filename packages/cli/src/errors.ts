/** Error codes and messages of the CLI's own checks (option parsing); data and statistics errors come from the packages. */
import { TrialkitError, formatValue } from '@trialkit/core';

export const CliErrorCode = {
  badOption: 'CLI_BAD_OPTION',
  badNumber: 'CLI_BAD_NUMBER',
  badChoice: 'CLI_BAD_CHOICE',
  usage: 'CLI_USAGE',
  outputExists: 'CLI_OUTPUT_NOT_WRITABLE',
  seedRequired: 'CLI_SEED_REQUIRED',
  bootstrapRequired: 'CLI_BOOTSTRAP_REQUIRED',
  allocationDirWithoutRi: 'CLI_ALLOCATION_DIR_WITHOUT_RI',
  pAdjustNeedsOutcomes: 'CLI_P_ADJUST_NEEDS_OUTCOMES',
} as const;

export const cliErrors = {
  usage(message: string): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.usage,
      what: message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').replace(/\.$/, ''),
      hint: 'Run `trialkit <command> --help` for the options and an example.',
    });
  },
  badNumber(option: string, value: string, rule: string): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.badNumber,
      argument: option,
      value,
      what: `${option} ${formatValue(value)} is not ${rule}`,
      hint: `Give ${option} as ${rule}.`,
    });
  },
  badChoice(option: string, value: string, choices: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.badChoice,
      argument: option,
      value,
      what: `${option} ${formatValue(value)} is not one of ${choices.join(', ')}`,
      hint: `Choose one of: ${choices.join(', ')}.`,
    });
  },
  pAdjustNeedsOutcomes(): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.pAdjustNeedsOutcomes,
      argument: '--p-adjust',
      what: '--p-adjust adjusts p-values across a family of outcomes, but only one outcome was given',
      hint: 'Name the family with --outcome a,b,c (comma-separated), or leave out --p-adjust.',
    });
  },
  allocationDirWithoutRi(): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.allocationDirWithoutRi,
      argument: '--allocation-dir',
      what: '--allocation-dir says how to redraw the assignment for randomisation inference, but --ri was not given',
      hint: 'Add --ri N --seed S (e.g. --ri 2000 --seed 2026), or leave out --allocation-dir.',
    });
  },
  seedRequired(option: '--ri' | '--bootstrap' = '--ri'): TrialkitError {
    const what = option === '--ri' ? 'the randomisation p-value' : 'the bootstrap intervals';
    return new TrialkitError({
      code: CliErrorCode.seedRequired,
      argument: '--seed',
      what: `${option} needs --seed, so that ${what} can be reproduced`,
      hint: `Add --seed with an integer or a text seed, e.g. --seed 2026, and report it with ${what}.`,
    });
  },
  bootstrapRequired(): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.bootstrapRequired,
      argument: '--bootstrap',
      what: '--ratio-to and --bootstrap-interval are bootstrap options, but --bootstrap was not given',
      hint: 'Add --bootstrap R --seed S (e.g. --bootstrap 2000 --seed 2026).',
    });
  },
  notWritable(path: string, cause: unknown): TrialkitError {
    return new TrialkitError({
      code: CliErrorCode.outputExists,
      argument: '--out',
      value: path,
      what: `Cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      hint: 'Check that the folder exists and that you may write to it.',
      cause,
    });
  },
};
