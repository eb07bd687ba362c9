/**
 * Reading a participant file (CSV, Parquet or JSON via @trialkit/data's readData) into the arrays `allocate` takes.
 * Id, strata, cluster and factor columns are read as text (so "007" stays "007"); covariates must be numeric.
 * The stratum label of a participant is the values of the stratification columns joined by "|", in the order
 * the columns were named (the same label `enrol --stratum col=value …` builds).
 */
import type { Column, Dataset } from '@trialkit/core';
import { closestName, dataErrors, readData } from '@trialkit/data';
import { allocationErrors } from './errors.js';
import { stratumLabel } from './stratum.js';
import type { BalanceCovariate, MinimisationFactor } from './types.js';

export interface ParticipantColumns {
  /** Id column (default "id"). */
  readonly id?: string;
  readonly strata?: readonly string[];
  readonly cluster?: string;
  /** Minimisation factors with weights; default: the strata columns with weight 1. */
  readonly factors?: readonly { name: string; weight?: number }[];
  readonly covariates?: readonly string[];
}

export interface Participants {
  readonly ids: string[];
  readonly strata?: string[];
  readonly strataColumns?: readonly string[];
  readonly clusters?: (string | null)[];
  readonly clusterColumn?: string;
  readonly idColumn: string;
  readonly factors?: MinimisationFactor[];
  readonly covariates?: BalanceCovariate[];
  readonly fileSha256?: string;
  readonly n: number;
}

export { STRATUM_SEPARATOR, stratumLabel } from './stratum.js';

function columnOf(data: Dataset, name: string, role: string): Column {
  const column = data.columns.find((c) => c.name === name);
  if (column === undefined) {
    const names = data.columns.map((c) => c.name);
    throw dataErrors.missingColumn(role, name, names, closestName(name, names));
  }
  return column;
}

function textValues(column: Column): (string | null)[] {
  if (column.kind === 'text') return [...column.values];
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

/** Turn a read dataset into allocation inputs. */
export function participantsFromDataset(data: Dataset, columns: ParticipantColumns): Participants {
  const idColumn = columns.id ?? 'id';
  const idValues = textValues(columnOf(data, idColumn, 'id'));
  if (data.nRows === 0) throw allocationErrors.empty(data.source?.path);
  const ids = idValues.map((v, i) => {
    if (v === null || v.trim() === '') throw allocationErrors.missingId(i + 1, idColumn);
    return v;
  });
  let strata: string[] | undefined;
  const strataColumns = columns.strata ?? [];
  if (strataColumns.length > 0) {
    const values = strataColumns.map((name) => textValues(columnOf(data, name, 'strata')));
    strata = ids.map((_, i) =>
      stratumLabel(
        values.map((v, j) => {
          const value = v[i];
          if (value === null || value === undefined || value.trim() === '') throw allocationErrors.missingStratum(i + 1, strataColumns[j]);
          return value;
        }),
      ),
    );
  }
  let clusters: (string | null)[] | undefined;
  if (columns.cluster !== undefined) {
    clusters = textValues(columnOf(data, columns.cluster, 'cluster'));
    clusters.forEach((v, i) => {
      if (v === null || v.trim() === '') throw allocationErrors.missingCluster(i + 1, columns.cluster);
    });
  }
  const factorSpecs = columns.factors ?? strataColumns.map((name) => ({ name, weight: 1 }));
  const factors: MinimisationFactor[] = factorSpecs.map((spec) => ({
    name: spec.name,
    values: textValues(columnOf(data, spec.name, 'factors')),
    weight: spec.weight ?? 1,
  }));
  const covariates: BalanceCovariate[] = (columns.covariates ?? []).map((name) => {
    const column = columnOf(data, name, 'covariates');
    if (column.kind !== 'number') {
      const row = column.values.findIndex((v) => v !== null && !Number.isFinite(Number(v)));
      throw allocationErrors.badCovariate(name, row + 1, column.values[Math.max(row, 0)]);
    }
    column.values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw allocationErrors.badCovariate(name, i + 1, v);
    });
    return { name, values: column.values };
  });
  return {
    n: ids.length,
    ids,
    idColumn,
    ...(strata !== undefined ? { strata, strataColumns } : {}),
    ...(clusters !== undefined && columns.cluster !== undefined ? { clusters, clusterColumn: columns.cluster } : {}),
    ...(factors.length > 0 ? { factors } : {}),
    ...(covariates.length > 0 ? { covariates } : {}),
    ...(data.source?.sha256 !== undefined ? { fileSha256: data.source.sha256 } : {}),
  };
}

/** Read a participant file and turn it into allocation inputs. */
export async function readParticipants(path: string, columns: ParticipantColumns): Promise<Participants> {
  const textColumns = [columns.id ?? 'id', ...(columns.strata ?? []), ...(columns.cluster !== undefined ? [columns.cluster] : []), ...(columns.factors ?? []).map((f) => f.name)];
  const data = await readData(path, { textColumns });
  return participantsFromDataset(data, columns);
}
