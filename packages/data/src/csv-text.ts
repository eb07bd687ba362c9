/**
 * The parts of CSV reading done in JavaScript: the header line (BOM, delimiter detection, column names) and, only
 * when DuckDB has refused a file, a record-by-record scan that finds the exact data row at fault.
 *
 * The dialect is RFC 4180: fields separated by one delimiter, optionally in double quotes, a double quote inside a
 * quoted field written as two, records ended by LF, CRLF or CR. Empty lines are skipped (as DuckDB and R's
 * read.csv do), so "row n" is the n-th non-empty record after the header.
 */
import { open, readFile } from 'node:fs/promises';
import { dataErrors } from './errors.js';

export type Delimiter = ',' | ';' | '\t';

export interface CsvHeader {
  readonly names: readonly string[];
  readonly delimiter: Delimiter;
  /** True when the file holds nothing after the header (header-only file: zero rows). */
  readonly headerOnly: boolean;
  readonly hasBom: boolean;
  /** Empty lines before the header (DuckDB must be told to skip them, or it takes the first as the header). */
  readonly skipLines: number;
}

const BOM = '\uFEFF';
const HEAD_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = 4 * 1024 * 1024;

/** Split one record (no line ending inside unless quoted) at `delimiter`, honouring double quotes. */
export function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i];
    if (inQuotes) {
      if (ch === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * End of the first record of `text` (index of its line ending, or text.length), or -1 if a quote is still open
 * at the end of `text`.
 */
function firstRecordEnd(text: string): number {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) return i;
  }
  return inQuotes ? -1 : text.length;
}

/** Count of each candidate delimiter outside double quotes in the header record. */
function countDelimiters(record: string): Record<Delimiter, number> {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of record) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  return counts;
}

/**
 * The delimiter is the candidate that occurs most often in the header line (ties: `,` before `;` before tab),
 * so `id;arm;y` is `;` and `id,arm,y` is `,`. A header with none of them is a single column.
 */
export function detectDelimiter(headerRecord: string, fallback: Delimiter): Delimiter {
  const counts = countDelimiters(headerRecord);
  let best: Delimiter = fallback;
  let bestCount = counts[fallback];
  for (const candidate of [',', ';', '\t'] as const) {
    if (counts[candidate] > bestCount) {
      best = candidate;
      bestCount = counts[candidate];
    }
  }
  return best;
}

/** Read and check the header line of a CSV file. */
export async function readCsvHeader(
  file: string,
  explicitDelimiter: Delimiter | undefined,
  fallbackDelimiter: Delimiter,
  encoding: 'utf-8' | 'latin-1' = 'utf-8',
): Promise<CsvHeader> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw dataErrors.fileNotFound(file, cause);
  }
  try {
    let size = HEAD_BYTES;
    for (;;) {
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      let text = buffer.subarray(0, bytesRead).toString(encoding === 'latin-1' ? 'latin1' : 'utf8');
      const hasBom = text.startsWith(BOM);
      if (hasBom) text = text.slice(1);
      const complete = bytesRead < size;
      if (text.trim() === '') throw dataErrors.emptyFile(file);
      // Leading empty lines before the header are skipped, as DuckDB does.
      const leadingBreaks = /^[\r\n]*/.exec(text)?.[0] ?? '';
      const leading = leadingBreaks.length;
      const skipLines = leadingBreaks.replace(/\r\n/g, '\n').length;
      const body = text.slice(leading);
      const end = firstRecordEnd(body);
      // A header that fills the buffer (or keeps a quote open) may go on: read more of the file.
      if ((end === -1 || end === body.length) && !complete) {
        if (size >= MAX_HEAD_BYTES) throw dataErrors.badHeader(file, 'The header line is longer than 4 MB');
        size *= 4;
        continue;
      }
      if (end === -1) throw dataErrors.badHeader(file, 'The header line opens a double quote that is never closed');
      const record = body.slice(0, end);
      const delimiter = explicitDelimiter ?? detectDelimiter(record, fallbackDelimiter);
      const names = splitRecord(record, delimiter).map((name) => name.trim());
      checkColumnNames(names, file);
      const rest = body.slice(end);
      const headerOnly = complete && rest.trim() === '';
      return { names, delimiter, headerOnly, hasBom, skipLines };
    }
  } finally {
    await handle.close();
  }
}

/** Column names must be non-empty and distinct (R's read.csv would silently rename them; we refuse). */
export function checkColumnNames(names: readonly string[], file?: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === '') throw dataErrors.emptyColumnName(file, index + 1);
    const earlier = seen.get(name);
    if (earlier !== undefined) throw dataErrors.duplicateColumn(file, name, [earlier + 1, index + 1]);
    seen.set(name, index);
  });
}

export type CsvProblem =
  | { readonly kind: 'ragged'; readonly row: number; readonly found: number }
  | { readonly kind: 'unterminated-quote'; readonly row: number }
  | { readonly kind: 'not-utf8'; readonly row: number }
  | { readonly kind: 'mixed-line-endings'; readonly row: number; readonly first: string; readonly other: string };

/**
 * Scan the whole file record by record and return the first structural problem (a record whose field count
 * differs from the header's, or a quote never closed), with its 1-based data row. Used only after DuckDB has
 * refused the file, to name the row exactly even when quoted fields span lines.
 */
export async function findCsvProblem(
  file: string,
  delimiter: Delimiter,
  expectedFields: number,
  encoding: 'utf-8' | 'latin-1' = 'utf-8',
): Promise<CsvProblem | undefined> {
  const bytes = await readFile(file);
  let text: string;
  let firstInvalid = -1;
  if (encoding === 'latin-1') text = bytes.toString('latin1');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = bytes.toString('utf8');
      firstInvalid = text.indexOf('\uFFFD');
    }
  }
  if (text.startsWith(BOM)) {
    text = text.slice(1);
    if (firstInvalid > 0) firstInvalid--;
  }
  let recordIndex = -1; // -1 is the header
  let fields = 1;
  let recordHasContent = false;
  let inQuotes = false;
  let lineEnding: string | undefined;
  const finishRecord = (): CsvProblem | undefined => {
    if (recordHasContent) {
      recordIndex++;
      if (recordIndex > 0 && fields !== expectedFields) return { kind: 'ragged', row: recordIndex, found: fields };
    }
    fields = 1;
    recordHasContent = false;
    return undefined;
  };
  for (let i = 0; i < text.length; i++) {
    if (i === firstInvalid) return { kind: 'not-utf8', row: Math.max(1, recordIndex + 1) };
    const code = text.charCodeAt(i);
    if (inQuotes) {
      if (code === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (code === 34) {
      inQuotes = true;
      recordHasContent = true;
    } else if (code === 10 /* \n */ || code === 13 /* \r */) {
      const ending = code === 13 ? (text.charCodeAt(i + 1) === 10 ? 'CRLF' : 'CR') : 'LF';
      if (ending === 'CRLF') i++;
      if (lineEnding === undefined) lineEnding = ending;
      else if (ending !== lineEnding) {
        return { kind: 'mixed-line-endings', row: Math.max(1, recordIndex + (recordHasContent ? 1 : 0)), first: lineEnding, other: ending };
      }
      const problem = finishRecord();
      if (problem) return problem;
    } else {
      recordHasContent = true;
      if (text[i] === delimiter) fields++;
    }
  }
  if (inQuotes) return { kind: 'unterminated-quote', row: recordIndex + 1 };
  return finishRecord();
}
