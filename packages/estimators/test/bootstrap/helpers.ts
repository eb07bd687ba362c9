/** Reading the R boot fixtures and building PreparedTrials for the bootstrap tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NamedVector, PreparedTrial } from '@trialkit/data';
import { grouping } from '../fixtures.js';

export interface BootCiFixture {
  conf: number;
  normal: [number, number];
  basic: [number, number];
  percent: [number, number];
  bca: [number, number];
  warnings: string[] | string;
}

export interface BootCase {
  name: string;
  description: string;
  R: number;
  n_units: number;
  unit_strata: number[];
  t0: number | number[];
  /** R × k (or R when k = 1); "Inf"/"-Inf"/"NaN" as text. */
  t: ((number | string) | (number | string)[])[];
  indices: number[][];
  L: number[];
  index: number;
  bias: number;
  sd: number;
  ci: BootCiFixture[];
  y?: number[];
  z?: number[];
  block?: number[];
  cluster?: number[];
  cost?: number[];
  job?: number[];
}

export interface BootFixture {
  r_version: string;
  boot_version: string;
  jsonlite_version: string;
  cases: BootCase[];
}

export function readBootFixture(): BootFixture {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bootstrap');
  return JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as BootFixture;
}

export function bootCase(name: string): BootCase {
  const found = readBootFixture().cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture case ${name}`);
  return found;
}

function toNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  if (value === 'Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number.NaN;
}

/** Component k (0-based) of the replicates. */
export function replicates(c: BootCase, k: number): Float64Array {
  return Float64Array.from(c.t, (row) => toNumber(Array.isArray(row) ? row[k]! : row));
}

export function t0Of(c: BootCase, k: number): number {
  return Array.isArray(c.t0) ? c.t0[k]! : c.t0;
}

/** boot.array(b, indices = TRUE) − 1: 0-based unit indices per replicate. */
export function zeroBased(c: BootCase): Int32Array[] {
  return c.indices.map((row) => Int32Array.from(row, (i) => i - 1));
}

export function warned(ci: BootCiFixture): boolean {
  const w = ci.warnings;
  return (Array.isArray(w) ? w : [w]).some((m) => m.includes('extreme order statistics'));
}

/** Relative difference (absolute below |expected| = 1e-300). */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}


export interface TrialArrays {
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  block?: readonly (string | number)[] | null;
  cluster?: readonly (string | number)[] | null;
  covariates?: readonly NamedVector[];
  outcomeName?: string;
}

/** A PreparedTrial as prepareTrial would give it (no missing rows, arms coded 0/1). */
export function makeTrial(arrays: TrialArrays): PreparedTrial {
  const n = arrays.y.length;
  const block = arrays.block ?? null;
  const cluster = arrays.cluster ?? null;
  const outcome = arrays.outcomeName ?? 'y';
  return {
    n,
    roles: {
      outcome,
      assignment: 'z',
      ...(block === null ? {} : { blocks: 'block' }),
      ...(cluster === null ? {} : { cluster: 'cluster' }),
    },
    arms: { control: '0', treatment: '1' },
    outcome: { name: outcome, values: Float64Array.from(arrays.y) },
    assignment: { name: 'z', values: Float64Array.from(arrays.z) },
    covariates: arrays.covariates ?? [],
    ...(block === null ? {} : { blocks: grouping('block', block) }),
    ...(cluster === null ? {} : { cluster: grouping('cluster', cluster) }),
    sourceRows: Uint32Array.from({ length: n }, (_, i) => i + 1),
    missing: { total: 0, control: 0, treatment: 0, unknownArm: 0, byColumn: {} },
    diagnostics: [],
  };
}

/** The trial of an ITT fixture case (rows in the fixture's order). */
export function trialOfCase(c: BootCase): PreparedTrial {
  if (c.cost !== undefined && c.job !== undefined) {
    return makeTrial({ y: c.cost, z: c.z!, outcomeName: 'cost', covariates: [{ name: 'job', values: Float64Array.from(c.job) }] });
  }
  return makeTrial({ y: c.y!, z: c.z!, block: c.block ?? null, cluster: c.cluster ?? null });
}
