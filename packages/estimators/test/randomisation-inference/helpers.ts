/** Building PreparedTrials for the randomisation-inference tests, and reading the R enumeration fixtures. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PreparedTrial } from '@trialkit/data';
import { grouping } from '../fixtures.js';

export interface RiCase {
  name: string;
  statistic: 'dim' | 't';
  design: 'complete' | 'blocked' | 'clustered' | 'block-clustered';
  y: number[];
  z: number[];
  block: string[] | null;
  cluster: string[] | null;
  nPossible: number;
  observed: number;
  nAsExtreme: number;
  pValue: number;
}

export interface RiFixture {
  r_version: string;
  jsonlite_version: string;
  tie_tolerance: number;
  cases: RiCase[];
}

export function readRiFixture(): RiFixture {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'randomisation-inference');
  return JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as RiFixture;
}


export interface TrialArrays {
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  block?: readonly (string | number)[] | null;
  cluster?: readonly (string | number)[] | null;
  covariates?: number;
}

/** A PreparedTrial as prepareTrial would give it (no missing rows, arms coded 0/1). */
export function makeTrial(arrays: TrialArrays): PreparedTrial {
  const n = arrays.y.length;
  const block = arrays.block ?? null;
  const cluster = arrays.cluster ?? null;
  return {
    n,
    roles: {
      outcome: 'y',
      assignment: 'z',
      ...(block === null ? {} : { blocks: 'block' }),
      ...(cluster === null ? {} : { cluster: 'cluster' }),
    },
    arms: { control: '0', treatment: '1' },
    outcome: { name: 'y', values: Float64Array.from(arrays.y) },
    assignment: { name: 'z', values: Float64Array.from(arrays.z) },
    covariates: Array.from({ length: arrays.covariates ?? 0 }, (_, j) => ({ name: `x${j}`, values: new Float64Array(n).fill(j) })),
    ...(block === null ? {} : { blocks: grouping('block', block) }),
    ...(cluster === null ? {} : { cluster: grouping('cluster', cluster) }),
    sourceRows: Uint32Array.from({ length: n }, (_, i) => i + 1),
    missing: { total: 0, control: 0, treatment: 0, unknownArm: 0, byColumn: {} },
    diagnostics: [],
  };
}

export function trialOfCase(c: RiCase): PreparedTrial {
  return makeTrial({ y: c.y, z: c.z, block: c.block, cluster: c.cluster });
}
