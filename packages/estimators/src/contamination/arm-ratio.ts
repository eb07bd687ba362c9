/**
 * The delta-method kernel behind every complier and contamination quantity here.
 *
 * Each quantity is a ratio of contrasts of arm means,
 *     θ = (ū₁ + ū₀) / (v̄₁ + v̄₀),   ū_a = mean of uᵢ over arm a (Z = a),
 * with the signs folded into u and v (e.g. the Wald estimate has uᵢ = ±Yᵢ, vᵢ = ±Dᵢ, + in treatment, − in control).
 * Influence function of unit i in arm a:  ψᵢ = (uᵢ − ū_a − θ(vᵢ − v̄_a)) / (n_a (v̄₁ + v̄₀)).
 *
 * Without clusters — conditional on the arm sizes, the two arms are independent samples:
 *     Var(θ̂) = Σ_a s²_a(u − θv) / (n_a (v̄₁ + v̄₀)²),   s²_a the sample variance (divisor n_a − 1) in arm a.
 *   For the Wald estimate this is exactly iv_robust(Y ~ D | Z, se_type = "HC2"): the structural residuals have mean 0
 *   in each arm and the leverage of an arm-indicator first stage is 1/n_a (checked against R). With vᵢ ≡ ½ in both
 *   arms (denominator 1, no variance) it is the Welch variance of a difference in means.
 * With clusters — Liang & Zeger (1986) cluster-robust, no small-sample factor:
 *     Var(θ̂) = Σ_g (Σ_{i∈g} ψᵢ)²,
 *   which for the Wald estimate is exactly iv_robust(..., clusters = g, se_type = "CR0"), since ψᵢ = ±eᵢ/(n_a π_c)
 *   is the slope's sandwich score (checked against R). Valid whether assignment is by cluster or by individual.
 */

export interface ArmRatio {
  readonly estimate: number;
  readonly stdError: number;
  /** ū₁ + ū₀. */
  readonly numerator: number;
  /** v̄₁ + v̄₀. */
  readonly denominator: number;
  readonly numeratorStdError: number;
  readonly denominatorStdError: number;
  /** Cov(numerator, denominator). */
  readonly covariance: number;
}

/** Cluster codes 0 … count − 1, one per row. */
export interface ClusterCodes {
  readonly codes: Int32Array;
  readonly count: number;
}

interface Moments {
  numeratorVariance: number;
  denominatorVariance: number;
  covariance: number;
}

function armMeans(assignment: Float64Array, u: Float64Array, v: Float64Array | null): { n: [number, number]; meanU: [number, number]; meanV: [number, number] } {
  const n: [number, number] = [0, 0];
  const sumU: [number, number] = [0, 0];
  const sumV: [number, number] = [0, 0];
  for (let i = 0; i < assignment.length; i++) {
    const arm = assignment[i] === 1 ? 1 : 0;
    n[arm]++;
    sumU[arm] += u[i] as number;
    if (v !== null) sumV[arm] += v[i] as number;
  }
  return { n, meanU: [sumU[0] / n[0], sumU[1] / n[1]], meanV: [sumV[0] / n[0], sumV[1] / n[1]] };
}

/** Var and Cov of (ū₁ + ū₀, v̄₁ + v̄₀): per-arm sample (co)variances / n_a. */
function independentArmMoments(
  assignment: Float64Array, u: Float64Array, v: Float64Array | null,
  n: [number, number], meanU: [number, number], meanV: [number, number],
): Moments {
  const uu: [number, number] = [0, 0];
  const vv: [number, number] = [0, 0];
  const uv: [number, number] = [0, 0];
  for (let i = 0; i < assignment.length; i++) {
    const arm = assignment[i] === 1 ? 1 : 0;
    const du = (u[i] as number) - meanU[arm];
    const dv = v === null ? 0 : (v[i] as number) - meanV[arm];
    uu[arm] += du * du;
    vv[arm] += dv * dv;
    uv[arm] += du * dv;
  }
  const scale = (arm: 0 | 1): number => 1 / ((n[arm] - 1) * n[arm]);
  return {
    numeratorVariance: uu[0] * scale(0) + uu[1] * scale(1),
    denominatorVariance: vv[0] * scale(0) + vv[1] * scale(1),
    covariance: uv[0] * scale(0) + uv[1] * scale(1),
  };
}

/** The same moments from per-cluster sums of the influence functions (CR0). */
function clusterMoments(
  assignment: Float64Array, u: Float64Array, v: Float64Array | null, clusters: ClusterCodes,
  n: [number, number], meanU: [number, number], meanV: [number, number],
): Moments {
  const sumU = new Float64Array(clusters.count);
  const sumV = new Float64Array(clusters.count);
  for (let i = 0; i < assignment.length; i++) {
    const arm = assignment[i] === 1 ? 1 : 0;
    const g = clusters.codes[i] as number;
    sumU[g]! += ((u[i] as number) - meanU[arm]) / n[arm];
    if (v !== null) sumV[g]! += ((v[i] as number) - meanV[arm]) / n[arm];
  }
  let numeratorVariance = 0;
  let denominatorVariance = 0;
  let covariance = 0;
  for (let g = 0; g < clusters.count; g++) {
    const a = sumU[g] as number;
    const b = sumV[g] as number;
    numeratorVariance += a * a;
    denominatorVariance += b * b;
    covariance += a * b;
  }
  return { numeratorVariance, denominatorVariance, covariance };
}

/** θ = (ū₁ + ū₀)/(v̄₁ + v̄₀) with its delta-method SE (see the header). Each arm needs ≥ 2 units. */
export function armRatio(assignment: Float64Array, u: Float64Array, v: Float64Array, clusters?: ClusterCodes): ArmRatio {
  const { n, meanU, meanV } = armMeans(assignment, u, v);
  const numerator = meanU[1] + meanU[0];
  const denominator = meanV[1] + meanV[0];
  const estimate = numerator / denominator;
  const { numeratorVariance, denominatorVariance, covariance } = clusters === undefined
    ? independentArmMoments(assignment, u, v, n, meanU, meanV)
    : clusterMoments(assignment, u, v, clusters, n, meanU, meanV);
  // Var(num − θ·den) / den² = (Var num − 2θ Cov + θ² Var den) / den².
  const variance = (numeratorVariance - 2 * estimate * covariance + estimate * estimate * denominatorVariance) /
    (denominator * denominator);
  return {
    estimate,
    stdError: Math.sqrt(Math.max(variance, 0)),
    numerator,
    denominator,
    numeratorStdError: Math.sqrt(numeratorVariance),
    denominatorStdError: Math.sqrt(denominatorVariance),
    covariance,
  };
}

/** ū₁ + ū₀ with its SE: √(s²₁/n₁ + s²₀/n₀) (Welch) without clusters, CR0 with them. */
export function armContrast(assignment: Float64Array, u: Float64Array, clusters?: ClusterCodes): { estimate: number; stdError: number } {
  const { n, meanU, meanV } = armMeans(assignment, u, null);
  const moments = clusters === undefined
    ? independentArmMoments(assignment, u, null, n, meanU, meanV)
    : clusterMoments(assignment, u, null, clusters, n, meanU, meanV);
  return { estimate: meanU[1] + meanU[0], stdError: Math.sqrt(moments.numeratorVariance) };
}

/** Cluster codes of a trial, or undefined without clusters. */
export function clusterCodes(cluster: { readonly codes: Int32Array; readonly labels: readonly string[] } | undefined): ClusterCodes | undefined {
  return cluster === undefined ? undefined : { codes: cluster.codes, count: cluster.labels.length };
}
