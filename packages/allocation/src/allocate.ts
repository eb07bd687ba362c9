/**
 * allocate(request): check the inputs, run the scheme, and build the list with its metadata.
 *
 *   request ──checkArms / prepareUnits──► units (ids, strata, clusters)
 *           ──scheme (schemes/*.ts, each from its own HMAC-derived stream)──► arm index per participant
 *           ──► rows (input order; sequence = position within stratum) ──listToCsv──► listSha256
 *           ──► meta (scheme@version, parameters, seed or its commitment, hashes, realised counts)
 */
import { TRIALKIT_VERSION, sha256Hex } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import type { ArmRatio } from './arms.js';
import { armsToText, checkArms, ratioSum } from './arms.js';
import { seedText } from './derive.js';
import { allocationErrors } from './errors.js';
import { hashInputs } from './list.js';
import { hashList, listCsvBytes } from './list-bytes.js';
import type { PreparedUnits } from './prepare.js';
import { prepareUnits } from './prepare.js';
import { BLOCK_VERSION, BlockStream, checkBlockSizes } from './schemes/block.js';
import { CLUSTER_VERSION, clusterAllocation } from './schemes/cluster.js';
import { COMPLETE_VERSION, completeAllocation } from './schemes/complete.js';
import { SIMPLE_VERSION, simpleAllocation } from './schemes/simple.js';
import { MINIMISATION_VERSION, minimisationAllocation, prepareFactors } from './schemes/minimisation.js';
import { CONSTRAINED_VERSION, constrainedAllocation } from './schemes/constrained.js';
import { RERANDOMISATION_VERSION, rerandomisationAllocation } from './schemes/rerandomisation.js';
import type { AllocationList, AllocationMeta, AllocationRequest, AllocationRow, SchemeName } from './types.js';
import { SCHEME_NAMES } from './types.js';

export interface SchemeResult {
  readonly armIndex: Uint8Array;
  readonly version: string;
  readonly parameters: Record<string, unknown>;
  readonly report?: Record<string, unknown>;
  readonly diagnostics?: Diagnostic[];
}

/** Allocate every participant of `request` by its scheme. Throws TrialkitError on bad input; writes nothing. */
export function allocate(request: AllocationRequest): AllocationList {
  const { arms, units, result } = assignArms(request);
  return buildList(request, arms, units, result, seedText(request.seed));
}

/** The arm index (into the checked arms) of every participant, without building the list (design simulation). */
export function assignArms(request: AllocationRequest): { arms: ArmRatio[]; units: PreparedUnits; result: SchemeResult } {
  if (!SCHEME_NAMES.includes(request.scheme)) throw allocationErrors.badScheme(request.scheme, SCHEME_NAMES);
  const arms = checkArms(request.arms);
  seedText(request.seed);
  const units = prepareUnits(request);
  return { arms, units, result: runScheme(request, arms, units) };
}

function runScheme(request: AllocationRequest, arms: readonly ArmRatio[], units: PreparedUnits): SchemeResult {
  const scheme: SchemeName = request.scheme;
  const base = {
    arms: armsToText(arms),
    ...(request.idColumn !== undefined ? { id: request.idColumn } : {}),
    ...(request.strataColumns ? { strata: request.strataColumns } : {}),
  };
  switch (scheme) {
    case 'simple':
      return { armIndex: simpleAllocation(units.n, arms, request.seed), version: SIMPLE_VERSION, parameters: base };
    case 'complete':
    case 'stratified': {
      if (scheme === 'stratified' && request.strata === undefined) {
        throw allocationErrors.badOption('--strata', undefined, 'Stratified randomisation needs stratification columns', 'Give --strata col1,col2 (or use --scheme complete).');
      }
      return {
        armIndex: completeAllocation(units.stratumIndex, units.strataOrder.length, arms, request.seed),
        version: COMPLETE_VERSION,
        parameters: base,
      };
    }
    case 'block': {
      const blockSizes = checkBlockSizes(arms, request.blockSizes);
      const armIndex = new Uint8Array(units.n);
      const usedSizes: Record<string, number[]> = {};
      // Units of each stratum in input order take that stratum's stream in turn.
      const streams = units.strataOrder.map((stratum) => BlockStream.forStratum(request.seed, stratum, arms, blockSizes));
      for (let i = 0; i < units.n; i++) armIndex[i] = (streams[units.stratumIndex[i] as number] as BlockStream).next();
      units.strataOrder.forEach((stratum, s) => {
        usedSizes[stratum] = (streams[s] as BlockStream).sizesUsed;
      });
      const blocksDrawn = Object.values(usedSizes).reduce((sum, list) => sum + list.length, 0);
      return {
        armIndex,
        version: BLOCK_VERSION,
        parameters: { ...base, blockSizes },
        report: { blocksDrawn, blockSizeCounts: countSizes(usedSizes, blockSizes) },
      };
    }
    case 'cluster': {
      if (units.clusters === undefined) {
        throw allocationErrors.badOption('--cluster', undefined, 'Cluster randomisation needs a cluster column', 'Give --cluster <column>.');
      }
      const { perUnit, perCluster, clusters } = clusterAllocation(units, arms, request.seed);
      const clustersPerArm: Record<string, number> = {};
      arms.forEach((arm) => (clustersPerArm[arm.name] = 0));
      for (const a of perCluster) clustersPerArm[(arms[a] as ArmRatio).name] = (clustersPerArm[(arms[a] as ArmRatio).name] ?? 0) + 1;
      return {
        armIndex: perUnit,
        version: CLUSTER_VERSION,
        parameters: { ...base, ...(request.clusterColumn ? { cluster: request.clusterColumn } : {}) },
        report: { clusters: clusters.labels.length, clustersPerArm },
      };
    }
    case 'minimisation': {
      const factors = prepareFactors(request, units);
      const result = minimisationAllocation(factors, arms, request.seed, {
        imbalance: request.imbalance ?? 'range',
        bestProbability: request.bestProbability ?? 0.8,
      });
      return {
        armIndex: result.armIndex,
        version: MINIMISATION_VERSION,
        parameters: { ...base, ...result.parameters },
        report: result.report,
      };
    }
    case 'constrained': {
      const result = constrainedAllocation(request, units, arms);
      return { armIndex: result.armIndex, version: CONSTRAINED_VERSION, parameters: { ...base, ...result.parameters }, report: result.report, diagnostics: result.diagnostics };
    }
    case 'rerandomisation': {
      const result = rerandomisationAllocation(request, units, arms);
      return { armIndex: result.armIndex, version: RERANDOMISATION_VERSION, parameters: { ...base, ...result.parameters }, report: result.report };
    }
  }
}

