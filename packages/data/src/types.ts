/**
 * The contract between @trialkit/data and its users (estimators, allocation, report, CLI, analysis scripts).
 *
 *   file ──readData──► Dataset (typed columns, every row)
 *        ──prepareTrial(roles, arms)──► PreparedTrial (checked, na.omit'ed, numeric arrays ready for kernels)
 */
import type { Dataset, Diagnostic } from '@trialkit/core';

export type { Dataset };

export type DataFormat = 'csv' | 'parquet' | 'json';
export type DecimalSeparator = '.' | ',';
export type CsvEncoding = 'utf-8' | 'latin-1';

/** How a CSV file was read (recorded so prepareTrial parses text numbers the same way). */
export interface CsvDialect {
  readonly delimiter: ',' | ';' | '\t';
  readonly decimal: DecimalSeparator;
  readonly naValues: readonly string[];
  /** The file began with a UTF-8 byte-order mark (stripped). */
  readonly bom: boolean;
  readonly encoding: CsvEncoding;
}

/** A Dataset as readData returns it: the columns plus how the file was read. */
export interface DataFile extends Dataset {
  readonly format: DataFormat;
  /** CSV only. */
  readonly dialect?: CsvDialect;
  /** Text cells that were read as missing (also applied to Parquet and JSON text). */
  readonly naValues: readonly string[];
}

export interface ReadDataOptions {
  /** Override the format the extension implies. */
  readonly format?: DataFormat;
  /** CSV delimiter; default: detected from the header line (the most frequent of `,` `;` tab). */
  readonly delimiter?: ',' | ';' | '\t';
  /** Text that means "missing"; default `["", "NA"]`. Applies to every column (and to text in Parquet/JSON). */
  readonly naValues?: readonly string[];
  /** Decimal separator of CSV numbers; default `.`, or `,` for a `;` file where that reads more numeric columns. */
  readonly decimal?: DecimalSeparator;
  /** Character encoding of a CSV file; default UTF-8 (a file that is not valid UTF-8 is DATA_NOT_UTF8). */
  readonly encoding?: CsvEncoding;
  /** Columns to keep as text even if they look numeric (e.g. ids with leading zeros that DuckDB might sniff). */
  readonly textColumns?: readonly string[];
  /** Compute the file's SHA-256 for `source` (default true). */
  readonly hash?: boolean;
}

/** The roles columns play in an analysis. Every named column must exist. */
export interface ColumnRoles {
  /** Outcome (numeric; binary outcomes are 0/1). */
  readonly outcome: string;
  /** Random assignment (two arms, see `arms`). */
  readonly assignment: string;
  /** Treatment actually received (0/1, or the two arm values), for CACE / compliance. */
  readonly received?: string;
  /** Baseline covariates. Numeric columns enter as they are; text columns become 0/1 dummies (first level dropped). */
  readonly covariates?: readonly string[];
  /** Cluster identifier (any values). */
  readonly cluster?: string;
  /** Block / stratum identifier (any values). */
  readonly blocks?: string;
  /** Participant identifier (kept for messages; need not be numeric). */
  readonly id?: string;
  /** Grouping column for per-group summaries (e.g. office, month); any values. */
  readonly by?: string;
}

/**
 * The two arms: which value of the assignment column is control and which is treatment, as written in the file
 * (e.g. "0"/"1" or "control"/"whp"). When omitted: the two distinct values in sorted order (numeric order for
 * numbers), control first — what estimatr does.
 */
export interface ArmsSpec {
  readonly control?: string;
  readonly treatment?: string;
}

/** A grouping column coded as integers 0..labels.length−1. */
export interface Grouping {
  readonly name: string;
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}

export interface NamedVector {
  readonly name: string;
  readonly values: Float64Array;
}

export interface MissingSummary {
  /** Rows dropped because a used column was missing (R's na.omit over the used columns). */
  readonly total: number;
  readonly control: number;
  readonly treatment: number;
  /** Rows whose assignment itself was missing (arm unknown). */
  readonly unknownArm: number;
  /** Missing cells per used column (a row can count in several). */
  readonly byColumn: Readonly<Record<string, number>>;
}

/**
 * A checked trial: no missing values, assignment coded 0 (control) / 1 (treatment).
 * Its vectors are read-only by contract: when no row was dropped they share memory with the Dataset's columns.
 */
export interface PreparedTrial {
  readonly n: number;
  readonly roles: ColumnRoles;
  readonly arms: { readonly control: string; readonly treatment: string };
  readonly outcome: NamedVector;
  readonly assignment: NamedVector;
  readonly received?: NamedVector;
  /** Covariate design columns after factor expansion (names like `sex_female`). */
  readonly covariates: readonly NamedVector[];
  readonly cluster?: Grouping;
  readonly blocks?: Grouping;
  readonly by?: Grouping;
  readonly id?: readonly string[];
  /** Source row (1-based, header excluded) of each kept row. */
  readonly sourceRows: Uint32Array;
  readonly missing: MissingSummary;
  readonly diagnostics: readonly Diagnostic[];
}
