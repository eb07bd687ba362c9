/** A point estimate with a delta-method (normal) interval — the shape of every non-Estimate result here. */
import { normalQuantile } from '../binary/normal.js';

export interface NormalInterval {
  readonly estimate: number;
  readonly stdError: number;
  readonly confLow: number;
  readonly confHigh: number;
}

/** z for a two-sided interval at `level`. */
export function zForLevel(level: number): number {
  return normalQuantile(1 - (1 - level) / 2);
}

/** estimate ± z·SE. */
export function normalInterval(estimate: number, stdError: number, z: number): NormalInterval {
  return { estimate, stdError, confLow: estimate - z * stdError, confHigh: estimate + z * stdError };
}
