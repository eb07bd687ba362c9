/**
 * Coverage of the whole chain for the IPS simulator (issue 8), individually randomised design:
 *
 *   for seed in 1..SEEDS: simulateIps({ n, seed }) ──estimate (ITT: difference in means, Welch;
 *     CACE: iv_robust with received = started, HC2)──► does [confLow, confHigh] contain the population ITT / CACE?
 *
 * The targets are the *population* values (truth.population.itt = Σ_r π_r · complier share_r · τ_r and
 * truth.population.cace = itt / complier share), exact functions of the design. Each seed draws new GP practices
 * (size weights, random effects) and new people, so the sampling-based variances are the right ones.
 * The allocation is by permuted blocks within sub-region × referral route; the estimates here ignore the blocks
 * (as the WHP coverage test does), which can only make the intervals slightly conservative.
 *
 * Acceptance band: with S seeds the number of covering intervals is Binomial(S, 0.95) for exact intervals; we
 * accept 0.95 ± 3 Monte-Carlo SEs (√(0.95·0.05/S) ≈ 0.0097 for S = 500, so [0.921, 0.979]). A correct chain
 * falls outside with probability ≈ 0.3%; true coverage of 89% or less, or 99% or more, is caught almost surely;
 * smaller miscalibration is not (500 seeds keep the file at ≈ 27 s when the whole datasets project runs at load
 * average 10 on 2 cores; ≈ 6 s idle). A larger offline run (5,000 seeds of n = 2,000: ITT 0.948, CACE 0.949) is
 * reported in datasets/README.md.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '@trialkit/estimators';
import { simulateIps } from '../src/index.js';

const SEEDS = 500;
const N = 1_500;
const NOMINAL = 0.95;
const MC_SE = Math.sqrt((NOMINAL * (1 - NOMINAL)) / SEEDS);
const BAND = 3 * MC_SE;

describe(`coverage of 95% CIs over ${SEEDS} simulated IPS trials (individually randomised, n = ${N} each)`, () => {
  it(
    'covers the population ITT and CACE at the nominal rate within Monte-Carlo error',
    () => {
      let ittCovers = 0;
      let caceCovers = 0;
      let ittSum = 0;
      let caceSum = 0;
      let truthItt = Number.NaN;
      let truthCace = Number.NaN;
      for (let s = 1; s <= SEEDS; s++) {
        const { data, truth } = simulateIps({ n: N, seed: `coverage-${s}` });
        const result = estimate(data, {
          roles: { outcome: 'job_outcome', assignment: 'assigned', received: 'started' },
          level: NOMINAL,
        });
        const itt = result.estimates.find((e) => e.estimand === 'ITT');
        const cace = result.estimates.find((e) => e.estimand === 'CACE');
        if (itt === undefined || cace === undefined) throw new Error(`seed ${s}: ITT or CACE missing`);
        truthItt = truth.population.itt;
        truthCace = truth.population.cace;
        if (itt.confLow <= truthItt && truthItt <= itt.confHigh) ittCovers += 1;
        if (cace.confLow <= truthCace && truthCace <= cace.confHigh) caceCovers += 1;
        ittSum += itt.estimate;
        caceSum += cace.estimate;
      }
      const ittCoverage = ittCovers / SEEDS;
      const caceCoverage = caceCovers / SEEDS;
      console.info(
        `IPS coverage over ${SEEDS} seeds: ITT ${ittCoverage.toFixed(3)}, CACE ${caceCoverage.toFixed(3)} (band ${(NOMINAL - BAND).toFixed(3)}–${(NOMINAL + BAND).toFixed(3)}); ` +
          `mean ITT ${(ittSum / SEEDS).toFixed(4)} vs ${truthItt.toFixed(4)}, mean CACE ${(caceSum / SEEDS).toFixed(4)} vs ${truthCace.toFixed(4)}`,
      );
      expect(Math.abs(ittCoverage - NOMINAL)).toBeLessThanOrEqual(BAND);
      expect(Math.abs(caceCoverage - NOMINAL)).toBeLessThanOrEqual(BAND);
      // Per trial SE(ITT) ≈ 0.021 and SE(CACE) ≈ 0.034 at n = 1,500: over 500 seeds the SE of the mean is ≈ 0.001
      // and ≈ 0.0015; the bounds below are ≥ 5 such SEs (a sanity check; coverage is the real test).
      expect(Math.abs(ittSum / SEEDS - truthItt)).toBeLessThan(0.005);
      expect(Math.abs(caceSum / SEEDS - truthCace)).toBeLessThan(0.008);
    },
    180_000,
  );
});
