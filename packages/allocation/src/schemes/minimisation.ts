/**
 * Minimisation — scheme version `minimisation@1`.
 *
 * Pocock & Simon (1975), "Sequential treatment assignment with balancing for prognostic factors in the controlled
 * clinical trial", Biometrics 31:103–115. Participants are allocated in input order (or one at a time, live). For a
 * new participant with level l_f of each factor f and each candidate arm k:
 *   x_j  = (n_{f,l_f,j} + [j = k]) / r_j         the counts at the participant's levels if k were chosen, per unit
 *                                                  of ratio (Han, Enas & McEntegart 2009 weight counts by ratio)
 *   G_k  = Σ_f w_f · D(x)                        D = range (max − min) or variance (divisor A − 1)
 * The preferred arm is one with the smallest G_k (ties broken at random in proportion to the ratios; when all arms
 * tie the participant is allocated by the ratios alone). Allocation probabilities — Han, Enas & McEntegart (2009),
 * "Randomization by minimization for unbalanced treatment allocation", Stat Med 28:3329–3346 — with p the
 * probability given to the preferred arm when it is the arm with the smallest ratio r_min:
 *   c = (1 − p)/(R − r_min),   P(preferred k) = 1 − (R − r_k)·c,   P(other arm i) = c·r_i.
 * With equal ratios this is Pocock–Simon's "best arm with probability p, the others equally". When each arm is
 * preferred in proportion to its ratio (as happens once counts are balanced), P(arm i) = r_i/R: the ratio is
 * preserved; the property test checks the realised ratio.
 * Randomness: participant number t (1-based) draws from deriveRng(seed, "minimisation@1:" + t): first an integer
 * for the tie-break (only when there is a tie), then a uniform double for the arm. Live enrolment uses the same
 * streams, so a live trial and a list of the same participants in the same order agree.
 */
import type { Rng, Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { armOfDraw, ratioSum } from '../arms.js';
import { deriveRng } from '../derive.js';
import { allocationErrors } from '../errors.js';
import type { PreparedUnits } from '../prepare.js';
import type { AllocationRequest } from '../types.js';

export const MINIMISATION_VERSION = 'minimisation@1';

export interface MinimisationParameters {
  readonly imbalance: 'range' | 'variance';
  /** Probability of the preferred arm when it is the arm with the smallest ratio. */
  readonly bestProbability: number;
}

export interface MinimisationDecision {
  readonly arm: number;
  /** G_k per arm. */
  readonly scores: readonly number[];
  /** The preferred arm, or −1 when every arm tied (allocation by ratio). */
  readonly preferred: number;
  readonly probabilities: readonly number[];
}

export interface PreparedFactors {
  readonly names: readonly string[];
  readonly weights: readonly number[];
  /** Distinct levels of each factor, in order of first appearance. */
  readonly levels: readonly (readonly string[])[];
  /** Level code of each participant, per factor. */
  readonly codes: readonly Int32Array[];
}

export function checkMinimisationParameters(arms: readonly ArmRatio[], params: MinimisationParameters): void {
  if (params.imbalance !== 'range' && params.imbalance !== 'variance') {
    throw allocationErrors.badOption('--imbalance', params.imbalance, 'The imbalance measure must be "range" or "variance"', 'Use --imbalance range (Pocock–Simon\'s default) or variance.');
  }
  const rMin = Math.min(...arms.map((a) => a.ratio));
  const floor = rMin / ratioSum(arms);
  const p = params.bestProbability;
  if (typeof p !== 'number' || !Number.isFinite(p) || p < floor || p > 1) {
    throw allocationErrors.badOption('--best-probability', p, `The probability of the preferred arm must be between ${floor} (allocation by ratio alone) and 1`, 'Pocock and Simon suggest about 0.8.');
  }
}

export function checkFactorWeight(name: string, weight: unknown): number {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
    throw allocationErrors.badOption('--factors', weight, `The weight of minimisation factor "${name}" must be a positive number`, 'Weights are relative, e.g. age:2,sex:1.');
  }
  return weight;
}

