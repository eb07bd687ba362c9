/** Checking allocation inputs: ids, strata and clusters, one per participant, with row-numbered errors. */
import { allocationErrors } from './errors.js';

/** The stratum label of every participant when there is no stratification. */
export const NO_STRATUM = 'all';

export interface PreparedUnits {
  readonly n: number;
  readonly ids: readonly string[];
  /** Stratum label per participant. */
  readonly strata: readonly string[];
  /** Distinct strata in order of first appearance. */
  readonly strataOrder: readonly string[];
  /** Index into strataOrder per participant. */
  readonly stratumIndex: Int32Array;
  /** Cluster label per participant, when given. */
  readonly clusters?: readonly string[];
}

function isMissing(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  // Fast path: a non-empty string that does not start or end with whitespace is not blank.
  const first = value.charCodeAt(0);
  if (value.length > 0 && first > 32 && value.charCodeAt(value.length - 1) > 32) return false;
  return value.trim() === '';
}

export function prepareUnits(input: {
  ids: readonly string[];
  strata?: readonly (string | null | undefined)[] | undefined;
  strataColumns?: readonly string[] | undefined;
  clusters?: readonly (string | null | undefined)[] | undefined;
  clusterColumn?: string | undefined;
  idColumn?: string | undefined;
}): PreparedUnits {
  const { ids } = input;
  if (!Array.isArray(ids) || ids.length === 0) throw allocationErrors.empty();
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (typeof id !== 'string' || isMissing(id)) throw allocationErrors.missingId(i + 1, input.idColumn);
  }
  // Building the Set in one call is about twice as fast as has/add per id; only when its size shows a duplicate
  // do we walk the ids again to name the first one.
  if (new Set(ids).size !== n) {
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const id = ids[i] as string;
      const first = seen.get(id);
      if (first !== undefined) throw allocationErrors.duplicateId(id, i + 1, first, input.idColumn);
      seen.set(id, i + 1);
    }
  }
  let strata: string[];
  if (input.strata !== undefined) {
    if (input.strata.length !== n) throw allocationErrors.lengthMismatch('strata', n, input.strata.length);
    const column = input.strataColumns?.join(',');
    for (let i = 0; i < n; i++) {
      const label = input.strata[i];
      if (typeof label !== 'string' || isMissing(label)) throw allocationErrors.missingStratum(i + 1, column);
    }
    strata = input.strata as string[]; // every entry checked to be a non-blank string; never modified
  } else {
    strata = new Array<string>(n).fill(NO_STRATUM);
  }
  const strataOrder: string[] = [];
  const indexOf = new Map<string, number>();
  const stratumIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = strata[i] as string;
    let index = indexOf.get(label);
    if (index === undefined) {
      index = strataOrder.length;
      indexOf.set(label, index);
      strataOrder.push(label);
    }
    stratumIndex[i] = index;
  }
  let clusters: string[] | undefined;
  if (input.clusters !== undefined) {
    if (input.clusters.length !== n) throw allocationErrors.lengthMismatch('clusters', n, input.clusters.length);
    clusters = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const label = input.clusters[i];
      if (typeof label !== 'string' || isMissing(label)) throw allocationErrors.missingCluster(i + 1, input.clusterColumn);
      clusters[i] = label;
    }
  }
  return { n, ids, strata, strataOrder, stratumIndex, ...(clusters !== undefined ? { clusters } : {}) };
}
