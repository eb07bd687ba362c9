/**
 * Typed columns out of DuckDB, column-wise, chunk by chunk.
 *
 *   SQL (read_csv / read_parquet, every column cast to DOUBLE or VARCHAR)
 *     ──run (materialised)──► data chunks (≤ 2048 rows, in scan order: preserve_insertion_order is on by default)
 *     ──► per column: DOUBLE vector bytes copied into one Float64Array (NULL → NaN), VARCHAR decoded to strings
 *
 * Why the low-level bindings: the high-level API builds a JS value per cell (row objects, or `getItem`), which
 * costs seconds for 12 million cells; copying each vector's bytes once is what makes a 1,000,000 × 12 CSV load in
 * about a second (bench/index.ts). A numeric column is reported for re-reading as text when a valid cell is NaN
 * (the file said "nan", which would otherwise be indistinguishable from a missing cell), ±Infinity (so the error
 * can quote the text, e.g. "1e400"), or 2^53 or more in size (a long integer id a double would round).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { internalError, type Column } from '@trialkit/core';

export type ColumnKind = 'number' | 'text';

export interface DuckDBSession {
  readonly connection: DuckDBConnection;
  close(): void;
}

/** A fresh in-memory DuckDB (no state shared between reads; opening costs ~40 ms). */
export async function openDuckDB(): Promise<DuckDBSession> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface DescribedColumn {
  readonly name: string;
  readonly type: string;
}

/** Column names and DuckDB types of a query's result, without running it over the whole file. */
export async function describeQuery(connection: DuckDBConnection, sql: string): Promise<DescribedColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE ${sql}`);
  return reader.getRowObjectsJS().map((row) => ({ name: String(row['column_name']), type: String(row['column_type']) }));
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** Numbers become DOUBLE; everything else (text, dates, booleans, times) is kept as its text. */
export function kindOfDuckDBType(type: string): ColumnKind {
  return NUMERIC_TYPE.test(type) ? 'number' : 'text';
}

export interface ReadColumnsResult {
  readonly nRows: number;
  readonly columns: Column[];
  /**
   * Numeric columns to re-read as text: a valid NaN cell (the file said "nan", which must not pass as missing),
   * or a magnitude of 2^53 or more (a long integer id that a double would round, merging clusters silently).
   */
  readonly rereadAsText: string[];
}

const textDecoder = new TextDecoder();

/** 2^53: beyond it doubles no longer hold every integer (Number.MAX_SAFE_INTEGER + 1). */
const UNSAFE_MAGNITUDE = 2 ** 53;

/** Decode a VARCHAR vector's strings (DuckDB's 16-byte string_t: length, then inline bytes or a pointer). */
function decodeStrings(vector: bindings.Vector, size: number, out: (string | null)[]): void {
  const data = bindings.vector_get_data(vector, size * 16);
  const validity = bindings.vector_get_validity(vector, Math.ceil(size / 64) * 8);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < size; i++) {
    if (validity && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out.push(null);
      continue;
    }
    const offset = i * 16;
    const length = view.getUint32(offset, true);
    const bytes =
      length <= 12
        ? new Uint8Array(data.buffer, data.byteOffset + offset + 4, length)
        : bindings.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + offset + 8, length);
    out.push(textDecoder.decode(bytes));
  }
}

/**
 * Run `sql` (whose columns are all DOUBLE or VARCHAR, in the order of `names`) and gather its result into typed
 * columns. Row i of every column is the i-th row DuckDB produced, which for read_csv/read_parquet with insertion
 * order preserved is the i-th data row of the file.
 */
export async function readColumns(
  connection: DuckDBConnection,
  sql: string,
  names: readonly string[],
  kinds: readonly ColumnKind[],
): Promise<ReadColumnsResult> {
  // Materialised, not streamed: a streamed result that fails part-way (a bad cell at row 200,000) ends exactly
  // like one that is exhausted — fetch_chunk returns null for both, and these bindings do not expose
  // duckdb_result_error (the same trap as duckdb-rs PR #664) — silently truncating the data. `run` rejects.
  const result = await connection.run(sql);
  const raw = (result as unknown as { result: bindings.Result }).result;
  const expectedRows = result.rowCount;
  // Each numeric column is allocated once at its final size; each vector's bytes are copied straight in.
  const numeric: (Float64Array | undefined)[] = kinds.map((kind) => (kind === 'number' ? new Float64Array(expectedRows) : undefined));
  const nullRuns: { column: number; start: number; validity: Uint8Array; size: number }[] = [];
  const texts: (string | null)[][] = names.map(() => []);
  let nRows = 0;
  // fetch_chunk walks the materialised collection in order; measured here it costs about half of what
  // result_get_chunk(i) does per chunk (each allocates and copies a 2,048-row chunk).
  for (;;) {
    const chunk = await bindings.fetch_chunk(raw);
    if (chunk === null) break;
    const size = bindings.data_chunk_get_size(chunk);
    if (size === 0) break;
    for (let column = 0; column < names.length; column++) {
      const vector = bindings.data_chunk_get_vector(chunk, column);
      if (kinds[column] === 'number') {
        const bytes = bindings.vector_get_data(vector, size * 8);
        if (nRows + size > expectedRows) throw internalError('DATA_DUCKDB_ROW_COUNT', 'DuckDB returned more rows than it reported');
        // Copy via bytes: the binding's buffer need not be 8-byte aligned.
        new Uint8Array(numeric[column]!.buffer, nRows * 8, size * 8).set(bytes);
        const validity = bindings.vector_get_validity(vector, Math.ceil(size / 64) * 8);
        if (validity) nullRuns.push({ column, start: nRows, validity, size });
      } else {
        decodeStrings(vector, size, texts[column]!);
      }
    }
    nRows += size;
  }
  if (nRows !== expectedRows) {
    throw internalError('DATA_DUCKDB_ROW_COUNT', `DuckDB reported ${expectedRows} rows but ${nRows} were read`);
  }

  // NULL cells become NaN; a NaN in a valid cell is one DuckDB parsed from the file ("nan"), reported instead.
  const nullMasks: (Uint8Array | undefined)[] = names.map(() => undefined);
  for (const run of nullRuns) {
    const mask = (nullMasks[run.column] ??= new Uint8Array(nRows));
    for (let i = 0; i < run.size; i++) {
      if ((run.validity[i >> 3]! & (1 << (i & 7))) === 0) mask[run.start + i] = 1;
    }
  }
  const rereadAsText: string[] = [];
  numeric.forEach((values, column) => {
    if (values === undefined) return;
    const mask = nullMasks[column];
    let suspect = false;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (mask !== undefined && mask[i] === 1) values[i] = Number.NaN;
      else if (!(Math.abs(value) < UNSAFE_MAGNITUDE)) suspect = true; // NaN, ±Infinity, or at least 2^53
    }
    if (suspect) rereadAsText.push(names[column]!);
  });
  const columns: Column[] = names.map((name, column) => {
    const values = numeric[column];
    return values !== undefined
      ? { kind: 'number', name, values }
      : { kind: 'text', name, values: texts[column]! };
  });
  return { nRows, columns, rereadAsText };
}
