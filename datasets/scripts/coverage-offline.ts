/**
 * The larger, offline coverage check behind the figures in datasets/README.md (too slow for a unit test):
 *
 *   npm run coverage:offline -w @trialkit/datasets -- <ips|ips-clustered|whp> <seeds> <n> [wmcaPractices scrPractices]
 *
 * For each seed `coverage-<s>`: simulate, estimate (ITT, first stage, CACE; for ips-clustered with roles.cluster =
 * gp_practice and CR2, and also without the clustering to show what ignoring it costs) and count the 95% CIs
 * that contain the population ITT and CACE. Prints one JSON line.
 */
import { estimate } from '@trialkit/estimators';
import { simulateIps, simulateWhp } from '../src/index.js';

const [kind = 'ips', seedsText = '1000', nText = '2000', wmcaText, scrText] = process.argv.slice(2);
if (!['ips', 'ips-clustered', 'whp'].includes(kind)) throw new Error(`unknown simulator ${kind}: ips, ips-clustered or whp`);
const seeds = Number(seedsText);
const n = Number(nText);
const clustered = kind === 'ips-clustered';
const practices = wmcaText !== undefined && scrText !== undefined ? { wmca: Number(wmcaText), scr: Number(scrText) } : undefined;
const roles = { outcome: 'job_outcome', assignment: 'assigned', received: 'started' };
const tally = { itt: 0, cace: 0, naiveItt: 0, naiveCace: 0, ittSum: 0, caceSum: 0, ittSe: 0, naiveIttSe: 0, icc: 0 };
let truthItt = Number.NaN;
let truthCace = Number.NaN;
const started = Date.now();
const covers = (e: { confLow: number; confHigh: number } | undefined, value: number): number =>
  e !== undefined && e.confLow <= value && value <= e.confHigh ? 1 : 0;
for (let s = 1; s <= seeds; s++) {
  const seed = `coverage-${s}`;
  const trial =
    kind === 'whp' ? simulateWhp({ n, seed }) : simulateIps({ n, seed, clustered, ...(practices === undefined ? {} : { practices }) });
  truthItt = trial.truth.population.itt;
  truthCace = trial.truth.population.cace;
  const result = clustered
    ? estimate(trial.data, { roles: { ...roles, cluster: 'gp_practice' }, se: 'CR2' })
    : estimate(trial.data, { roles });
  const itt = result.estimates.find((e) => e.estimand === 'ITT');
  const cace = result.estimates.find((e) => e.estimand === 'CACE');
  if (itt === undefined || cace === undefined) throw new Error(`seed ${s}: ITT or CACE missing`);
  tally.itt += covers(itt, truthItt);
  tally.cace += covers(cace, truthCace);
  tally.ittSum += itt.estimate;
  tally.caceSum += cace.estimate;
  tally.ittSe += itt.stdError;
  if (clustered) {
    const naive = estimate(trial.data, { roles, se: 'HC2' }).estimates;
    const naiveItt = naive.find((e) => e.estimand === 'ITT');
    tally.naiveItt += covers(naiveItt, truthItt);
    tally.naiveCace += covers(naive.find((e) => e.estimand === 'CACE'), truthCace);
    tally.naiveIttSe += naiveItt?.stdError ?? Number.NaN;
  }
  if ('controlIcc' in trial.truth.sample) tally.icc += trial.truth.sample.controlIcc;
}
const share = (x: number): number => Number((x / seeds).toFixed(4));
console.log(
  JSON.stringify({
    simulator: kind,
    seeds,
    n,
    ...(practices === undefined ? {} : { practices }),
    mcSe: Number(Math.sqrt((0.95 * 0.05) / seeds).toFixed(4)),
    ittCoverage: share(tally.itt),
    caceCoverage: share(tally.cace),
    meanItt: tally.ittSum / seeds,
    truthItt,
    meanCace: tally.caceSum / seeds,
    truthCace,
    meanIttSe: tally.ittSe / seeds,
    ...(clustered
      ? {
          ignoringClusteringIttCoverage: share(tally.naiveItt),
          ignoringClusteringCaceCoverage: share(tally.naiveCace),
          designEffect: (tally.ittSe / tally.naiveIttSe) ** 2,
        }
      : {}),
    ...(kind === 'whp' ? {} : { meanControlIcc: tally.icc / seeds }),
    seconds: (Date.now() - started) / 1000,
  }),
);
