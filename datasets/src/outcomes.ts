/**
 * Outcomes the simulators share beyond the job outcome: benefit exit and delivery cost.
 *
 *   benefit exit (left out-of-work benefits within 12 months) — follows the job outcome:
 *     P(exit) = sustainedJob if in work 13+ weeks, shortJob if only a short job, noJob otherwise;
 *     one uniform per person compared with that probability (common random numbers), so a complier whom the
 *     programme moves into sustained work exits with the higher probability, and nobody's exit goes down.
 *   cost (£) — lognormal with the stated mean: exp(log(mean) − σ²/2 + σ·z), rounded to whole pounds.
 */
import type { Rng } from '@trialkit/core';
import { standardNormal } from './random.js';

/** Probability of leaving out-of-work benefits within 12 months, by the kind of work found. */
export const BENEFIT_EXIT = { sustainedJob: 0.75, shortJob: 0.25, noJob: 0.06 } as const;

/** Spread (σ of log cost) of delivery costs per starter: CV ≈ 0.36. */
export const COST_LOG_SD = 0.35;

export function benefitExitProbability(sustainedJob: boolean, shortJob: boolean): number {
  return sustainedJob ? BENEFIT_EXIT.sustainedJob : shortJob ? BENEFIT_EXIT.shortJob : BENEFIT_EXIT.noJob;
}

/**
 * True complier effect on benefit exit when the programme raises the sustained-job probability of compliers by
 * `jobEffect` and a short job happens with probability `shortJobShare` independently of everything else:
 * jobEffect × (P(exit | sustained job) − E[P(exit | no sustained job)]). Exact under the simulators' model.
 */
export function benefitExitComplierEffect(jobEffect: number, shortJobShare: number): number {
  const withoutSustained = shortJobShare * BENEFIT_EXIT.shortJob + (1 - shortJobShare) * BENEFIT_EXIT.noJob;
  return jobEffect * (BENEFIT_EXIT.sustainedJob - withoutSustained);
}

/** A delivery cost with the given mean (lognormal, σ = COST_LOG_SD), from a standard normal draw z, in whole £. */
export function costOf(mean: number, z: number): number {
  return Math.round(Math.exp(Math.log(mean) - (COST_LOG_SD * COST_LOG_SD) / 2 + COST_LOG_SD * z));
}

/** Per-person draws for the extra outcomes, from their own stream so the older columns never move. */
export interface ExtraDraws {
  readonly benefitUniform: Float64Array;
  readonly costNormal: Float64Array;
}

export function drawExtras(benefitRng: Rng, costRng: Rng, n: number): ExtraDraws {
  const benefitUniform = new Float64Array(n);
  const costNormal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    benefitUniform[i] = benefitRng.nextDouble();
    costNormal[i] = standardNormal(costRng);
  }
  return { benefitUniform, costNormal };
}

/**
 * True complier effect on the mean of days to first job (censored at `followUpDays`, so this is the difference
 * in restricted mean time to a first job, in days) when a sustained job starts on day 1 + ⌊U·(followUp − 91)⌋, a
 * short job (probability `shortJobShare` without a sustained job) on day 1 + ⌊U·followUp⌋, and no job gives
 * `followUpDays`: E[1 + ⌊U·m⌋] = (m + 1)/2. Exact under the simulators' model.
 */
export function daysToFirstJobComplierEffect(jobEffect: number, shortJobShare: number, followUpDays: number, sustainedDays: number): number {
  const withSustained = (followUpDays - sustainedDays + 1) / 2;
  const without = shortJobShare * ((followUpDays + 1) / 2) + (1 - shortJobShare) * followUpDays;
  return jobEffect * (withSustained - without);
}

/** True complier effect on starting any job within follow-up: jobEffect × (1 − shortJobShare). */
export function jobStartedComplierEffect(jobEffect: number, shortJobShare: number): number {
  return jobEffect * (1 - shortJobShare);
}
