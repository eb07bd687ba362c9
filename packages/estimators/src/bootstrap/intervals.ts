/**
 * Bootstrap confidence intervals exactly as R's boot 1.3 computes them in boot.ci (norm.ci, basic.ci, perc.ci,
 * bca.ci and their shared order-statistic rule norm.inter), given the replicates t*, t0 and, for BCa, the
 * empirical influence values L.
 *
 *   t* (non-finite dropped, as boot.ci does) ──sort──► norm.inter(α):
 *       r = (R + 1)·α; k = ⌊r⌋;  r whole → t*(k);  k = 0 → t*(1);  k = R → t*(R);
 *       otherwise t*(k) + (Φ⁻¹(α) − Φ⁻¹(k/(R+1))) / (Φ⁻¹((k+1)/(R+1)) − Φ⁻¹(k/(R+1))) · (t*(k+1) − t*(k))
 *       (interpolation on the normal scale, Davison & Hinkley 1997, eq. 5.8); r ≤ 1 or r ≥ R is flagged
 *       ("extreme order statistics used as endpoints" in boot; a Diagnostic here).
 *   percentile: norm.inter at α = (1 ∓ level)/2                                   (D&H §5.3.1; E&T ch. 13)
 *   basic:      2·t0 − norm.inter at α = (1 ± level)/2                             (D&H eq. 5.6)
 *   normal:     t0 − bias ∓ sd(t*)·Φ⁻¹((1 + level)/2), bias = mean(t*) − t0       (D&H eq. 5.4)
 *   BCa:        z0 = Φ⁻¹(#{t* < t0} / R),  a = Σ L³ / (6 (Σ L²)^{3/2}),
 *               α̃ = Φ(z0 + (z0 + z_α) / (1 − a (z0 + z_α))), then norm.inter at α̃   (E&T eq. 14.9–14.15;
 *               D&H §5.3.2, eq. 5.21–5.23)
 * R's floating-point order of operations is kept (e.g. α = (1 + (−level))/2), so r and k agree with boot's.
 */
import { diagnostic, normalCdf, normalQuantile, type Diagnostic } from '@trialkit/core';
import { checkLevel } from '../checks.js';
import { bootstrapErrors } from './errors.js';

export type BootInterval = 'bca' | 'percentile' | 'normal' | 'basic';
export const BOOT_INTERVALS: readonly BootInterval[] = ['bca', 'percentile', 'normal', 'basic'];

/** [lower, upper]. */
export type BootBounds = readonly [number, number];

export interface BootCiInput {
  /** The statistic on the original data. */
  readonly t0: number;
  /** Its bootstrap replicates (non-finite ones are dropped, as boot.ci does, with a diagnostic). */
  readonly t: ArrayLike<number>;
  /** Default 0.95. */
  readonly level?: number;
  /** Empirical influence values L for the BCa acceleration (boot.ci's `L`); without them there is no BCa. */
  readonly influence?: ArrayLike<number>;
}

