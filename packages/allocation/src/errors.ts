/** Error codes and messages of @trialkit/allocation, in one place (as vega-lite keeps log/message.ts). */
import { TrialkitError, formatValue } from '@trialkit/core';

export const AllocationErrorCode = {
  badArms: 'ALLOC_BAD_ARMS',
  badRatio: 'ALLOC_BAD_RATIO',
  unknownArm: 'ALLOC_UNKNOWN_ARM',
  badScheme: 'ALLOC_BAD_SCHEME',
  empty: 'ALLOC_EMPTY_PARTICIPANTS',
  duplicateId: 'ALLOC_DUPLICATE_ID',
  missingId: 'ALLOC_MISSING_ID',
  lengthMismatch: 'ALLOC_LENGTH_MISMATCH',
  missingStratum: 'ALLOC_MISSING_STRATUM',
  missingCluster: 'ALLOC_MISSING_CLUSTER',
  stratumVariesInCluster: 'ALLOC_STRATUM_VARIES_IN_CLUSTER',
  badBlockSize: 'ALLOC_BAD_BLOCK_SIZE',
  badOption: 'ALLOC_BAD_OPTION',
  missingFactor: 'ALLOC_MISSING_FACTOR',
  badCovariate: 'ALLOC_BAD_COVARIATE',
  tooFewUnits: 'ALLOC_TOO_FEW_UNITS',
  noAcceptableDraw: 'ALLOC_NO_ACCEPTABLE_DRAW',
  trialNotFound: 'TRIAL_NOT_FOUND',
  trialExists: 'TRIAL_EXISTS',
  trialRevealed: 'TRIAL_REVEALED',
  trialNotRevealed: 'TRIAL_SEED_UNAVAILABLE',
  logCorrupt: 'TRIAL_LOG_CORRUPT',
  lockTimeout: 'TRIAL_LOCK_TIMEOUT',
  badEnrolInput: 'TRIAL_BAD_ENROL_INPUT',
  schemeNotLive: 'TRIAL_SCHEME_NOT_LIVE',
} as const;

