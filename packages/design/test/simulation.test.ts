/**
 * The design's predicted power against empirical power by simulation, through the whole chain:
 * simulateWhp (@trialkit/datasets: voluntary programme, 30% never-takers, 15% contaminated controls on average,
 * varying by office and month; complier effect 0.20 on the job outcome) → estimate() (@trialkit/estimators:
 * difference in means, Welch) → share of replicates with p < 0.05.
 *
 * The control rate the design needs is read from one large simulation (n = 200,000, SE ≈ 0.001). Each design point
 * runs 400 seeded replicates, so the Monte-Carlo SE of the empirical power is √(p(1 − p)/400) ≤ 0.025; the test
 * allows 3 MC SE plus 0.01 for the small error in the control rate and the Welch t versus z reference.
 * Measured (seeds below): see the package README.
 */
import { describe, expect, it } from 'vitest';
import { simulateWhp } from '@trialkit/datasets';
import { estimate } from '@trialkit/estimators';
import { planTrial } from '../src/index.js';

const WHP = { neverTakers: 0.3, contamination: 0.15, complierEffect: 0.2 } as const;
const REPLICATES = 400;

function empiricalPower(n: number, tag: string): number {
  let rejections = 0;
  for (let i = 0; i < REPLICATES; i++) {
    const trial = simulateWhp({ ...WHP, n, seed: `design-power/${tag}/${i}` });
    const result = estimate(trial.data, { roles: { outcome: 'job_outcome', assignment: 'assigned' } });
    if ((result.estimates[0]?.pValue ?? 1) < 0.05) rejections += 1;
  }
  return rejections / REPLICATES;
}

describe('predicted power matches simulated power (simulateWhp → estimate)', () => {
  const population = simulateWhp({ ...WHP, n: 200_000, seed: 'design-power/control-rate' });
  const controlRate = population.truth.sample.controlJobRate;
  const base = {
    outcome: 'binary' as const,
    controlRate,
    effect: WHP.complierEffect,
    takeUp: 1 - WHP.neverTakers,
    contamination: WHP.contamination,
    method: 'normal' as const,
  };

  it('the simulator has the receipt rates the design assumes', () => {
    expect(population.truth.population.itt).toBeCloseTo(WHP.complierEffect * (1 - WHP.neverTakers - WHP.contamination), 12);
    expect(controlRate).toBeGreaterThan(0.1);
    expect(controlRate).toBeLessThan(0.15);
  });

  it('at the sample size for 80% power', () => {
    const design = planTrial({ ...base, power: 0.8 });
    expect(design.effect.itt).toBeCloseTo(0.11, 12);
    const n = design.sampleSize.totalRounded;
    const predicted = design.achievedPower;
    const empirical = empiricalPower(n, 'n80');
    const mcSe = Math.sqrt((predicted * (1 - predicted)) / REPLICATES);
    expect(Math.abs(empirical - predicted), `n ${n}: predicted ${predicted}, simulated ${empirical}`).toBeLessThan(3 * mcSe + 0.01);
  });

  it('at a sample size with about 50% power', () => {
    const design = planTrial({ ...base, power: 0.5 });
    const n = design.sampleSize.totalRounded;
    const predicted = planTrial({ ...base, n }).power;
    const empirical = empiricalPower(n, 'n50');
    const mcSe = Math.sqrt((predicted * (1 - predicted)) / REPLICATES);
    expect(Math.abs(empirical - predicted), `n ${n}: predicted ${predicted}, simulated ${empirical}`).toBeLessThan(3 * mcSe + 0.01);
  });
});
