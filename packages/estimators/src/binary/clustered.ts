/**
 * Cluster-robust standard errors for the risk ratio and the odds ratio in a cluster-randomised (or clustered) trial:
 * the delta method with the clusters' summed influence, which is the sandwich (CR0 with the G/(G − 1) factor) of
 * the saturated GLM — R: sandwich::vcovCL(glm(y ~ z, binomial(link = "log" | "logit")), cluster = ~ g,
 * type = "HC0") — checked in fixtures/binary-clustered.
 *
 *   log RR = log p̂₁ − log p̂₀,  influence of person i: z_i(y_i − p̂₁)/(n₁p̂₁) − (1 − z_i)(y_i − p̂₀)/(n₀p̂₀)
 *   log OR = logit p̂₁ − logit p̂₀, influence: z_i(y_i − p̂₁)/(n₁p̂₁(1 − p̂₁)) − (1 − z_i)(y_i − p̂₀)/(n₀p̂₀(1 − p̂₀))
 *   Var = G/(G − 1) · Σ_g (Σ_{i∈g} influence_i)²   (clusters may hold one arm or both)
 */
import type { TrialInput } from './trial-input.js';

/** SE of the log measure, or null when a risk is 0 or 1 (the log scale is undefined without a correction). */
export function clusteredLogStdError(trial: TrialInput, measure: 'rr' | 'or'): number | null {
  const cluster = trial.cluster!;
  const y = trial.outcome.values;
  const z = trial.assignment.values;
  let n1 = 0;
  let n0 = 0;
  let s1 = 0;
  let s0 = 0;
  for (let i = 0; i < trial.n; i++) {
    if (z[i] === 1) {
      n1++;
      s1 += y[i]!;
    } else {
      n0++;
      s0 += y[i]!;
    }
  }
  const p1 = s1 / n1;
  const p0 = s0 / n0;
  if (!(p1 > 0 && p0 > 0) || (measure === 'or' && !(p1 < 1 && p0 < 1))) return null;
  const w1 = measure === 'rr' ? 1 / (n1 * p1) : 1 / (n1 * p1 * (1 - p1));
  const w0 = measure === 'rr' ? 1 / (n0 * p0) : 1 / (n0 * p0 * (1 - p0));
  const sums = new Float64Array(cluster.labels.length);
  const seen = new Uint8Array(cluster.labels.length);
  for (let i = 0; i < trial.n; i++) {
    const g = cluster.codes[i]!;
    seen[g] = 1;
    sums[g] = sums[g]! + (z[i] === 1 ? w1 * (y[i]! - p1) : -w0 * (y[i]! - p0));
  }
  let G = 0;
  let total = 0;
  for (let g = 0; g < sums.length; g++) {
    if (seen[g] === 0) continue;
    G++;
    total += sums[g]! * sums[g]!;
  }
  if (G < 2) return null;
  return Math.sqrt((G / (G - 1)) * total);
}
