/**
 * TrialkitError: the one error type for bad input anywhere in trialkit.
 *
 * Every error carries a stable `code` (tests and scripts match on it), and, where they apply, the argument or
 * option at fault, the offending value, and for data the 1-based row (header excluded) and the column. The message
 * says what is wrong, where, and what to do. `kind` separates bad input (the CLI exits 2) from an internal failure
 * (exit 1): a failed invariant inside trialkit is a bug, not the user's fault, and must say so.
 */

export type TrialkitErrorKind = 'input' | 'internal';

export interface TrialkitErrorInit {
  /** Stable machine-readable code, e.g. `DATA_MISSING_COLUMN`. Never reworded once released. */
  readonly code: string;
  /** What is wrong, in one sentence, without the location (added from `row`/`column`). */
  readonly what: string;
  /** What the user can do about it. */
  readonly hint?: string;
  /** The argument, option or plan field at fault (e.g. `--outcome`, `arms`). */
  readonly argument?: string;
  /** The offending value as given. */
  readonly value?: unknown;
  /** 1-based data row, header excluded. */
  readonly row?: number;
  /** Column name in the data. */
  readonly column?: string;
  /** File the problem was found in. */
  readonly file?: string;
  readonly kind?: TrialkitErrorKind;
  readonly cause?: unknown;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function locate(init: TrialkitErrorInit): string {
  const parts: string[] = [];
  if (init.file !== undefined) parts.push(`file ${init.file}`);
  if (init.row !== undefined) parts.push(`row ${init.row}`);
  if (init.column !== undefined) parts.push(`column "${init.column}"`);
  if (init.argument !== undefined && init.column === undefined) parts.push(`argument ${init.argument}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export class TrialkitError extends Error {
  override readonly name = 'TrialkitError';
  readonly code: string;
  readonly what: string;
  readonly hint: string | undefined;
  readonly argument: string | undefined;
  readonly value: unknown;
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly file: string | undefined;
  readonly kind: TrialkitErrorKind;

  constructor(init: TrialkitErrorInit) {
    const message = `${init.what}${locate(init)}.${init.hint !== undefined ? ` ${init.hint}` : ''}`;
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.what = init.what;
    this.hint = init.hint;
    this.argument = init.argument;
    this.value = init.value;
    this.row = init.row;
    this.column = init.column;
    this.file = init.file;
    this.kind = init.kind ?? 'input';
  }

  /** A plain object for `--json` error output and logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message, kind: this.kind };
    if (this.argument !== undefined) out['argument'] = this.argument;
    if (this.value !== undefined) out['value'] = formatValue(this.value);
    if (this.row !== undefined) out['row'] = this.row;
    if (this.column !== undefined) out['column'] = this.column;
    if (this.file !== undefined) out['file'] = this.file;
    return out;
  }
}

export function isTrialkitError(error: unknown): error is TrialkitError {
  return error instanceof TrialkitError;
}

/** A failed internal invariant: a bug in trialkit, reported as such (CLI exit code 1). */
export function internalError(code: string, what: string): TrialkitError {
  return new TrialkitError({
    code,
    what,
    kind: 'internal',
    hint: 'This is a bug in trialkit, not a problem with your input; please report it with the command you ran.',
  });
}

export { formatValue };
