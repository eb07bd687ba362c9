/**
 * What every command shares: option parsing helpers, atomic output files, `--json` printing, readable tables,
 * and the one place where errors become exit codes (2 for bad input, 1 for an internal failure; no stack trace).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isTrialkitError, type Diagnostic } from '@trialkit/core';
import { cliErrors } from './errors.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** Where a command writes; tests replace these to capture output. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Write a file so that it is either complete or absent: write a temporary file beside it, fsync, then rename
 * over the target. On any failure the temporary file is removed and nothing is left behind.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temporary, 'wx', 0o644);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw cliErrors.notWritable(path, error);
  }
}

/** JSON with non-finite numbers as null (as R's NA in jsonlite) and two-space indentation. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** Parse a number option with a rule (e.g. a level strictly between 0 and 1). */
export function parseNumberOption(
  option: string,
  value: string,
  rule: { integer?: boolean; min?: number; max?: number; exclusive?: boolean; description: string },
): number {
  const trimmed = value.trim();
  const number = trimmed === '' ? Number.NaN : Number(trimmed);
  const bad =
    !Number.isFinite(number) ||
    (rule.integer === true && !Number.isInteger(number)) ||
    (rule.min !== undefined && (rule.exclusive === true ? number <= rule.min : number < rule.min)) ||
    (rule.max !== undefined && (rule.exclusive === true ? number >= rule.max : number > rule.max));
  if (bad) throw cliErrors.badNumber(option, value, rule.description);
  return number;
}

export function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw cliErrors.badChoice(option, value, choices);
  return match;
}

/** "a,b, c" → ["a", "b", "c"] (empty items dropped). */
export function parseList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A plain-text table with right-aligned numbers, for terminals. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const numeric = headers.map((_, j) => rows.every((r) => /^[-+−]?[\d.,]*%?$|^$|^—$|^NA$|^<|^[-\d.e+]+$/.test(r[j] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => (numeric[j] === true ? c.padStart(widths[j] ?? 0) : c.padEnd(widths[j] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** A number for a table: `digits` significant decimals, NA for non-finite, and p-values as "<0.0001". */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NA';
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2);
  return value.toFixed(digits);
}

export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NA';
  return value < 1e-4 ? '<0.0001' : value.toFixed(4);
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  return `\n${diagnostics.map((d) => `${d.severity === 'warning' ? 'warning' : 'note'} [${d.code}]: ${d.message}`).join('\n')}\n`;
}

/** Turn any failure into a message on stderr and an exit code; never a stack trace (unless TRIALKIT_DEBUG=1). */
export function reportFailure(error: unknown, output: Output): number {
  if (process.env['TRIALKIT_DEBUG'] === '1' && error instanceof Error) output.stderr(`${error.stack ?? ''}\n`);
  if (isTrialkitError(error)) {
    const prefix = error.kind === 'internal' ? 'trialkit: internal error' : 'trialkit: error';
    output.stderr(`${prefix} [${error.code}]: ${error.message}\n`);
    return error.kind === 'internal' ? EXIT_INTERNAL : EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.stderr(
    `trialkit: internal error: ${message}\nThis is a bug in trialkit, not a problem with your input; please report it ` +
      'with the command you ran (set TRIALKIT_DEBUG=1 for details).\n',
  );
  return EXIT_INTERNAL;
}
