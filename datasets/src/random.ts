/** Draws the simulators need beyond core's uniforms, all from the one seeded Rng. */
import type { Rng } from '@trialkit/core';

/** Standard normal by Box–Muller (two uniforms per draw, no cached second value, so draws stay in lock-step). */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.nextDouble(); // (0, 1]
  const u2 = rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function bernoulli(rng: Rng, p: number): number {
  return rng.nextDouble() < p ? 1 : 0;
}

/** An index drawn with the given probabilities (they must sum to 1). */
export function categorical(rng: Rng, probabilities: readonly number[]): number {
  const u = rng.nextDouble();
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i] as number;
    if (u < cumulative) return i;
  }
  return probabilities.length - 1;
}

export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** E[exp(N(mu, sigma^2))] */
export function lognormalMean(mu: number, sigma: number): number {
  return Math.exp(mu + (sigma * sigma) / 2);
}
