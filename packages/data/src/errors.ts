/**
 * Error codes and messages of @trialkit/data, in one place (as vega-lite keeps log/message.ts).
 * Codes are stable: tests, scripts and the CLI match on them. Rows are 1-based data rows, header excluded.
 */
import { TrialkitError, formatValue } from '@trialkit/core';

export const DataErrorCode = {
  unsupportedFormat: 'DATA_UNSUPPORTED_FORMAT',
  fileNotFound: 'DATA_FILE_NOT_FOUND',
  emptyFile: 'DATA_EMPTY_FILE',
  badHeader: 'DATA_BAD_HEADER',
  duplicateColumn: 'DATA_DUPLICATE_COLUMN',
  emptyColumnName: 'DATA_EMPTY_COLUMN_NAME',
  raggedRow: 'DATA_RAGGED_ROW',
  unterminatedQuote: 'DATA_UNTERMINATED_QUOTE',
  notUtf8: 'DATA_NOT_UTF8',
  mixedLineEndings: 'DATA_MIXED_LINE_ENDINGS',
  badJson: 'DATA_BAD_JSON',
  unreadable: 'DATA_UNREADABLE',
  badOption: 'DATA_BAD_OPTION',
  missingColumn: 'DATA_MISSING_COLUMN',
  notNumeric: 'DATA_NOT_NUMERIC',
  notFinite: 'DATA_NOT_FINITE',
  unknownArm: 'DATA_UNKNOWN_ARM',
  oneArm: 'DATA_ONE_ARM',
  tooManyArms: 'DATA_TOO_MANY_ARMS',
  receivedNotBinary: 'DATA_RECEIVED_NOT_BINARY',
  empty: 'DATA_EMPTY',
  roleConflict: 'DATA_ROLE_CONFLICT',
  lengthMismatch: 'DATA_LENGTH_MISMATCH',
  writeFailed: 'DATA_WRITE_FAILED',
} as const;

export type DataErrorCodeValue = (typeof DataErrorCode)[keyof typeof DataErrorCode];

function listValues(values: readonly string[], max = 10): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

