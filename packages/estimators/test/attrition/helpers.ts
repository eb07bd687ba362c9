/** Reading the R fixtures of the attrition analysis (fixtures/attrition/make-fixtures.R) and building Datasets. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Column, Dataset } from '@trialkit/core';

export interface AttritionCase {
  name: string;
  level: number;
  y: (number | null)[];
  z: number[];
  responded: number[] | null;
  block: string[] | null;
  /** Cluster (e.g. GP practice) of each row in a cluster-randomised case, else null. */
  cluster: string[] | null;
  response: { n_assigned: [number, number]; n_responded: [number, number] };
  dim: { estimate: number; std_error: number; statistic: number; df: number; p_value: number; conf_low: number; conf_high: number; design: string };
  chisq: { statistic: number | null; p_value: number | null; min_expected: number };
  prop_test: { statistic: number | null; p_value: number | null };
  fisher: { p_value: number };
  lee: {
    trimmed_arm: 'treatment' | 'control';
    trim_proportion: number;
    kept_mass: number;
    lower: number;
    upper: number;
    se_lower: number;
    se_upper: number;
    lower_cutoff: number;
    upper_cutoff: number;
    im_critical: number;
    im_low: number;
    im_high: number;
    bounds_low: number;
    bounds_high: number;
    mean_treated: number;
    mean_control: number;
  };
}

export interface AttritionFixture {
  r_version: string;
  estimatr_version: string;
  cases: AttritionCase[];
  tables: { cells: [number, number, number, number]; fisher_p: number; chisq_statistic: number | null; chisq_p: number | null }[];
}

export function readAttritionFixture(): AttritionFixture {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'attrition');
  return JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as AttritionFixture;
}

export function numberColumn(name: string, values: readonly (number | null)[]): Column {
  return { kind: 'number', name, values: Float64Array.from(values, (v) => (v === null ? Number.NaN : v)) };
}

export function textColumn(name: string, values: readonly (string | null)[]): Column {
  return { kind: 'text', name, values };
}

export function dataset(...columns: Column[]): Dataset {
  return { nRows: columns[0]!.values.length, columns };
}

/** The fixture case as a Dataset: y (NaN when missing), z (0/1), responded (when the case has one), block, cluster. */
export function caseDataset(c: AttritionCase): Dataset {
  const columns: Column[] = [numberColumn('y', c.y), numberColumn('z', c.z)];
  if (c.responded !== null) columns.push(numberColumn('responded', c.responded));
  if (c.block !== null) columns.push(textColumn('office', c.block));
  if (c.cluster !== null) columns.push(textColumn('practice', c.cluster));
  return dataset(...columns);
}
