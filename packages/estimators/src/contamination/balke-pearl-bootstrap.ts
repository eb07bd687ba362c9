/**
 * Sampling uncertainty for the Balke–Pearl bounds by a seeded bootstrap (core's Rng).
 *
 * Resampling keeps the arm sizes (n_z draws with replacement within each arm, as the rest of this folder conditions
 * on the arm sizes). For each draw the plug-in bounds are recomputed; the set
 *     [ α/2 quantile of the bootstrap lower bounds,  1 − α/2 quantile of the bootstrap upper bounds ]
 * is reported as a confidence set for the identified interval (each end with α/2, so it covers the whole identified
 * set with probability ≈ ≥ level; in the spirit of Horowitz & Manski 2000, JASA 95:77). Quantiles are R's type 7.
 * The bounds are max/min of linear functions, so the bootstrap is only approximately valid when several expressions
 * nearly tie; the share of draws violating the instrumental inequality is reported too.
 */
import { createRng, diagnostic } from '@trialkit/core';
import type { Diagnostic, Seed } from '@trialkit/core';
import { checkLevel } from '../binary/errors.js';
import { checkBinaryOutcome } from '../binary/two-by-two.js';
import type { TrialInput } from '../binary/trial-input.js';
import { balkePearlBounds, balkePearlFromProbabilities } from './balke-pearl.js';
import type { BalkePearlBounds } from './balke-pearl.js';
import { contaminationErrors } from './errors.js';

export interface BalkePearlBootstrap {
  readonly draws: number;
  readonly seed: string;
  readonly level: number;
  /** α/2 quantile of the bootstrap lower bounds. */
  readonly confLow: number;
  /** 1 − α/2 quantile of the bootstrap upper bounds. */
  readonly confHigh: number;
  /** Share of draws whose plug-in probabilities violate the instrumental inequality. */
  readonly violationShare: number;
  readonly method: string;
}

export interface BalkePearlWithBootstrap extends BalkePearlBounds {
  readonly bootstrap: BalkePearlBootstrap;
}

/** Type-7 quantile of sorted values (R's default). */
function quantileSorted(sorted: Float64Array, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return (sorted[below] as number) * (1 - fraction) + (sorted[above] as number) * fraction;
}

export function balkePearlBootstrap(
  trial: TrialInput,
  options: { readonly seed: Seed; readonly draws?: number; readonly level?: number },
): BalkePearlWithBootstrap {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const draws = options.draws ?? 2000;
  if (!Number.isInteger(draws) || draws < 100) throw contaminationErrors.badDraws(draws);
  checkBinaryOutcome(trial);
  const bounds = balkePearlBounds(trial);
  const counts = bounds.counts as Readonly<Record<string, number>>;
  const rng = createRng(options.seed);
  // Per arm z: the four cells (y, d) in the order 00, 01, 10, 11, as cumulative counts for drawing.
  const arms = [0, 1].map((z) => {
    const cells = ['00', '01', '10', '11'].map((yd) => counts[`n${yd}_${z}`] as number);
    const cumulative = cells.map((_, k) => cells.slice(0, k + 1).reduce((s, c) => s + c, 0));
    return { n: cumulative[3] as number, cumulative };
  });
  const lowers = new Float64Array(draws);
  const uppers = new Float64Array(draws);
  let violations = 0;
  const drawn = [new Float64Array(4), new Float64Array(4)];
  for (let b = 0; b < draws; b++) {
    for (const z of [0, 1] as const) {
      const arm = arms[z]!;
      const cells = drawn[z]!;
      cells.fill(0);
      for (let i = 0; i < arm.n; i++) {
        const pick = rng.nextInt(arm.n);
        let k = 0;
        while (pick >= (arm.cumulative[k] as number)) k++;
        cells[k]! += 1;
      }
    }
    const [c0, c1] = drawn as [Float64Array, Float64Array];
    const n0 = arms[0]!.n;
    const n1 = arms[1]!.n;
    const resampled = balkePearlFromProbabilities({
      p00_0: (c0[0] as number) / n0, p01_0: (c0[1] as number) / n0, p10_0: (c0[2] as number) / n0, p11_0: (c0[3] as number) / n0,
      p00_1: (c1[0] as number) / n1, p01_1: (c1[1] as number) / n1, p10_1: (c1[2] as number) / n1, p11_1: (c1[3] as number) / n1,
    });
    lowers[b] = resampled.lower;
    uppers[b] = resampled.upper;
    if (!resampled.instrumentalInequality.holds) violations++;
  }
  lowers.sort();
  uppers.sort();
  const alpha = 1 - level;
  const diagnostics: Diagnostic[] = [...bounds.diagnostics];
  const violationShare = violations / draws;
  if (violationShare > 0) {
    diagnostics.push(diagnostic('ESTIMATORS_BOUNDS_BOOTSTRAP_VIOLATIONS', 'info',
      `${(100 * violationShare).toFixed(1)}% of bootstrap draws violate the instrumental inequality; their bounds are used as computed.`));
  }
  return {
    ...bounds,
    diagnostics,
    bootstrap: {
      draws,
      seed: String(options.seed),
      level,
      confLow: quantileSorted(lowers, alpha / 2),
      confHigh: quantileSorted(uppers, 1 - alpha / 2),
      violationShare,
      method:
        'Bootstrap within arms (arm sizes fixed), seeded core Rng; α/2 quantile of the lower bounds and 1 − α/2 ' +
        'quantile of the upper bounds (R type 7): a confidence set for the identified interval.',
    },
  };
}