function countSizes(used: Record<string, number[]>, declared: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const size of declared) out[String(size)] = 0;
  for (const list of Object.values(used)) for (const size of list) out[String(size)] = (out[String(size)] ?? 0) + 1;
  return out;
}

function buildList(
  request: AllocationRequest,
  arms: readonly ArmRatio[],
  units: PreparedUnits,
  result: SchemeResult,
  seed: string,
): AllocationList {
  const A = arms.length;
  const S = units.strataOrder.length;
  const tally = new Int32Array(S * A);
  for (let i = 0; i < units.n; i++) {
    const cell = (units.stratumIndex[i] as number) * A + (result.armIndex[i] as number);
    tally[cell] = (tally[cell] as number) + 1;
  }
  // One pass over the columns streams the CSV bytes and the input-hash bytes through SHA-256 (list-bytes.ts); the
  // CSV Buffer and the row objects are only built if someone reads `csv` or `rows`.
  const armNames = arms.map((arm) => arm.name);
  const columns = { ids: units.ids, strataOrder: units.strataOrder, stratumIndex: units.stratumIndex, armIndex: result.armIndex, armNames, clusters: units.clusters };
  const bytes = hashList(columns);
  const counts: Record<string, number> = {};
  const targets: Record<string, number> = {};
  const sum = ratioSum(arms);
  arms.forEach((arm, a) => {
    targets[arm.name] = arm.ratio / sum;
    let c = 0;
    for (let s = 0; s < S; s++) c += tally[s * A + a] as number;
    counts[arm.name] = c;
  });
  const countsByStratum: Record<string, Record<string, number>> = {};
  units.strataOrder.forEach((stratum, s) => {
    const byArm: Record<string, number> = {};
    arms.forEach((arm, a) => (byArm[arm.name] = tally[s * A + a] as number));
    countsByStratum[stratum] = byArm;
  });
  const withFactorsOrCovariates = request.scheme === 'minimisation' || request.scheme === 'constrained' || request.scheme === 'rerandomisation';
  const meta: AllocationMeta = {
    scheme: request.scheme,
    schemeVersion: result.version,
    parameters: result.parameters,
    ...(request.concealSeed === true ? {} : { seed }),
    seedCommitment: sha256Hex(seed),
    trialkitVersion: TRIALKIT_VERSION,
    inputSha256: withFactorsOrCovariates
      ? hashInputs({
          ids: units.ids,
          strata: units.strata,
          clusters: units.clusters,
          factors: request.scheme === 'minimisation' ? request.factors : undefined,
          covariates: request.scheme === 'constrained' || request.scheme === 'rerandomisation' ? request.covariates : undefined,
        })
      : bytes.inputSha256,
    ...(request.inputFileSha256 !== undefined ? { inputFileSha256: request.inputFileSha256 } : {}),
    listSha256: bytes.listSha256,
    n: units.n,
    targets,
    counts,
    countsByStratum,
    diagnostics: result.diagnostics ?? [],
    ...(result.report !== undefined ? { report: result.report } : {}),
  };
  let rows: AllocationRow[] | undefined;
  let csv: Buffer | undefined;
  const { ids, strata, clusters } = units;
  const sequence = bytes.sequence;
  return {
    get rows(): readonly AllocationRow[] {
      if (rows === undefined) {
        rows = new Array<AllocationRow>(units.n);
        for (let i = 0; i < units.n; i++) {
          const arm = armNames[result.armIndex[i] as number] as string;
          rows[i] =
            clusters !== undefined
              ? { id: ids[i] as string, stratum: strata[i] as string, sequence: sequence[i] as number, arm, cluster: clusters[i] as string }
              : { id: ids[i] as string, stratum: strata[i] as string, sequence: sequence[i] as number, arm };
        }
      }
      return rows;
    },
    meta,
    get csv(): Buffer {
      csv ??= listCsvBytes(columns, bytes.csvLength);
      return csv;
    },
  };
}
