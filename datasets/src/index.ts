/**
 * @trialkit/datasets — simulators with known truth, and real data with provenance.
 *
 *   options + seed ──simulateWhp──► { data: Dataset, truth } ──writeData (@trialkit/data)──► CSV / Parquet
 */
export { simulateWhp } from './whp.js';
export type { WhpOptions, WhpTrial, WhpTruth } from './whp.js';
export { standardNormal, bernoulli, categorical, logistic, lognormalMean } from './random.js';
import { fileURLToPath } from 'node:url';

/** The NSW experimental sample (LaLonde 1986; Dehejia & Wahba 1999), CSV, with provenance in datasets/README.md. */
export const NSW_CSV_PATH = fileURLToPath(new URL('../nsw/nsw-lalonde.csv', import.meta.url));
