/**
 * JSON → typed columns, in JavaScript: an array of flat records (`.json`) or one record per line (`.jsonl`).
 * Columns are the union of the records' keys in order of first appearance; a key a record lacks is a missing
 * cell (as jsonlite's fromJSON fills NA). A column is numeric when every non-missing value is a JSON number;
 * otherwise its values are kept as text (numbers written as JavaScript prints them, booleans as "true"/"false"),
 * which is what the CSV reader holds for the same data.
 */
import { readFile } from 'node:fs/promises';
import type { Column } from '@trialkit/core';
import { checkColumnNames } from './csv-text.js';
import { dataErrors } from './errors.js';

export interface JsonTable {
  readonly nRows: number;
  readonly columns: Column[];
}

type Cell = number | string | boolean | null;

function parseRecords(file: string, text: string, lines: boolean): Record<string, unknown>[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw dataErrors.emptyFile(file);
  if (lines) {
    const records: Record<string, unknown>[] = [];
    const lineTexts = body.split(/\r?\n/);
    lineTexts.forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        throw dataErrors.badJson(file, `Line ${index + 1} is not valid JSON`, records.length + 1, cause);
      }
      records.push(asRecord(file, value, records.length + 1));
    });
    return records;
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw dataErrors.badJson(file, `The file is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`, undefined, cause);
  }
  if (!Array.isArray(value)) throw dataErrors.badJson(file, 'The file holds a JSON value that is not an array of records');
  return value.map((item, index) => asRecord(file, item, index + 1));
}

function asRecord(file: string, value: unknown, row: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw dataErrors.badJson(file, `Record ${row} is not a JSON object`, row);
  }
  return value as Record<string, unknown>;
}

export async function readJson(file: string, lines: boolean, naValues: readonly string[], textColumns: readonly string[] = []): Promise<JsonTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw dataErrors.fileNotFound(file, cause);
  }
  const records = parseRecords(file, text, lines);
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  checkColumnNames(names, file);
  const missing = new Set(naValues);
  const forcedText = new Set(textColumns);
  const columns: Column[] = names.map((name) => {
    const cells: Cell[] = new Array<Cell>(records.length);
    let allNumbers = !forcedText.has(name);
    let anyValue = false;
    records.forEach((record, index) => {
      const value = record[name];
      let cell: Cell;
      if (value === undefined || value === null) cell = null;
      else if (typeof value === 'number' || typeof value === 'boolean') cell = value;
      else if (typeof value === 'string') cell = missing.has(value) ? null : value;
      else throw dataErrors.badJson(file, `Record ${index + 1} has a nested value in "${name}"; records must be flat`, index + 1);
      if (cell !== null) {
        anyValue = true;
        if (typeof cell !== 'number') allNumbers = false;
      }
      cells[index] = cell;
    });
    if (allNumbers && anyValue) {
      const values = new Float64Array(records.length);
      cells.forEach((cell, index) => {
        values[index] = cell === null ? Number.NaN : (cell as number);
      });
      return { kind: 'number', name, values };
    }
    return { kind: 'text', name, values: cells.map((cell) => (cell === null ? null : String(cell))) };
  });
  return { nRows: records.length, columns };
}
