/**
 * Dataset: a table of typed columns, as the data package reads it and estimators consume it.
 * Numeric columns are Float64Array with NaN for a missing cell; text columns hold strings with null for missing.
 * Row i of every column is data row i + 1 of the source file (1-based, header excluded), so errors can name it.
 */

export interface NumericColumn {
  readonly kind: 'number';
  readonly name: string;
  readonly values: Float64Array;
}

export interface TextColumn {
  readonly kind: 'text';
  readonly name: string;
  readonly values: readonly (string | null)[];
}

export type Column = NumericColumn | TextColumn;

export interface DatasetSource {
  readonly path: string;
  readonly format: 'csv' | 'parquet' | 'json';
  readonly sha256: string;
}

export interface Dataset {
  readonly nRows: number;
  readonly columns: readonly Column[];
  readonly source?: DatasetSource;
}

/** The column called `name`, or undefined. */
export function findColumn(dataset: Dataset, name: string): Column | undefined {
  return dataset.columns.find((c) => c.name === name);
}
