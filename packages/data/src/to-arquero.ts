/**
 * A Dataset as an arquero table, for analysis scripts (filter, groupby, rollup…). Numeric columns stay
 * Float64Array (NaN = missing); text columns are arrays with null for missing.
 */
import { table, type ColumnTable } from 'arquero';
import type { Dataset } from '@trialkit/core';

export function toArquero(dataset: Dataset): ColumnTable {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const column of dataset.columns) {
    columns[column.name] = column.kind === 'number' ? column.values : [...column.values];
  }
  return table(columns, dataset.columns.map((c) => c.name));
}
