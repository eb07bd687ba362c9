/**
 * @trialkit/datasets — simulators with known truth, and real data with provenance.
 *
 *   options + seed ──simulateWhp / simulateIps──► { data: Dataset, truth, allocation }
 *     ──writeSimulated (src/write.ts; writeData from @trialkit/data)──► CSV / Parquet + truth JSON
 */
export { simulateWhp } from './whp.js';
export type { WhpOptions, WhpTrial, WhpTruth } from './whp.js';
export { simulateIps, IPS_DEFAULTS, IPS_SUBREGIONS, IPS_ROUTES } from './ips.js';
export type { IpsOptions, IpsTrial, IpsTruth, IpsSubregionTruth, IpsSubregion, IpsRoute } from './ips.js';
export {
  BENEFIT_EXIT,
  COST_LOG_SD,
  benefitExitComplierEffect,
  daysToFirstJobComplierEffect,
  jobStartedComplierEffect,
} from './outcomes.js';
export { standardNormal, bernoulli, categorical, logistic, lognormalMean } from './random.js';
import { fileURLToPath } from 'node:url';

/** The NSW experimental sample (LaLonde 1986; Dehejia & Wahba 1999), CSV, with provenance in datasets/README.md. */
export const NSW_CSV_PATH = fileURLToPath(new URL('../nsw/nsw-lalonde.csv', import.meta.url));
