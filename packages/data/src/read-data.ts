/**
 * readData: a data file → a DataFile (typed columns, every row, with its source and SHA-256).
 * The format comes from the extension (.csv .tsv .txt → CSV; .parquet .pq → Parquet; .json → JSON array of
 * records; .jsonl .ndjson → JSON Lines), or from `options.format`.
 */
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { sha256File, type Column } from '@trialkit/core';
import type { Delimiter } from './csv-text.js';
import { dataErrors } from './errors.js';
import { readJson } from './read-json.js';
import type { CsvDialect, DataFile, DataFormat, ReadDataOptions } from './types.js';

export const DEFAULT_NA_VALUES: readonly string[] = Object.freeze(['', 'NA']);

interface FormatChoice {
  readonly format: DataFormat;
  readonly fallbackDelimiter: Delimiter;
  readonly jsonLines: boolean;
}

export function formatOfPath(file: string, explicit?: DataFormat): FormatChoice {
  const extension = extname(file).toLowerCase();
  if (explicit !== undefined) {
    return { format: explicit, fallbackDelimiter: extension === '.tsv' ? '\t' : ',', jsonLines: extension === '.jsonl' || extension === '.ndjson' };
  }
  switch (extension) {
    case '.csv':
    case '.txt':
      return { format: 'csv', fallbackDelimiter: ',', jsonLines: false };
    case '.tsv':
      return { format: 'csv', fallbackDelimiter: '\t', jsonLines: false };
    case '.parquet':
    case '.pq':
      return { format: 'parquet', fallbackDelimiter: ',', jsonLines: false };
    case '.json':
      return { format: 'json', fallbackDelimiter: ',', jsonLines: false };
    case '.jsonl':
    case '.ndjson':
      return { format: 'json', fallbackDelimiter: ',', jsonLines: true };
    default:
      throw dataErrors.unsupportedFormat(file, extension === '' ? file : extension);
  }
}

function checkOptions(options: ReadDataOptions): void {
  if (options.delimiter !== undefined && ![',', ';', '\t'].includes(options.delimiter)) {
    throw dataErrors.badOption('delimiter', options.delimiter, `The delimiter ${JSON.stringify(options.delimiter)} is not supported`, 'Use ",", ";" or a tab.');
  }
  if (options.decimal !== undefined && options.decimal !== '.' && options.decimal !== ',') {
    throw dataErrors.badOption('decimal', options.decimal, `The decimal separator ${JSON.stringify(options.decimal)} is not supported`, 'Use "." or ",".');
  }
  if (options.encoding !== undefined && options.encoding !== 'utf-8' && options.encoding !== 'latin-1') {
    throw dataErrors.badOption('encoding', options.encoding, `The encoding ${JSON.stringify(options.encoding)} is not supported`, 'Use "utf-8" or "latin-1".');
  }
  if (options.decimal === ',' && options.delimiter === ',') {
    throw dataErrors.badOption('decimal', options.decimal, 'A decimal comma cannot be used with a comma delimiter', 'Use ";" as the delimiter for files with decimal commas.');
  }
}

function blankNaText(columns: Column[], naValues: readonly string[]): Column[] {
  const missing = new Set(naValues);
  return columns.map((column) =>
    column.kind === 'text' && column.values.some((v) => v !== null && missing.has(v))
      ? { ...column, values: column.values.map((v) => (v !== null && missing.has(v) ? null : v)) }
      : column,
  );
}

export async function readData(path: string, options: ReadDataOptions = {}): Promise<DataFile> {
  checkOptions(options);
  const choice = formatOfPath(path, options.format);
  const file = resolve(path);
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
  } catch (cause) {
    throw dataErrors.fileNotFound(path, cause);
  }
  const naValues = options.naValues ?? DEFAULT_NA_VALUES;
  // Hash while reading: the digest streams on the main thread while DuckDB parses on its own threads.
  const hashing = options.hash === false ? Promise.resolve(undefined) : sha256File(file);
  hashing.catch(() => undefined);
  let nRows: number;
  let columns: Column[];
  let dialect: CsvDialect | undefined;
  if (choice.format === 'csv') {
    // DuckDB (a native module, ~0.5–2 s to load) is imported only when a CSV or Parquet file is read, so that
    // commands that never read one (live enrolment, --help) start quickly.
    const { readCsv } = await import('./read-csv.js');
    const table = await readCsv(
      file,
      { delimiter: options.delimiter, naValues, decimal: options.decimal, textColumns: options.textColumns, encoding: options.encoding },
      choice.fallbackDelimiter,
    );
    ({ nRows, columns, dialect } = table);
  } else if (choice.format === 'parquet') {
    const { readParquet } = await import('./read-parquet.js');
    const table = await readParquet(file, options.textColumns);
    nRows = table.nRows;
    columns = blankNaText(table.columns, naValues);
  } else {
    const table = await readJson(file, choice.jsonLines, naValues, options.textColumns);
    ({ nRows, columns } = table);
  }
  const sha256 = await hashing;
  return {
    nRows,
    columns,
    format: choice.format,
    naValues,
    ...(dialect === undefined ? {} : { dialect }),
    ...(sha256 === undefined ? {} : { source: { path: file, format: choice.format, sha256 } }),
  };
}
