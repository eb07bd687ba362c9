/**
 * Parquet → typed columns through DuckDB's read_parquet: numeric physical types (integers, floats, decimals) are
 * cast to DOUBLE, everything else (strings, booleans, dates, timestamps) to its text, as a CSV would hold it.
 * A stored NaN is not a missing value: that column is re-read as text so the strict parser can reject "nan".
 */
import type { Column } from '@trialkit/core';
import { checkColumnNames } from './csv-text.js';
import { describeQuery, kindOfDuckDBType, openDuckDB, readColumns, sqlIdentifier, sqlString, type ColumnKind } from './duckdb-reader.js';
import { dataErrors } from './errors.js';

export interface ParquetTable {
  readonly nRows: number;
  readonly columns: Column[];
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

export async function readParquet(file: string, textColumns: readonly string[] = []): Promise<ParquetTable> {
  const session = await openDuckDB();
  try {
    const source = `read_parquet(${sqlString(file)})`;
    let described;
    try {
      described = await describeQuery(session.connection, `SELECT * FROM ${source}`);
    } catch (cause) {
      throw dataErrors.unreadable(file, firstLine(cause instanceof Error ? cause.message : String(cause)), cause);
    }
    const names = described.map((column) => column.name);
    checkColumnNames(names, file);
    const forcedText = new Set(textColumns);
    let kinds: ColumnKind[] = described.map((column) => (forcedText.has(column.name) ? 'text' : kindOfDuckDBType(column.type)));
    for (;;) {
      const select = names
        .map((name, i) => `CAST(${sqlIdentifier(name)} AS ${kinds[i] === 'number' ? 'DOUBLE' : 'VARCHAR'})`)
        .join(', ');
      let read;
      try {
        read = await readColumns(session.connection, `SELECT ${select} FROM ${source}`, names, kinds);
      } catch (cause) {
        throw dataErrors.unreadable(file, firstLine(cause instanceof Error ? cause.message : String(cause)), cause);
      }
      if (read.rereadAsText.length === 0) return { nRows: read.nRows, columns: read.columns };
      for (const name of read.rereadAsText) kinds[names.indexOf(name)] = 'text';
      kinds = [...kinds];
    }
  } finally {
    session.close();
  }
}
