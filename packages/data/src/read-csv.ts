/**
 * CSV → typed columns, with DuckDB doing the heavy parsing.
 *
 *   header line (JS: BOM, delimiter, names checked)
 *     ──► DuckDB sniffs column types on a sample (dialect fixed by us, never guessed by DuckDB)
 *     ──► each column read as DOUBLE (numbers) or VARCHAR (anything else, kept as written)
 *     ──► a cell DuckDB cannot read as a number (a typo beyond the sample) → that column is re-read as text,
 *         and prepareTrial's strict parser later names the cell's row and column
 *     ──► a structural error (ragged row, open quote) → a JS scan of the file names the exact data row
 */
import type { Column } from '@trialkit/core';
import { findCsvProblem, readCsvHeader, type Delimiter } from './csv-text.js';
import {
  describeQuery,
  kindOfDuckDBType,
  openDuckDB,
  readColumns,
  sqlString,
  type ColumnKind,
} from './duckdb-reader.js';
import { dataErrors } from './errors.js';
import type { CsvDialect, CsvEncoding, DecimalSeparator } from './types.js';

export interface ReadCsvOptions {
  readonly delimiter?: Delimiter | undefined;
  readonly naValues: readonly string[];
  readonly decimal?: DecimalSeparator | undefined;
  readonly textColumns?: readonly string[] | undefined;
  readonly encoding?: CsvEncoding | undefined;
}

export interface CsvTable {
  readonly nRows: number;
  readonly columns: Column[];
  readonly dialect: CsvDialect;
}

function csvOptions(
  delimiter: Delimiter,
  naValues: readonly string[],
  decimal: DecimalSeparator,
  encoding: CsvEncoding,
  skipLines: number,
): string {
  return [
    `skip=${skipLines}`,
    `encoding=${sqlString(encoding)}`,
    `delim=${sqlString(delimiter)}`,
    `quote='"'`,
    `escape='"'`,
    'header=true',
    `nullstr=[${naValues.map(sqlString).join(', ')}]`,
    `decimal_separator=${sqlString(decimal)}`,
    'strict_mode=true',
    'null_padding=false',
  ].join(', ');
}

const CONVERSION_COLUMN = /Error when converting column "((?:[^"]|"")*)"/;

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

export async function readCsv(file: string, options: ReadCsvOptions, fallbackDelimiter: Delimiter): Promise<CsvTable> {
  const encoding = options.encoding ?? 'utf-8';
  const header = await readCsvHeader(file, options.delimiter, fallbackDelimiter, encoding);
  const names = header.names;
  if (header.headerOnly) {
    return {
      nRows: 0,
      columns: names.map((name) => ({ kind: 'text', name, values: [] })),
      dialect: { delimiter: header.delimiter, decimal: options.decimal ?? '.', naValues: options.naValues, bom: header.hasBom, encoding },
    };
  }
  const session = await openDuckDB();
  try {
    const source = (decimal: DecimalSeparator, detect: boolean, columns?: string): string =>
      `read_csv(${sqlString(file)}, ${csvOptions(header.delimiter, options.naValues, decimal, encoding, header.skipLines)}, ` +
      (detect
        ? `names=[${names.map(sqlString).join(', ')}], auto_detect=true)`
        : `auto_detect=false, columns={${columns ?? ''}})`);

    const sniff = async (decimal: DecimalSeparator): Promise<ColumnKind[]> => {
      let described;
      try {
        described = await describeQuery(session.connection, `SELECT * FROM ${source(decimal, true)}`);
      } catch (cause) {
        throw await structuralError(file, header.delimiter, names.length, encoding, cause);
      }
      if (described.length !== names.length) {
        throw await structuralError(file, header.delimiter, names.length, encoding, new Error(`DuckDB found ${described.length} columns where the header names ${names.length}`));
      }
      return described.map((column) => kindOfDuckDBType(column.type));
    };

    // A ';' file may use a decimal comma (as R's read.csv2 assumes): unless told, keep whichever reading gives
    // more numeric columns on DuckDB's sample (ties: '.').
    let decimal: DecimalSeparator = options.decimal ?? '.';
    let kinds = await sniff(decimal);
    if (options.decimal === undefined && header.delimiter === ';' && kinds.includes('text')) {
      const commaKinds = await sniff(',');
      const count = (ks: readonly ColumnKind[]): number => ks.filter((k) => k === 'number').length;
      if (count(commaKinds) > count(kinds)) {
        decimal = ',';
        kinds = commaKinds;
      }
    }
    const forcedText = new Set(options.textColumns ?? []);
    kinds = kinds.map((kind, i) => (forcedText.has(names[i]!) ? 'text' : kind));

    // Each pass either succeeds or turns at least one numeric column into text, so it ends.
    for (;;) {
      const columns = names
        .map((name, i) => `${sqlString(name)}: '${kinds[i] === 'number' ? 'DOUBLE' : 'VARCHAR'}'`)
        .join(', ');
      const sql = `SELECT * FROM ${source(decimal, false, columns)}`;
      let read;
      try {
        read = await readColumns(session.connection, sql, names, kinds);
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        if (/Conversion Error/i.test(message)) {
          const match = CONVERSION_COLUMN.exec(message);
          const failing = match?.[1]?.replace(/""/g, '"');
          const index = failing === undefined ? -1 : names.indexOf(failing);
          if (index >= 0 && kinds[index] === 'number') kinds[index] = 'text';
          else if (kinds.includes('number')) kinds = kinds.map(() => 'text');
          else throw dataErrors.unreadable(file, firstLine(message), cause);
          continue;
        }
        throw await structuralError(file, header.delimiter, names.length, encoding, cause);
      }
      if (read.rereadAsText.length > 0) {
        for (const name of read.rereadAsText) kinds[names.indexOf(name)] = 'text';
        continue;
      }
      return {
        nRows: read.nRows,
        columns: read.columns,
        dialect: { delimiter: header.delimiter, decimal, naValues: options.naValues, bom: header.hasBom, encoding },
      };
    }
  } finally {
    session.close();
  }
}

/** DuckDB refused the file's structure: find the exact data row in JS and say what is wrong with it. */
async function structuralError(
  file: string,
  delimiter: Delimiter,
  expected: number,
  encoding: CsvEncoding,
  cause: unknown,
): Promise<Error> {
  const problem = await findCsvProblem(file, delimiter, expected, encoding);
  if (problem?.kind === 'not-utf8') return dataErrors.notUtf8(file, problem.row);
  if (problem?.kind === 'mixed-line-endings') return dataErrors.mixedLineEndings(file, problem.row, problem.first, problem.other);
  if (problem?.kind === 'ragged') return dataErrors.raggedRow(file, problem.row, expected, problem.found);
  if (problem?.kind === 'unterminated-quote') return dataErrors.unterminatedQuote(file, problem.row);
  const message = cause instanceof Error ? cause.message : String(cause);
  return dataErrors.unreadable(file, firstLine(message), cause);
}
