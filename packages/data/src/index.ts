/**
 * @trialkit/data — data files in, checked trial data out.
 *
 *   file.csv / .tsv ──► header (JS: BOM, delimiter, names) ──► DuckDB read_csv (typed, in scan order) ─┐
 *   file.parquet ─────► DuckDB read_parquet ──────────────────────────────────────────────────────────────┼─► DataFile
 *   file.json / .jsonl ► JSON.parse ──────────────────────────────────────────────────────────────────────┘  (Dataset:
 *                                                               Float64Array | (string|null)[] per column, source+sha256)
 *   DataFile ──prepareTrial(roles, arms)──► PreparedTrial: strict numbers (row/column errors), arms coded 0/1,
 *                                           na.omit over used columns (counted by arm), factor dummies, groupings
 *   DataFile ──toArquero──► arquero table (analysis scripts);  ──writeData──► CSV / Parquet / JSON, atomically
 */
export { readData, formatOfPath, DEFAULT_NA_VALUES } from './read-data.js';
export { prepareTrial } from './prepare-trial.js';
export type { PrepareTrialOptions } from './prepare-trial.js';
export { toArquero } from './to-arquero.js';
export { writeData } from './write-data.js';
export type { WriteDataOptions } from './write-data.js';
export { parseNumberStrict } from './parse-number.js';
export { closestName, editDistance } from './closest-name.js';
export { DataErrorCode, dataErrors } from './errors.js';
export type * from './types.js';
