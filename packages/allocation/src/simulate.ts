/**
 * Design diagnostics by simulation: redraw the design many times with independent seeds and report each
 * participant's realised probability of each arm. Units whose probability is 0 or 1 (never / always in an arm), or
 * further than 4.5 Monte-Carlo standard errors √(p(1−p)/reps) from the target, are flagged: such a design does
 * not give everyone the stated chance (e.g. a deterministic tail of minimisation, or re-randomisation that pins
 * an outlying unit).
 * Seeds: replicate r (1-based) uses the seed HMAC-SHA256(seed, "simulate:" + r) (derive.ts), so the diagnostic
 * itself is reproducible.
 */
import type { Diagnostic, Seed } from '@trialkit/core';
import { diagnostic } from '@trialkit/core';
import { ratioSum } from './arms.js';
import { assignArms } from './allocate.js';
import { deriveHex } from './derive.js';
import { allocationErrors } from './errors.js';
import type { AllocationRequest } from './types.js';

export interface UnitFlag {
  readonly id: string;
  readonly arm: string;
  readonly probability: number;
  readonly target: number;
  readonly reason: 'never' | 'always' | 'off-target';
}

export interface DesignSimulation {
  readonly replicates: number;
  readonly perArm: Readonly<Record<string, { target: number; min: number; max: number; maxDeviation: number }>>;
  /** Flagged units (at most `maxFlags`), and how many there were in all. */
  readonly flagged: readonly UnitFlag[];
  readonly flaggedTotal: number;
  /** probabilities[i][a]: participant i's realised share of replicates in arm a. */
  readonly probabilities: readonly (readonly number[])[];
  readonly arms: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export function simulateDesign(request: AllocationRequest, replicates: number, maxFlags = 100): DesignSimulation {
  if (!Number.isInteger(replicates) || replicates < 10 || replicates > 10_000_000) {
    throw allocationErrors.badOption('--simulate', replicates, 'The number of simulated designs must be a whole number from 10 to 10,000,000', 'Use e.g. --simulate 10000.');
  }
  const seed: Seed = request.seed;
  const first = assignArms(request);
  const arms = first.arms;
  const A = arms.length;
  const n = first.units.n;
  const counts = new Float64Array(n * A);
  for (let r = 1; r <= replicates; r++) {
    const { result } = assignArms({ ...request, seed: deriveHex(seed, `simulate:${r}`) });
    for (let i = 0; i < n; i++) {
      const k = i * A + (result.armIndex[i] as number);
      counts[k] = (counts[k] as number) + 1;
    }
  }
  const sum = ratioSum(arms);
  const perArm: Record<string, { target: number; min: number; max: number; maxDeviation: number }> = {};
  const flagged: UnitFlag[] = [];
  let flaggedTotal = 0;
  const probabilities: number[][] = [];
  for (let i = 0; i < n; i++) probabilities.push(new Array<number>(A).fill(0));
  arms.forEach((arm, a) => {
    const target = arm.ratio / sum;
    const se = Math.sqrt((target * (1 - target)) / replicates);
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const p = (counts[i * A + a] as number) / replicates;
      (probabilities[i] as number[])[a] = p;
      if (p < min) min = p;
      if (p > max) max = p;
      const reason = p === 0 ? 'never' : p === 1 ? 'always' : Math.abs(p - target) > 4.5 * se ? 'off-target' : undefined;
      if (reason !== undefined) {
        flaggedTotal++;
        if (flagged.length < maxFlags) flagged.push({ id: first.units.ids[i] as string, arm: arm.name, probability: p, target, reason });
      }
    }
    perArm[arm.name] = { target, min, max, maxDeviation: Math.max(Math.abs(max - target), Math.abs(min - target)) };
  });
  const diagnostics: Diagnostic[] = [];
  if (flaggedTotal > 0) {
    diagnostics.push(
      diagnostic(
        'ALLOC_UNIT_PROBABILITY_OFF_TARGET',
        'warning',
        `${flaggedTotal} participant–arm probabilities are 0, 1, or more than 4.5 Monte-Carlo standard errors from the target over ${replicates} simulated designs; see "flagged".`,
      ),
    );
  }
  return { replicates, perArm, flagged, flaggedTotal, probabilities, arms: arms.map((a) => a.name), diagnostics };
}