export const allocationErrors = {
  badArms(value: unknown, what: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.badArms,
      argument: '--arms',
      value,
      what,
      hint: 'Write the arms as name:ratio pairs separated by commas, e.g. "control:1,treatment:1" or "control:2,ips:1,ips_plus:1".',
    });
  },
  badRatio(arm: string, value: unknown): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.badRatio,
      argument: '--arms',
      value,
      what: `The ratio ${formatValue(value)} of arm "${arm}" is not a positive whole number`,
      hint: 'Ratios are whole numbers of at least 1, e.g. "control:2,treatment:1" for 2:1.',
    });
  },
  unknownArm(value: unknown, known: readonly string[], where: { argument?: string; row?: number; column?: string; file?: string } = {}): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.unknownArm,
      ...where,
      value,
      what: `${formatValue(value)} is not one of the trial's arms (${known.join(', ')})`,
      hint: 'Use the arm names exactly as declared in --arms.',
    });
  },
  badScheme(value: unknown, known: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.badScheme,
      argument: '--scheme',
      value,
      what: `There is no allocation scheme called ${formatValue(value)}`,
      hint: `Choose one of: ${known.join(', ')}.`,
    });
  },
  empty(file?: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.empty,
      argument: '--participants',
      ...(file !== undefined ? { file } : {}),
      what: 'There are no participants to allocate',
      hint: 'Give a participant file with a header and at least one row.',
    });
  },
  duplicateId(id: string, row: number, firstRow: number, column?: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.duplicateId,
      value: id,
      row,
      ...(column !== undefined ? { column } : {}),
      what: `Participant id ${formatValue(id)} appears twice (first in row ${firstRow})`,
      hint: 'Each participant must appear once; remove or rename the duplicate.',
    });
  },
  missingId(row: number, column?: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.missingId,
      row,
      ...(column !== undefined ? { column } : {}),
      what: 'A participant id is missing',
      hint: 'Every row needs an id.',
    });
  },
  lengthMismatch(what: string, expected: number, actual: number): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.lengthMismatch,
      argument: what,
      value: actual,
      what: `${what} has ${actual} values but there are ${expected} participants`,
      hint: 'Give exactly one value per participant, in the same order as the ids.',
    });
  },
  missingStratum(row: number, column: string | undefined): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.missingStratum,
      row,
      ...(column !== undefined ? { column } : {}),
      what: 'The stratum value is missing',
      hint: 'Every participant needs a value in each stratification column; fill it in (or use an explicit "unknown" level).',
    });
  },
  missingCluster(row: number, column: string | undefined): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.missingCluster,
      row,
      ...(column !== undefined ? { column } : {}),
      what: 'The cluster value is missing',
      hint: 'Every participant must belong to a cluster; fill in the cluster column.',
    });
  },
  stratumVariesInCluster(cluster: string, row: number): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.stratumVariesInCluster,
      row,
      value: cluster,
      what: `Cluster ${formatValue(cluster)} has members in more than one stratum`,
      hint: 'Clusters are randomised whole, so the stratification columns must be constant within each cluster.',
    });
  },
  badBlockSize(value: unknown, ratioSum: number): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.badBlockSize,
      argument: '--block-sizes',
      value,
      what: `The block size ${formatValue(value)} is not a positive multiple of the ratio sum ${ratioSum}`,
      hint: `Each block must hold every arm in its ratio: use multiples of ${ratioSum}, e.g. ${[2, 3, 4].map((k) => k * ratioSum).join(',')}.`,
    });
  },
  badOption(argument: string, value: unknown, what: string, hint: string): TrialkitError {
    return new TrialkitError({ code: AllocationErrorCode.badOption, argument, value, what, hint });
  },
  missingFactor(factor: string, row: number): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.missingFactor,
      row,
      column: factor,
      what: 'The minimisation factor value is missing',
      hint: 'Every participant needs a value for each minimisation factor.',
    });
  },
  badCovariate(column: string, row: number, value: unknown): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.badCovariate,
      row,
      column,
      value,
      what: `The covariate value ${formatValue(value)} is not a finite number`,
      hint: 'Balance covariates must be numeric with no missing values.',
    });
  },
  tooFewUnits(what: string): TrialkitError {
    return new TrialkitError({ code: AllocationErrorCode.tooFewUnits, what, hint: 'Add units or use fewer arms.' });
  },
  noAcceptableDraw(tries: number, threshold: number): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.noAcceptableDraw,
      argument: '--threshold',
      value: threshold,
      what: `No allocation among ${tries} draws had a Mahalanobis distance below ${threshold}`,
      hint: 'Raise the threshold (or the acceptance probability) or the number of draws allowed.',
    });
  },
  trialNotFound(dir: string, what: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.trialNotFound,
      argument: '--dir',
      value: dir,
      what,
      hint: 'Create the trial first with `trialkit init-trial --dir <dir> --arms ... --scheme ...`, or check the path.',
    });
  },
  trialExists(dir: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.trialExists,
      argument: '--dir',
      value: dir,
      what: 'A trial already exists in this directory',
      hint: 'Choose a new directory; an existing trial is never overwritten.',
    });
  },
  trialRevealed(dir: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.trialRevealed,
      argument: '--dir',
      value: dir,
      what: 'The seed of this trial has been revealed, so further allocations would not be concealed',
      hint: 'Enrolment closes at unblinding; start a new trial for further recruitment.',
    });
  },
  seedUnavailable(dir: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.trialNotRevealed,
      argument: '--dir',
      value: dir,
      what: 'Neither the secret seed nor a revealed seed is available',
      hint: 'Run `trialkit reveal --dir <dir>` where the secret seed is kept, then verify.',
    });
  },
  logCorrupt(file: string, row: number | undefined, what: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.logCorrupt,
      file,
      ...(row !== undefined ? { row } : {}),
      what,
      hint: 'The log has been altered or damaged; nothing was written. Run `trialkit verify --dir <dir>` for a full report and restore the log from a backup.',
    });
  },
  lockTimeout(lockPath: string, waitedMs: number): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.lockTimeout,
      file: lockPath,
      value: waitedMs,
      what: `Could not take the trial lock within ${waitedMs} ms`,
      hint: 'Another enrolment is holding it; try again. A lock left by a crashed process is removed automatically once its process is gone.',
    });
  },
  badEnrolInput(argument: string, value: unknown, what: string, hint: string): TrialkitError {
    return new TrialkitError({ code: AllocationErrorCode.badEnrolInput, argument, value, what, hint });
  },
  schemeNotLive(scheme: string): TrialkitError {
    return new TrialkitError({
      code: AllocationErrorCode.schemeNotLive,
      argument: '--scheme',
      value: scheme,
      what: `The scheme ${formatValue(scheme)} needs every participant in advance and cannot allocate one at a time`,
      hint: 'For live enrolment use simple, block (stratified permuted blocks) or minimisation.',
    });
  },
};
