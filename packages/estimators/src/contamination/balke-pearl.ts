/**
 * Balke–Pearl sharp bounds on the average effect ACE = P(Y(1)=1) − P(Y(0)=1) for binary Z, D, Y (Balke & Pearl
 * 1997, JASA 92:1171, eqs. for the bounds under the instrumental-variable model; ESTIMATORS-MATH.md §7). They do
 * not assume that contaminated controls got the same effect, nor monotonicity. With p_{yd.z} = P(Y=y, D=d | Z=z):
 *   lower = max of 8 expressions, upper = min of 8 expressions (listed below, in the order of ESTIMATORS-MATH.md).
 * The model implies the instrumental inequality  max_d Σ_y max_z p_{yd.z} ≤ 1  (Pearl 1995). Sample plug-ins can
 * violate it, and then the bounds can cross (lower > upper): this is reported as it is, with a Diagnostic, never
 * hidden or swapped.
 */
import { diagnostic } from '@trialkit/core';
import type { Diagnostic } from '@trialkit/core';
import { checkBinaryOutcome } from '../binary/two-by-two.js';
import type { TrialInput } from '../binary/trial-input.js';
import { instrumentColumns } from './columns.js';

/** p_{yd.z}: the key `p${y}${d}_${z}` is P(Y=y, D=d | Z=z). */
export interface IvProbabilities {
  readonly p00_0: number; readonly p01_0: number; readonly p10_0: number; readonly p11_0: number;
  readonly p00_1: number; readonly p01_1: number; readonly p10_1: number; readonly p11_1: number;
}

