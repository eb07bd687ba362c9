/** Argument checks shared by the estimator entry points (one place, so every estimator refuses alike). */
import type { Diagnostic } from '@trialkit/core';
import { estimatorsErrors } from './errors.js';

/** A grouping coded 0…labels.length−1 (the shape of @trialkit/data's `Grouping`). */
export interface GroupCodes {
  readonly name?: string;
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}

/** One row of a coefficient table, in estimatr's `tidy()` vocabulary. */
export interface CoefficientRow {
  readonly term: string;
  readonly estimate: number;
  readonly stdError: number;
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
}

export function checkLevel(level: number | undefined): number {
  const value = level ?? 0.95;
  if (!(typeof value === 'number' && value > 0 && value < 1)) throw estimatorsErrors.badLevel(level);
  return value;
}

export function checkFinite(values: Float64Array, argument: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw estimatorsErrors.nonFinite(argument, i + 1);
  }
}

export function checkLength(values: { length: number }, n: number, argument: string): void {
  if (values.length !== n) throw estimatorsErrors.lengthMismatch(argument, n, values.length);
}

/** Assignment coded 0/1 → Uint8Array; anything else is refused. */
export function toTreatment(values: Float64Array | Uint8Array, argument: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1) throw estimatorsErrors.notBinary(argument, v, i + 1);
    out[i] = v;
  }
  return out;
}

/** Rows of each group, in code order (codes without rows give empty arrays). */
export function rowsByGroup(codes: Int32Array, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (let i = 0; i < codes.length; i++) sizes[codes[i]!]!++;
  const out = Array.from({ length: count }, (_, g) => new Int32Array(sizes[g]!));
  const fill = new Int32Array(count);
  for (let i = 0; i < codes.length; i++) {
    const g = codes[i]!;
    out[g]![fill[g]!] = i;
    fill[g] = fill[g]! + 1;
  }
  return out;
}

export type { Diagnostic };