export function prepareFactors(request: AllocationRequest, units: PreparedUnits): PreparedFactors {
  const given = request.factors ?? (request.strata !== undefined ? [{ name: 'stratum', values: units.strata, weight: 1 }] : []);
  if (given.length === 0) {
    throw allocationErrors.badOption('--factors', undefined, 'Minimisation needs at least one factor to balance', 'Give --strata col1,col2 (each column becomes a factor) or factors in the request.');
  }
  const names: string[] = [];
  const weights: number[] = [];
  const levels: string[][] = [];
  const codes: Int32Array[] = [];
  for (const factor of given) {
    if (factor.values.length !== units.n) throw allocationErrors.lengthMismatch(`factor ${factor.name}`, units.n, factor.values.length);
    names.push(factor.name);
    weights.push(checkFactorWeight(factor.name, factor.weight ?? 1));
    const indexOf = new Map<string, number>();
    const list: string[] = [];
    const code = new Int32Array(units.n);
    for (let i = 0; i < units.n; i++) {
      const value = factor.values[i];
      if (typeof value !== 'string' || value.trim() === '') throw allocationErrors.missingFactor(factor.name, i + 1);
      let c = indexOf.get(value);
      if (c === undefined) {
        c = list.length;
        indexOf.set(value, c);
        list.push(value);
      }
      code[i] = c;
    }
    levels.push(list);
    codes.push(code);
  }
  return { names, weights, levels, codes };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * One minimisation decision. `levelCounts[f][j]` = participants already allocated to arm j at this participant's
 * level of factor f.
 */
export function minimisationStep(
  levelCounts: readonly ArrayLike<number>[],
  weights: readonly number[],
  arms: readonly ArmRatio[],
  params: MinimisationParameters,
  rng: Rng,
): MinimisationDecision {
  const A = arms.length;
  const R = ratioSum(arms);
  // Scale counts by L/r_j (L = lcm of ratios) so that imbalances are exact integers before weighting.
  let L = 1;
  for (const arm of arms) L = (L * arm.ratio) / gcd(L, arm.ratio);
  const scale = arms.map((arm) => L / arm.ratio);
  const scores = new Array<number>(A).fill(0);
  const x = new Array<number>(A).fill(0);
  for (let k = 0; k < A; k++) {
    let total = 0;
    for (let f = 0; f < levelCounts.length; f++) {
      const counts = levelCounts[f] as ArrayLike<number>;
      for (let j = 0; j < A; j++) x[j] = ((counts[j] as number) + (j === k ? 1 : 0)) * (scale[j] as number);
      let d: number;
      if (params.imbalance === 'range') {
        let max = -Infinity;
        let min = Infinity;
        for (const v of x) {
          if (v > max) max = v;
          if (v < min) min = v;
        }
        d = (max - min) / L;
      } else {
        let sum = 0;
        let sumSq = 0;
        for (const v of x) {
          sum += v;
          sumSq += v * v;
        }
        d = (A * sumSq - sum * sum) / (A * (A - 1) * L * L); // sample variance of n_j/r_j
      }
      total += (weights[f] as number) * d;
    }
    scores[k] = total;
  }
  let best = Infinity;
  for (const s of scores) if (s < best) best = s;
  const tolerance = 1e-9 * Math.max(1, Math.abs(best));
  const tied: number[] = [];
  for (let k = 0; k < A; k++) if ((scores[k] as number) - best <= tolerance) tied.push(k);
  if (tied.length === A) {
    const arm = armOfDraw(arms, rng.nextInt(R));
    return { arm, scores, preferred: -1, probabilities: arms.map((a) => a.ratio / R) };
  }
  let preferred = tied[0] as number;
  if (tied.length > 1) {
    const tiedArms = tied.map((k) => arms[k] as ArmRatio);
    preferred = tied[armOfDraw(tiedArms, rng.nextInt(ratioSum(tiedArms)))] as number;
  }
  const rMin = Math.min(...arms.map((a) => a.ratio));
  const c = (1 - params.bestProbability) / (R - rMin);
  const probabilities = arms.map((arm, k) => (k === preferred ? 1 - (R - arm.ratio) * c : c * arm.ratio));
  const u = rng.nextDouble();
  let cumulative = 0;
  let arm = A - 1;
  for (let k = 0; k < A; k++) {
    cumulative += probabilities[k] as number;
    if (u < cumulative) {
      arm = k;
      break;
    }
  }
  return { arm, scores, preferred, probabilities };
}

export function minimisationRng(seed: Seed, sequence: number): Rng {
  return deriveRng(seed, `${MINIMISATION_VERSION}:${sequence}`);
}

export function minimisationAllocation(
  factors: PreparedFactors,
  arms: readonly ArmRatio[],
  seed: Seed,
  params: MinimisationParameters,
): { armIndex: Uint8Array; parameters: Record<string, unknown>; report: Record<string, unknown> } {
  checkMinimisationParameters(arms, params);
  const A = arms.length;
  const n = factors.codes[0]?.length ?? 0;
  const counts = factors.levels.map((levels) => new Int32Array(levels.length * A));
  const armIndex = new Uint8Array(n);
  const levelCounts: Int32Array[] = new Array<Int32Array>(factors.codes.length);
  let deterministic = 0;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < factors.codes.length; f++) {
      const code = (factors.codes[f] as Int32Array)[i] as number;
      levelCounts[f] = (counts[f] as Int32Array).subarray(code * A, code * A + A);
    }
    const decision = minimisationStep(levelCounts, factors.weights, arms, params, minimisationRng(seed, i + 1));
    if (decision.preferred >= 0 && decision.arm === decision.preferred) deterministic++;
    armIndex[i] = decision.arm;
    for (let f = 0; f < factors.codes.length; f++) {
      const row = levelCounts[f] as Int32Array;
      row[decision.arm] = (row[decision.arm] as number) + 1;
    }
  }
  // Final marginal imbalance: per factor, the largest range of n_j/r_j over its levels.
  const maxRangeByFactor: Record<string, number> = {};
  factors.names.forEach((name, f) => {
    let worst = 0;
    const table = counts[f] as Int32Array;
    for (let l = 0; l < (factors.levels[f] as readonly string[]).length; l++) {
      const perRatio = arms.map((arm, j) => (table[l * A + j] as number) / arm.ratio);
      worst = Math.max(worst, Math.max(...perRatio) - Math.min(...perRatio));
    }
    maxRangeByFactor[name] = worst;
  });
  return {
    armIndex,
    parameters: {
      factors: factors.names.map((name, f) => ({ name, weight: factors.weights[f] })),
      imbalance: params.imbalance,
      bestProbability: params.bestProbability,
    },
    report: { preferredArmTaken: deterministic, maxRangeByFactor },
  };
}
