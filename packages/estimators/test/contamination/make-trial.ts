/** Build a PreparedTrial-shaped input from plain arrays for the contamination and binary tests. */
import type { TrialGrouping, TrialInput, TrialNamedVector } from '../../src/binary/trial-input.js';

export interface TrialArrays {
  readonly z: readonly number[];
  readonly d?: readonly number[];
  readonly y: readonly number[];
  readonly covariates?: Readonly<Record<string, readonly number[]>>;
  readonly by?: { readonly name: string; readonly values: readonly string[] };
  readonly cluster?: readonly string[];
}

function grouping(name: string, values: readonly string[]): TrialGrouping {
  const labels = [...new Set(values)].sort();
  const index = new Map(labels.map((label, k) => [label, k]));
  return { name, labels, codes: Int32Array.from(values, (v) => index.get(v) as number) };
}

export function makeTrial(arrays: TrialArrays, outcomeName = 'y'): TrialInput {
  const n = arrays.z.length;
  const covariates: TrialNamedVector[] = Object.entries(arrays.covariates ?? {}).map(([name, values]) => ({
    name,
    values: Float64Array.from(values),
  }));
  return {
    n,
    outcome: { name: outcomeName, values: Float64Array.from(arrays.y) },
    assignment: { name: 'z', values: Float64Array.from(arrays.z) },
    ...(arrays.d === undefined ? {} : { received: { name: 'd', values: Float64Array.from(arrays.d) } }),
    covariates,
    ...(arrays.by === undefined ? {} : { by: grouping(arrays.by.name, arrays.by.values) }),
    ...(arrays.cluster === undefined ? {} : { cluster: grouping('site', arrays.cluster) }),
    sourceRows: Uint32Array.from({ length: n }, (_, i) => i + 1),
  };
}

/** The fixture's data layout (fixtures/contamination/compliance.json). */
export interface FixtureTrial {
  z: number[];
  d: number[];
  y: number[];
  yb: number[];
  age: number[];
  female: number[];
  office: string[];
  caseworker: string[];
}

export function fixtureTrial(data: FixtureTrial, outcome: 'y' | 'yb' = 'y', clustered = false): TrialInput {
  return makeTrial(
    {
      z: data.z,
      d: data.d,
      y: outcome === 'y' ? data.y : data.yb,
      covariates: { age: data.age, female: data.female },
      by: { name: 'office', values: data.office },
      ...(clustered ? { cluster: data.caseworker } : {}),
    },
    outcome,
  );
}
