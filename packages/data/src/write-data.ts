/**
 * writeData: a Dataset → CSV, Parquet or JSON (by extension), written atomically: into a temporary file in the
 * same directory, renamed over the target only when complete, and removed on any failure, so a failed write
 * never leaves a partial file.
 *
 * JSON Lines (.jsonl): one record per line.
 * CSV: RFC 4180 with "," and LF; missing cells empty; numbers in JavaScript's shortest round-trip form
 * (so reading back gives the same doubles), ±Infinity as Inf/-Inf; text quoted when it holds a delimiter,
 * quote, line break or surrounding space. Parquet: DuckDB converts the CSV with the column types fixed
 * (DOUBLE / VARCHAR), so text like "007" stays text. JSON: an array of records, missing → null; an infinite
 * number cannot be written to JSON and is an error (never silently null).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Column, Dataset } from '@trialkit/core';
import { dataErrors } from './errors.js';
import { formatOfPath } from './read-data.js';
import type { DataFormat } from './types.js';

export interface WriteDataOptions {
  readonly format?: DataFormat;
}

const ROWS_PER_WRITE = 8192;

function csvNumber(value: number): string {
  if (Number.isNaN(value)) return '';
  if (value === Number.POSITIVE_INFINITY) return 'Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return Object.is(value, -0) ? '0' : String(value);
}

function csvText(value: string | null): string {
  if (value === null) return '';
  return /[",\n\r]|^\s|\s$/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvCell(column: Column, row: number): string {
  return column.kind === 'number' ? csvNumber(column.values[row]!) : csvText(column.values[row]!);
}

async function writeLines(path: string, header: string, nRows: number, line: (row: number) => string, footer = ''): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.write(header);
    for (let start = 0; start < nRows; start += ROWS_PER_WRITE) {
      const end = Math.min(nRows, start + ROWS_PER_WRITE);
      const parts: string[] = [];
      for (let row = start; row < end; row++) parts.push(line(row));
      await handle.write(parts.join(''));
    }
    await handle.write(footer);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeCsv(path: string, dataset: Dataset): Promise<void> {
  const header = `${dataset.columns.map((c) => csvText(c.name)).join(',')}\n`;
  await writeLines(path, header, dataset.nRows, (row) => `${dataset.columns.map((c) => csvCell(c, row)).join(',')}\n`);
}

async function writeJson(path: string, dataset: Dataset, lines: boolean): Promise<void> {
  const keys = dataset.columns.map((c) => JSON.stringify(c.name));
  const record = (row: number): string => {
    const fields = dataset.columns.map((column, j) => {
      const value = column.values[row]!;
      if (typeof value === 'number') {
        if (Number.isNaN(value)) return `${keys[j]}:null`;
        if (!Number.isFinite(value)) {
          throw dataErrors.writeFailed(path, `row ${row + 1} of column "${column.name}" is ${value}, which JSON cannot hold`, undefined);
        }
        return `${keys[j]}:${JSON.stringify(value)}`;
      }
      return `${keys[j]}:${JSON.stringify(value)}`;
    });
    if (lines) return `{${fields.join(',')}}\n`;
    return `${row === 0 ? '' : ',\n'}{${fields.join(',')}}`;
  };
  if (lines) await writeLines(path, '', dataset.nRows, record);
  else await writeLines(path, '[\n', dataset.nRows, record, dataset.nRows === 0 ? ']\n' : '\n]\n');
}

async function writeParquet(path: string, dataset: Dataset, temporaryCsv: string): Promise<void> {
  await writeCsv(temporaryCsv, dataset);
  const { openDuckDB, sqlString } = await import('./duckdb-reader.js'); // DuckDB loads only when Parquet is written
  const session = await openDuckDB();
  try {
    const columns = dataset.columns.map((c) => `${sqlString(c.name)}: '${c.kind === 'number' ? 'DOUBLE' : 'VARCHAR'}'`).join(', ');
    const source =
      dataset.columns.length === 0
        ? 'SELECT 1 WHERE false'
        : `SELECT * FROM read_csv(${sqlString(temporaryCsv)}, delim=',', quote='"', escape='"', header=true, ` +
          `nullstr=[''], auto_detect=false, columns={${columns}})`;
    await session.connection.run(`COPY (${source}) TO ${sqlString(path)} (FORMAT parquet)`);
  } finally {
    session.close();
  }
}

export async function writeData(path: string, dataset: Dataset, options: WriteDataOptions = {}): Promise<void> {
  const target = resolve(path);
  const { format, jsonLines } = formatOfPath(target, options.format);
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const temporary = join(dirname(target), `.${basename(target)}.${tag}.tmp${extname(target)}`);
  const temporaryCsv = join(dirname(target), `.${basename(target)}.${tag}.tmp.csv`);
  try {
    if (format === 'csv') await writeCsv(temporary, dataset);
    else if (format === 'json') await writeJson(temporary, dataset, jsonLines);
    else await writeParquet(temporary, dataset, temporaryCsv);
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true });
    if (cause instanceof Error && cause.name === 'TrialkitError') throw cause;
    throw dataErrors.writeFailed(path, cause instanceof Error ? cause.message.split('\n', 1)[0]! : String(cause), cause);
  } finally {
    await rm(temporaryCsv, { force: true });
  }
}