export const dataErrors = {
  unsupportedFormat(file: string, extension: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.unsupportedFormat,
      file,
      value: extension,
      what: `Cannot tell the format of a file ending in ${formatValue(extension)}`,
      hint: 'Give a .csv, .tsv, .txt, .parquet, .json or .jsonl file.',
    });
  },
  fileNotFound(file: string, cause: unknown): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.fileNotFound,
      file,
      what: 'The data file does not exist or cannot be opened',
      hint: 'Check the path (it is relative to the directory you ran the command from).',
      cause,
    });
  },
  emptyFile(file: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.emptyFile,
      file,
      what: 'The data file is empty: there is not even a header line',
      hint: 'A CSV file needs a first line naming the columns, e.g. "id,arm,outcome".',
    });
  },
  badHeader(file: string, what: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.badHeader,
      file,
      what,
      hint: 'The first line must name the columns, separated by "," or ";".',
    });
  },
  duplicateColumn(file: string | undefined, name: string, positions: readonly number[]): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.duplicateColumn,
      ...(file === undefined ? {} : { file }),
      column: name,
      value: name,
      what: `The column name ${formatValue(name)} appears more than once (columns ${positions.join(' and ')})`,
      hint: 'Give every column a different name in the header line.',
    });
  },
  emptyColumnName(file: string | undefined, position: number): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.emptyColumnName,
      ...(file === undefined ? {} : { file }),
      value: position,
      what: `Column ${position} has an empty name`,
      hint: 'Name every column in the header line (a trailing delimiter at the end of the header makes an empty one).',
    });
  },
  raggedRow(file: string, row: number, expected: number, found: number): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.raggedRow,
      file,
      row,
      value: found,
      what: `A row has ${found} field${found === 1 ? '' : 's'} but the header names ${expected} columns`,
      hint: 'Check for a missing or extra delimiter on that row, or a text value with the delimiter that is not in double quotes.',
    });
  },
  unterminatedQuote(file: string, row: number): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.unterminatedQuote,
      file,
      row,
      what: 'A double quote is opened and never closed',
      hint: 'Close the quote, or write a double quote inside a quoted value as two double quotes ("").',
    });
  },
  mixedLineEndings(file: string, row: number, first: string, other: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.mixedLineEndings,
      file,
      row,
      what: `The file mixes line endings: it starts with ${first} and this row ends with ${other}`,
      hint: 'Save the file again from one program (any editor can convert all line endings to one kind), e.g. after concatenating files from Windows and Linux.',
    });
  },
  notUtf8(file: string, row: number): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.notUtf8,
      file,
      row,
      what: 'The file is not UTF-8: a byte sequence here is not valid UTF-8 (Excel often saves CSV as Windows-1252/Latin-1)',
      hint: 'Save the file as "CSV UTF-8", or read it with the encoding option "latin-1".',
    });
  },
  badJson(file: string, what: string, row?: number, cause?: unknown): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.badJson,
      file,
      ...(row === undefined ? {} : { row }),
      what,
      hint: 'A JSON data file is an array of flat records, e.g. [{"id": 1, "arm": "control", "y": 0}], or one such record per line (.jsonl).',
      ...(cause === undefined ? {} : { cause }),
    });
  },
  unreadable(file: string, detail: string, cause: unknown): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.unreadable,
      file,
      what: `The file could not be read: ${detail}`,
      hint: 'Check that the file is complete and in the format its extension says.',
      cause,
    });
  },
  badOption(argument: string, value: unknown, what: string, hint: string): TrialkitError {
    return new TrialkitError({ code: DataErrorCode.badOption, argument, value, what, hint });
  },
  missingColumn(role: string, name: string, existing: readonly string[], closest: string | undefined): TrialkitError {
    const suggestion = closest === undefined ? '' : ` Did you mean ${formatValue(closest)}?`;
    return new TrialkitError({
      code: DataErrorCode.missingColumn,
      argument: `--${role}`,
      column: name,
      value: name,
      what: `There is no column ${formatValue(name)} (given as the ${role})`,
      hint: `The columns are: ${listValues(existing, 30)}.${suggestion}`,
    });
  },
  notNumeric(role: string, column: string, row: number, value: string, hint?: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.notNumeric,
      argument: `--${role}`,
      column,
      row,
      value,
      what: `The ${role} must be a number, but the value is ${formatValue(value)}`,
      hint:
        hint ??
        'Correct the value, or leave the cell empty (or write NA) if it is missing; rows with a missing value are dropped and counted.',
    });
  },
  notFinite(role: string, column: string, row: number, value: number | string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.notFinite,
      argument: `--${role}`,
      column,
      row,
      value,
      what: `The ${role} must be a finite number, but the value is ${typeof value === 'number' ? String(value) : formatValue(value)}`,
      hint: 'Correct the value; if it stands for a missing value, leave the cell empty or write NA.',
    });
  },
  unknownArm(
    column: string,
    control: string,
    treatment: string,
    unknown: readonly { value: string; rows: readonly number[]; count: number }[],
  ): TrialkitError {
    const first = unknown[0];
    const detail = unknown
      .slice(0, 5)
      .map((u) => `${formatValue(u.value)} (${u.count} row${u.count === 1 ? '' : 's'}, first ${u.rows.slice(0, 3).join(', ')})`)
      .join('; ');
    return new TrialkitError({
      code: DataErrorCode.unknownArm,
      argument: '--assignment',
      column,
      ...(first?.rows[0] === undefined ? {} : { row: first.rows[0] }),
      value: first?.value,
      what: `The assignment has values that are neither arm ${formatValue(control)} (control) nor ${formatValue(treatment)} (treatment): ${detail}`,
      hint: 'Correct those rows, or declare the arms as they are written in the file (e.g. --arms "control:0,treatment:1").',
    });
  },
  oneArm(column: string, values: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.oneArm,
      argument: '--assignment',
      column,
      value: values[0],
      what:
        values.length === 0
          ? 'The assignment column has no non-missing values'
          : `The assignment has only one value, ${formatValue(values[0])}: a comparison needs two arms`,
      hint: 'Check that the right column is given as the assignment and that both arms are in the file.',
    });
  },
  tooManyArms(column: string, values: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.tooManyArms,
      argument: '--assignment',
      column,
      value: values,
      what: `The assignment has ${values.length} different values (${listValues(values)}), not two`,
      hint: 'Declare which two values are the control and treatment arms (e.g. --arms "control:0,treatment:1"); other values are then reported as errors.',
    });
  },
  armNotPresent(column: string, which: 'control' | 'treatment', value: string, present: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.oneArm,
      argument: 'arms',
      column,
      value,
      what: `The declared ${which} arm ${formatValue(value)} does not occur in the assignment column (values found: ${listValues(present)})`,
      hint: 'Declare the arms exactly as they are written in the file.',
    });
  },
  receivedNotBinary(column: string, row: number, value: string, control: string, treatment: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.receivedNotBinary,
      argument: '--received',
      column,
      row,
      value,
      what: `Treatment received must be 0 or 1 (or an arm value, ${formatValue(control)} or ${formatValue(treatment)}), but the value is ${formatValue(value)}`,
      hint: 'Code treatment received as 1 if the person took up the programme and 0 if not.',
    });
  },
  empty(what: string): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.empty,
      what,
      hint: 'Check the file and the missing-value counts: every row had a missing value in a column the analysis uses.',
    });
  },
  roleConflict(column: string, roles: readonly string[]): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.roleConflict,
      column,
      value: column,
      what: `The column ${formatValue(column)} is given as both the ${roles.join(' and the ')}`,
      hint: 'Each of outcome, assignment and received must be a different column; covariates must not repeat them.',
    });
  },
  lengthMismatch(column: string, expected: number, found: number): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.lengthMismatch,
      column,
      what: `Column ${formatValue(column)} has ${found} values but the dataset has ${expected} rows`,
      hint: 'Every column of a dataset must have one value per row.',
      kind: 'internal',
    });
  },
  writeFailed(file: string, detail: string, cause: unknown): TrialkitError {
    return new TrialkitError({
      code: DataErrorCode.writeFailed,
      file,
      what: `The file could not be written: ${detail}`,
      hint: 'Check that the directory exists and is writable; nothing was written.',
      cause,
    });
  },
};
