/** Mean of a column over the rows that pass a filter, with SE s/√n and a normal interval. */
import type { NormalInterval } from './interval.js';
import { normalInterval } from './interval.js';

export interface SubgroupMean extends NormalInterval {
  readonly n: number;
}

/** null when fewer than 2 rows pass (no SE); the caller reports why. */
export function subgroupMean(values: Float64Array, include: (i: number) => boolean, z: number): SubgroupMean | null {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!include(i)) continue;
    n++;
    sum += values[i] as number;
  }
  if (n < 2) return null;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    if (!include(i)) continue;
    const deviation = (values[i] as number) - mean;
    squares += deviation * deviation;
  }
  return { ...normalInterval(mean, Math.sqrt(squares / (n - 1) / n), z), n };
}
