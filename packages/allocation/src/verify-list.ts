/**
 * Verifying an allocation list at analysis: regenerate it from its metadata (scheme, version, parameters, seed) and
 * the participant file, and compare — byte for byte with the list file, and id by id with an analysis dataset.
 *
 *   list.meta.json + participants ──allocate──► regenerated list ──► same SHA-256 as list.csv and as the metadata?
 *   analysis dataset (id, assignment) ──► mismatches, ids missing from the data, ids not in the list
 */
import { sha256Hex } from '@trialkit/core';
import type { Seed } from '@trialkit/core';
import { allocate } from './allocate.js';
import { seedText } from './derive.js';
import { allocationErrors } from './errors.js';
import { listToCsv, parseListCsv } from './list.js';
import type { Participants } from './participants.js';
import type { AllocationMeta, AllocationRequest, SchemeName } from './types.js';

export interface ListProblem {
  readonly code: string;
  readonly message: string;
}

export interface ListVerification {
  readonly ok: boolean;
  readonly schemeVersion: string;
  readonly rows: number;
  readonly problems: readonly ListProblem[];
  /** Rows of the list file whose arm differs from the regenerated list. */
  readonly mismatches: readonly { id: string; listed: string; regenerated: string; row: number }[];
  readonly data?: {
    readonly compared: number;
    readonly mismatches: readonly { id: string; listed: string; data: string | null; row: number }[];
    readonly missing: readonly string[];
    readonly extra: readonly { id: string; row: number }[];
  };
}

/** The participant columns a list's metadata says were used (for readParticipants). */
export function columnsOfMeta(meta: AllocationMeta): { id: string; strata?: string[]; cluster?: string; factors?: { name: string; weight: number }[]; covariates?: string[] } {
  const p = meta.parameters as Record<string, unknown>;
  return {
    id: typeof p['id'] === 'string' ? p['id'] : 'id',
    ...(Array.isArray(p['strata']) ? { strata: p['strata'] as string[] } : {}),
    ...(typeof p['cluster'] === 'string' ? { cluster: p['cluster'] } : {}),
    ...(Array.isArray(p['factors']) ? { factors: p['factors'] as { name: string; weight: number }[] } : {}),
    ...(Array.isArray(p['covariates']) ? { covariates: p['covariates'] as string[] } : {}),
  };
}

/**
 * The allocation request a list's metadata describes, for these participants and seed: what `verifyList`
 * regenerates, and what randomisation inference re-runs with other seeds (`trialkit estimate --allocation-dir`).
 */
export function requestFromMeta(meta: AllocationMeta, participants: Participants, seed: Seed): AllocationRequest {
  const p = meta.parameters as Record<string, unknown>;
  return {
    ids: participants.ids,
    arms: String(p['arms']),
    scheme: meta.scheme as SchemeName,
    seed,
    idColumn: participants.idColumn,
    ...(participants.strata !== undefined ? { strata: participants.strata, strataColumns: participants.strataColumns ?? [] } : {}),
    ...(participants.clusters !== undefined ? { clusters: participants.clusters, clusterColumn: participants.clusterColumn ?? '' } : {}),
    ...(Array.isArray(p['blockSizes']) ? { blockSizes: p['blockSizes'] as number[] } : {}),
    ...(participants.factors !== undefined ? { factors: participants.factors } : {}),
    ...(p['imbalance'] === 'range' || p['imbalance'] === 'variance' ? { imbalance: p['imbalance'] } : {}),
    ...(typeof p['bestProbability'] === 'number' ? { bestProbability: p['bestProbability'] } : {}),
    ...(participants.covariates !== undefined ? { covariates: participants.covariates } : {}),
    ...(typeof p['candidates'] === 'number' ? { candidates: p['candidates'] } : {}),
    ...(typeof p['bestShare'] === 'number' ? { bestShare: p['bestShare'] } : {}),
    ...(typeof p['threshold'] === 'number' ? { threshold: p['threshold'] } : {}),
    ...(typeof p['maxDraws'] === 'number' ? { maxDraws: p['maxDraws'] } : {}),
  };
}

