/** Reading the committed golden fixtures (written by fixtures/make-fixtures.R) and comparing with tolerance. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as T;
}

/** A CSV written by make-fixtures.R: header row, numbers with 17 significant digits, "NA" for missing. */
export function readCsv(name: string): Record<string, Float64Array | string[]> & { nRows: number } {
  const text = readFileSync(join(FIXTURE_DIR, 'data', name), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const cells = lines.slice(1).map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
  const out: Record<string, Float64Array | string[]> = {};
  header.forEach((name, j) => {
    const raw = cells.map((row) => row[j] ?? 'NA');
    const numeric = raw.every((c) => c === 'NA' || c === '' || Number.isFinite(Number(c)));
    out[name] = numeric ? Float64Array.from(raw, (c) => (c === 'NA' || c === '' ? NaN : Number(c))) : raw;
  });
  return Object.assign(out, { nRows: cells.length });
}

/** |actual − expected| ≤ rel·|expected| (or ≤ abs when expected is ~0); null in the fixture means NA/NaN. */
export function expectClose(actual: number, expected: number | null, rel = 1e-8, abs = 1e-12, label = ''): void {
  if (expected === null || Number.isNaN(expected)) {
    expect(Number.isFinite(actual), `${label}: expected NA, got ${actual}`).toBe(false);
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const tolerance = Math.max(rel * Math.abs(expected), abs);
  const ok = Math.abs(actual - expected) <= tolerance;
  expect(ok, `${label}: ${actual} vs R ${expected} (rel diff ${Math.abs(actual - expected) / Math.abs(expected)})`).toBe(true);
}

/** A grouping as prepareTrial codes it: labels in order of first appearance, codes into them. */
export function grouping(name: string, values: readonly (string | number)[]): { name: string; codes: Int32Array; labels: string[] } {
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    const key = String(v);
    let code = index.get(key);
    if (code === undefined) {
      code = labels.length;
      index.set(key, code);
      labels.push(key);
    }
    codes[i] = code;
  });
  return { name, codes, labels };
}