export interface BootCi {
  readonly level: number;
  readonly t0: number;
  /** Finite replicates used. */
  readonly reps: number;
  /** Non-finite replicates dropped. */
  readonly dropped: number;
  /** mean(t*) − t0. */
  readonly bias: number;
  /** sd(t*) (denominator R − 1): the bootstrap standard error. */
  readonly stdError: number;
  readonly normal: BootBounds;
  readonly basic: BootBounds;
  readonly percentile: BootBounds;
  /** null when undefined (all replicates on one side of t0, no influence values, or Σ L² = 0). */
  readonly bca: BootBounds | null;
  /** BCa bias correction Φ⁻¹(#{t* < t0}/R) (±Infinity when undefined). */
  readonly z0: number;
  /** BCa acceleration, null without influence values or when Σ L² = 0. */
  readonly acceleration: number | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** boot's norm.inter for one α on sorted finite replicates: the endpoint and whether it is an extreme one. */
export function normInter(sorted: Float64Array, alpha: number): { readonly value: number; readonly extreme: boolean } {
  const R = sorted.length;
  const rk = (R + 1) * alpha;
  const extreme = !(rk > 1 && rk < R);
  const k = Math.trunc(rk);
  let value: number;
  if (k <= 0) value = sorted[0]!;
  else if (k >= R) value = sorted[R - 1]!;
  else if (k === rk) value = sorted[k - 1]!;
  else {
    const q = normalQuantile(alpha);
    const qk = normalQuantile(k / (R + 1));
    const qk1 = normalQuantile((k + 1) / (R + 1));
    const tk = sorted[k - 1]!;
    const tk1 = sorted[k]!;
    value = tk + ((q - qk) / (qk1 - qk)) * (tk1 - tk);
  }
  return { value, extreme };
}

/** boot.ci(…, type = c("norm", "basic", "perc", "bca"), conf = level, L = influence) on given replicates. */
export function bootCi(input: BootCiInput): BootCi {
  const level = checkLevel(input.level);
  const t0 = input.t0;
  if (!Number.isFinite(t0)) throw bootstrapErrors.badReplicates(`t0 must be finite (it is ${String(t0)})`);
  const finite: number[] = [];
  for (let r = 0; r < input.t.length; r++) {
    const v = input.t[r]!;
    if (Number.isFinite(v)) finite.push(v);
  }
  const R = finite.length;
  if (R < 2) throw bootstrapErrors.badReplicates(`Only ${R} finite replicates were given; intervals need at least two`);
  const dropped = input.t.length - R;
  const sorted = Float64Array.from(finite).sort();
  const diagnostics: Diagnostic[] = [];
  if (dropped > 0) {
    diagnostics.push(
      diagnostic('BOOT_NON_FINITE_REPLICATES', 'warning', `${dropped} of ${input.t.length} replicates were not finite and were left out of the intervals (as R's boot.ci does), so the intervals rest on ${R}.`),
    );
  }
  if (sorted[0] === sorted[R - 1]) {
    diagnostics.push(
      diagnostic('BOOT_CONSTANT_REPLICATES', 'warning', `All ${R} replicates equal ${sorted[0]}: the resampling shows no variation (boot.ci gives no intervals here), so the intervals have zero width and BCa is undefined.`),
    );
  }

  const extremes: string[] = [];
  const pair = (name: string, lowAlpha: number, highAlpha: number): BootBounds => {
    const low = normInter(sorted, lowAlpha);
    const high = normInter(sorted, highAlpha);
    if (low.extreme || high.extreme) extremes.push(name);
    return [low.value, high.value];
  };
  const lowerAlpha = (1 + -level) / 2;
  const upperAlpha = (1 + level) / 2;

  // normal (norm.ci): var and mean of the finite replicates
  const mean = meanOf(finite);
  let ss = 0;
  for (const v of finite) ss += (v - mean) * (v - mean);
  const stdError = Math.sqrt(ss / (R - 1));
  const bias = mean - t0;
  const merr = stdError * normalQuantile(upperAlpha);
  const normal: BootBounds = [t0 - bias - merr, t0 - bias + merr];

  // basic (basic.ci): 2 t0 − norm.inter(t, (1 + c(conf, −conf))/2)
  const basicQuantiles = pair('basic', upperAlpha, lowerAlpha);
  const basic: BootBounds = [2 * t0 - basicQuantiles[0], 2 * t0 - basicQuantiles[1]];

  // percentile (perc.ci)
  const percentile = pair('percentile', lowerAlpha, upperAlpha);

  // BCa (bca.ci)
  let below = 0;
  for (const v of finite) if (v < t0) below++;
  const z0 = normalQuantile(below / R);
  let acceleration: number | null = null;
  if (input.influence !== undefined) {
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < input.influence.length; i++) {
      const l = input.influence[i]!;
      if (!Number.isFinite(l)) throw bootstrapErrors.badInfluence(input.influence.length, String(l));
      s2 += l * l;
      s3 += l * l * l;
    }
    const a = s3 / (6 * s2 ** 1.5);
    acceleration = Number.isFinite(a) ? a : null;
  }
  let bca: BootBounds | null = null;
  if (!Number.isFinite(z0)) {
    diagnostics.push(
      diagnostic('BOOT_BCA_UNDEFINED', 'warning', `BCa is undefined: ${below === 0 ? 'no' : 'every'} replicate is below the estimate, so the bias correction z0 is infinite (boot: "estimated adjustment 'w' is infinite"). Use the percentile interval, and check the statistic (is it at the edge of its range?).`),
    );
  } else if (input.influence === undefined) {
    diagnostics.push(diagnostic('BOOT_BCA_UNDEFINED', 'info', 'BCa needs influence values for its acceleration; none were given.'));
  } else if (acceleration === null) {
    diagnostics.push(
      diagnostic('BOOT_BCA_UNDEFINED', 'warning', "BCa is undefined: every jackknife influence value is zero, so the acceleration is 0/0 (boot: \"estimated adjustment 'a' is NA\"). Use the percentile interval."),
    );
  } else {
    const adjusted = (alpha: number): number => {
      const z = normalQuantile(alpha);
      return normalCdf(z0 + (z0 + z) / (1 - acceleration! * (z0 + z)));
    };
    bca = pair('BCa', adjusted(lowerAlpha), adjusted(upperAlpha));
  }
  if (extremes.length > 0) {
    diagnostics.push(
      diagnostic('BOOT_EXTREME_ORDER_STATISTICS', 'warning', `The ${extremes.join(', ')} interval${extremes.length > 1 ? 's use' : ' uses'} the most extreme replicates as endpoints ((R + 1)·α ≤ 1 or ≥ R with R = ${R}; boot: "extreme order statistics used as endpoints"), so ${extremes.length > 1 ? 'they are' : 'it is'} too narrow and unstable: use more replicates.`),
    );
  }
  return Object.freeze({
    level,
    t0,
    reps: R,
    dropped,
    bias,
    stdError,
    normal,
    basic,
    percentile,
    bca,
    z0,
    acceleration,
    diagnostics: Object.freeze(diagnostics),
  });
}

/** Mean with R's refinement (mean.default: sum/n, then + sum(x − m)/n), so it agrees with R to the last bits. */
function meanOf(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  const m = s / values.length;
  let correction = 0;
  for (const v of values) correction += v - m;
  return m + correction / values.length;
}