export function verifyList(input: {
  listCsv: string;
  meta: AllocationMeta;
  participants: Participants;
  seed?: Seed;
  data?: { ids: readonly (string | null)[]; assignments: readonly (string | null)[] };
}): ListVerification {
  const { meta, participants } = input;
  const seed = input.seed ?? meta.seed;
  if (seed === undefined) {
    throw allocationErrors.badOption('--seed', undefined, 'The list metadata holds only the seed commitment, so the list cannot be regenerated', 'Give the seed with --seed (it must hash to the seedCommitment in the metadata).');
  }
  const problems: ListProblem[] = [];
  if (sha256Hex(seedText(seed)) !== meta.seedCommitment) problems.push({ code: 'LIST_SEED_NOT_COMMITTED', message: 'the seed does not hash to the seedCommitment in the metadata' });
  if (sha256Hex(input.listCsv) !== meta.listSha256) problems.push({ code: 'LIST_FILE_CHANGED', message: 'the list file does not have the SHA-256 recorded in its metadata (it was edited or replaced)' });
  if (meta.inputFileSha256 !== undefined && participants.fileSha256 !== undefined && participants.fileSha256 !== meta.inputFileSha256) {
    problems.push({ code: 'LIST_PARTICIPANTS_CHANGED', message: 'the participant file differs from the one the list was made from (SHA-256 mismatch)' });
  }
  const request = requestFromMeta(meta, participants, seed);
  const regenerated = allocate(request);
  if (regenerated.meta.schemeVersion !== meta.schemeVersion) {
    problems.push({ code: 'LIST_SCHEME_VERSION', message: `the list was made by ${meta.schemeVersion}; this trialkit regenerates ${regenerated.meta.schemeVersion}` });
  }
  if (regenerated.meta.inputSha256 !== meta.inputSha256) problems.push({ code: 'LIST_INPUTS_CHANGED', message: 'the participants (ids, strata, clusters, factors or covariates) differ from those the list was made from' });
  const listed = parseListCsv(input.listCsv);
  const byId = new Map(regenerated.rows.map((r) => [r.id, r.arm]));
  const mismatches: { id: string; listed: string; regenerated: string; row: number }[] = [];
  listed.forEach((row, i) => {
    const arm = byId.get(row.id);
    if (arm === undefined) problems.push({ code: 'LIST_UNKNOWN_ID', message: `row ${i + 1} of the list names ${JSON.stringify(row.id)}, who is not in the participant file` });
    else if (arm !== row.arm) mismatches.push({ id: row.id, listed: row.arm, regenerated: arm, row: i + 1 });
  });
  if (listed.length !== regenerated.rows.length) problems.push({ code: 'LIST_LENGTH', message: `the list has ${listed.length} rows; the participant file gives ${regenerated.rows.length}` });
  if (mismatches.length > 0) problems.push({ code: 'LIST_ARM_MISMATCH', message: `${mismatches.length} rows of the list differ from the regenerated allocation` });
  if (listToCsv(regenerated.rows) !== input.listCsv && mismatches.length === 0 && problems.length === 0) {
    problems.push({ code: 'LIST_BYTES_DIFFER', message: 'the regenerated list is not byte-identical to the list file' });
  }
  let data: ListVerification['data'];
  if (input.data !== undefined) {
    const listedArm = new Map(listed.map((r) => [r.id, r.arm]));
    const seen = new Set<string>();
    const dataMismatches: { id: string; listed: string; data: string | null; row: number }[] = [];
    const extra: { id: string; row: number }[] = [];
    input.data.ids.forEach((id, i) => {
      if (id === null) return void extra.push({ id: '', row: i + 1 });
      seen.add(id);
      const arm = listedArm.get(id);
      const value = input.data?.assignments[i] ?? null;
      if (arm === undefined) extra.push({ id, row: i + 1 });
      else if (arm !== value) dataMismatches.push({ id, listed: arm, data: value, row: i + 1 });
    });
    const missing = listed.map((r) => r.id).filter((id) => !seen.has(id));
    data = { compared: seen.size, mismatches: dataMismatches, missing, extra };
    if (dataMismatches.length + missing.length + extra.length > 0) {
      problems.push({ code: 'LIST_DATA_MISMATCH', message: `the analysis dataset differs from the list: ${dataMismatches.length} mismatched, ${missing.length} missing, ${extra.length} not in the list` });
    }
  }
  return { ok: problems.length === 0, schemeVersion: meta.schemeVersion, rows: listed.length, problems, mismatches, ...(data !== undefined ? { data } : {}) };
}
