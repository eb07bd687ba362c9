/** The shapes allocation takes and returns. */
import type { Diagnostic, Seed } from '@trialkit/core';
import type { ArmRatio } from './arms.js';

export type SchemeName =
  | 'simple'
  | 'complete'
  | 'block'
  | 'stratified'
  | 'cluster'
  | 'minimisation'
  | 'constrained'
  | 'rerandomisation';

export const SCHEME_NAMES: readonly SchemeName[] = [
  'simple',
  'complete',
  'block',
  'stratified',
  'cluster',
  'minimisation',
  'constrained',
  'rerandomisation',
];

/** A minimisation factor: one level per participant (in id order) and its weight (default 1). */
export interface MinimisationFactor {
  readonly name: string;
  readonly values: readonly (string | null | undefined)[];
  readonly weight?: number;
}

/** A numeric baseline covariate, one value per participant (in id order), for balance-based schemes. */
export interface BalanceCovariate {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

export interface AllocationRequest {
  readonly ids: readonly string[];
  readonly arms: readonly ArmRatio[] | string;
  readonly scheme: SchemeName;
  readonly seed: Seed;
  /** One stratum label per id (the combined key of all stratification columns). */
  readonly strata?: readonly (string | null | undefined)[];
  /** Names of the columns the stratum labels combine (recorded in the metadata only). */
  readonly strataColumns?: readonly string[];
  /** One cluster label per id. */
  readonly clusters?: readonly (string | null | undefined)[];
  /** Name of the cluster column (metadata and error messages). */
  readonly clusterColumn?: string;
  /** Permuted-block sizes: multiples of the ratio sum; each block's size is drawn uniformly from this set. */
  readonly blockSizes?: readonly number[];
  /** Minimisation factors (default: none — then the strata form one factor). */
  readonly factors?: readonly MinimisationFactor[];
  /** Minimisation imbalance measure (default 'range'). */
  readonly imbalance?: 'range' | 'variance';
  /** Minimisation: probability of the preferred arm for the arm with the smallest ratio (default 0.8). */
  readonly bestProbability?: number;
  /** Constrained and re-randomisation: numeric covariates to balance. */
  readonly covariates?: readonly BalanceCovariate[];
  /** Constrained randomisation: candidate allocations to sample when there are too many to enumerate (default 10000). */
  readonly candidates?: number;
  /** Constrained randomisation: share of best-balanced candidates to draw from (default 0.1). */
  readonly bestShare?: number;
  /** Re-randomisation: acceptance probability under simple chance (default 0.1) — sets the χ² threshold. */
  readonly acceptance?: number;
  /** Re-randomisation: Mahalanobis threshold (overrides `acceptance`). */
  readonly threshold?: number;
  /** Re-randomisation: give up after this many draws (default 100000). */
  readonly maxDraws?: number;
  /** Record only SHA-256 of the seed in the metadata, not the seed itself. */
  readonly concealSeed?: boolean;
  /** Name of the id column (error messages). */
  readonly idColumn?: string;
  /** SHA-256 of the participant file, when read from one (recorded in the metadata). */
  readonly inputFileSha256?: string;
}

export interface AllocationRow {
  readonly id: string;
  readonly stratum: string;
  /** 1-based position within the stratum (the order the list would be used in). */
  readonly sequence: number;
  readonly arm: string;
  /** Cluster label, for cluster schemes. */
  readonly cluster?: string;
}

export interface AllocationMeta {
  readonly scheme: SchemeName;
  /** `<algorithm>@<version>`: a new version whenever the algorithm's output for the same inputs would change. */
  readonly schemeVersion: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The seed as text, unless concealed. */
  readonly seed?: string;
  /** SHA-256 (hex) of the seed's text. */
  readonly seedCommitment: string;
  readonly trialkitVersion: string;
  /** SHA-256 of the allocation inputs (ids, strata, clusters, factors, covariates; see list.ts). */
  readonly inputSha256: string;
  /** SHA-256 of the participant file, when there was one. */
  readonly inputFileSha256?: string;
  /** SHA-256 of the list as written by `listToCsv`. */
  readonly listSha256: string;
  readonly n: number;
  readonly targets: Readonly<Record<string, number>>;
  readonly counts: Readonly<Record<string, number>>;
  readonly countsByStratum: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly diagnostics: readonly Diagnostic[];
  /** Scheme-specific report (constrained randomisation validity, re-randomisation draws, block sizes used…). */
  readonly report?: Readonly<Record<string, unknown>>;
}

export interface AllocationList {
  /** The rows (built on first access: large lists are usually only written out, from `csv`). */
  readonly rows: readonly AllocationRow[];
  /** The list as CSV bytes, exactly `listToCsv(rows)` (what `meta.listSha256` hashes); built on first access. */
  readonly csv: Buffer;
  readonly meta: AllocationMeta;
}