export interface BalkePearlBounds {
  readonly lower: number;
  readonly upper: number;
  /** The 8 candidate lower-bound expressions (the bound is their maximum). */
  readonly lowerTerms: readonly number[];
  /** The 8 candidate upper-bound expressions (the bound is their minimum). */
  readonly upperTerms: readonly number[];
  readonly probabilities: IvProbabilities;
  /** Σ_y max_z p_{yd.z} for d = 0 and d = 1; the model requires both ≤ 1. */
  readonly instrumentalInequality: { readonly d0: number; readonly d1: number; readonly holds: boolean };
  /** lower > upper (only possible when the instrumental inequality fails). */
  readonly crossed: boolean;
  /** Counts n_{yd.z} when computed from data. */
  readonly counts: Readonly<Record<string, number>> | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Bounds from the eight conditional probabilities. */
export function balkePearlFromProbabilities(p: IvProbabilities, tolerance = 1e-12): BalkePearlBounds {
  const { p00_0, p01_0, p10_0, p11_0, p00_1, p01_1, p10_1, p11_1 } = p;
  const lowerTerms = [
    p00_0 + p11_1 - 1,
    p00_1 + p11_1 - 1,
    p11_0 + p00_1 - 1,
    p00_0 + p11_0 - 1,
    2 * p00_0 + p11_0 + p10_1 + p11_1 - 2,
    p00_0 + 2 * p11_0 + p00_1 + p01_1 - 2,
    p10_0 + p11_0 + 2 * p00_1 + p11_1 - 2,
    p00_0 + p01_0 + p00_1 + 2 * p11_1 - 2,
  ];
  const upperTerms = [
    1 - p10_0 - p01_1,
    1 - p01_0 - p10_1,
    1 - p01_0 - p10_0,
    1 - p01_1 - p10_1,
    2 - 2 * p01_0 - p10_0 - p10_1 - p11_1,
    2 - p01_0 - 2 * p10_0 - p00_1 - p01_1,
    2 - p10_0 - p11_0 - 2 * p01_1 - p10_1,
    2 - p00_0 - p01_0 - p01_1 - 2 * p10_1,
  ];
  const lower = Math.max(...lowerTerms);
  const upper = Math.min(...upperTerms);
  // Instrumental inequality (Pearl 1995): for each d, Σ_y max_z P(Y=y, D=d | Z=z) ≤ 1.
  const d0 = Math.max(p00_0, p00_1) + Math.max(p10_0, p10_1);
  const d1 = Math.max(p01_0, p01_1) + Math.max(p11_0, p11_1);
  const holds = d0 <= 1 + tolerance && d1 <= 1 + tolerance;
  const crossed = lower > upper + tolerance;
  const diagnostics: Diagnostic[] = [];
  if (!holds) {
    diagnostics.push(diagnostic('ESTIMATORS_BOUNDS_INSTRUMENTAL_INEQUALITY_VIOLATED', 'warning',
      `The instrumental inequality fails (Σ_y max_z P(Y=y, D=d | Z=z) = ${d0.toFixed(4)} for d = 0 and ${d1.toFixed(4)} for d = 1; both must be ≤ 1): ` +
      'either sampling noise or a violation of the IV assumptions (assignment affecting the outcome other than through take-up, or broken randomisation).' +
      (crossed ? ` The plug-in bounds cross (lower ${lower.toFixed(4)} > upper ${upper.toFixed(4)}); they are reported as computed.` : '')));
  } else if (crossed) {
    diagnostics.push(diagnostic('ESTIMATORS_BOUNDS_CROSSED', 'warning',
      `The plug-in bounds cross (lower ${lower.toFixed(4)} > upper ${upper.toFixed(4)}); they are reported as computed.`));
  }
  return {
    lower,
    upper,
    lowerTerms,
    upperTerms,
    probabilities: { ...p },
    instrumentalInequality: { d0, d1, holds },
    crossed,
    counts: null,
    diagnostics,
  };
}

/** Bounds from the counts n_{yd.z} (key `n${y}${d}_${z}`). */
export function balkePearlFromCounts(counts: Readonly<Record<'n00_0' | 'n01_0' | 'n10_0' | 'n11_0' | 'n00_1' | 'n01_1' | 'n10_1' | 'n11_1', number>>): BalkePearlBounds {
  const n0 = counts.n00_0 + counts.n01_0 + counts.n10_0 + counts.n11_0;
  const n1 = counts.n00_1 + counts.n01_1 + counts.n10_1 + counts.n11_1;
  const bounds = balkePearlFromProbabilities({
    p00_0: counts.n00_0 / n0, p01_0: counts.n01_0 / n0, p10_0: counts.n10_0 / n0, p11_0: counts.n11_0 / n0,
    p00_1: counts.n00_1 / n1, p01_1: counts.n01_1 / n1, p10_1: counts.n10_1 / n1, p11_1: counts.n11_1 / n1,
  });
  return { ...bounds, counts: { ...counts } };
}

/** Balke–Pearl bounds from a trial with a 0/1 outcome and 0/1 take-up. */
export function balkePearlBounds(trial: TrialInput): BalkePearlBounds {
  checkBinaryOutcome(trial);
  const { assignment, received, outcome, n } = instrumentColumns(trial, 1, 'Balke–Pearl bounds');
  const cells = new Float64Array(8); // index y*4 + d*2 + z
  for (let i = 0; i < n; i++) {
    cells[(outcome[i] as number) * 4 + (received[i] as number) * 2 + (assignment[i] as number)]! += 1;
  }
  const at = (y: number, d: number, z: number): number => cells[y * 4 + d * 2 + z] as number;
  const bounds = balkePearlFromCounts({
    n00_0: at(0, 0, 0), n01_0: at(0, 1, 0), n10_0: at(1, 0, 0), n11_0: at(1, 1, 0),
    n00_1: at(0, 0, 1), n01_1: at(0, 1, 1), n10_1: at(1, 0, 1), n11_1: at(1, 1, 1),
  });
  return {
    ...bounds,
    diagnostics: [...bounds.diagnostics, diagnostic('ESTIMATORS_BOUNDS_PLUG_IN', 'info',
      'The bounds are plug-in estimates from the sample proportions, without sampling uncertainty.')],
  };
}
