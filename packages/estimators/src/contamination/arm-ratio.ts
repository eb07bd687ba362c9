/**
 * The delta-method kernel behind every complier and contamination quantity here.
 *
 * Each quantity is a ratio of contrasts of arm means,
 *     θ = (ū₁ + ū₀) / (v̄₁ + v̄₀),   ū_a = mean of uᵢ over arm a (Z = a),
 * with the signs folded into u and v (e.g. the Wald estimate has uᵢ = ±Yᵢ, vᵢ = ±Dᵢ, + in treatment, − in control).
 * Conditional on the arm sizes (n₁, n₀ fixed by randomisation) the two arms are independent samples, and the
 * delta method (influence function ψᵢ = (uᵢ − ū_a − θ(vᵢ − v̄_a)) / (v̄₁ + v̄₀)) gives
 *     Var(θ̂) = Σ_a s²_a(u − θv) / (n_a · (v̄₁ + v̄₀)²),   s²_a the sample variance (divisor n_a − 1) in arm a.
 * For the Wald estimate this is exactly iv_robust(Y ~ D | Z, se_type = "HC2")'s variance: the structural residuals
 * have mean 0 in each arm and the leverage of an arm-indicator first stage is 1/n_a (checked against R in
 * fixtures/contamination). With vᵢ ≡ ±½ (denominator 1) it is the Welch variance of a difference in means.
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

interface ArmMoments {
  n: number;
  meanU: number;
  meanV: number;
  varU: number;
  varV: number;
  covUV: number;
}

function armMoments(assignment: Float64Array, u: Float64Array, v: Float64Array | null, arm: 0 | 1): ArmMoments {
  let n = 0;
  let sumU = 0;
  let sumV = 0;
  for (let i = 0; i < assignment.length; i++) {
    if (assignment[i] !== arm) continue;
    n++;
    sumU += u[i] as number;
    if (v !== null) sumV += v[i] as number;
  }
  const meanU = sumU / n;
  const meanV = sumV / n;
  let uu = 0;
  let vv = 0;
  let uv = 0;
  for (let i = 0; i < assignment.length; i++) {
    if (assignment[i] !== arm) continue;
    const du = (u[i] as number) - meanU;
    const dv = v === null ? 0 : (v[i] as number) - meanV;
    uu += du * du;
    vv += dv * dv;
    uv += du * dv;
  }
  return { n, meanU, meanV, varU: uu / (n - 1), varV: vv / (n - 1), covUV: uv / (n - 1) };
}

/** θ = (ū₁ + ū₀)/(v̄₁ + v̄₀) with its delta-method SE (see the header). Each arm needs ≥ 2 units. */
export function armRatio(assignment: Float64Array, u: Float64Array, v: Float64Array): ArmRatio {
  const arm1 = armMoments(assignment, u, v, 1);
  const arm0 = armMoments(assignment, u, v, 0);
  const numerator = arm1.meanU + arm0.meanU;
  const denominator = arm1.meanV + arm0.meanV;
  const estimate = numerator / denominator;
  const numeratorVariance = arm1.varU / arm1.n + arm0.varU / arm0.n;
  const denominatorVariance = arm1.varV / arm1.n + arm0.varV / arm0.n;
  const covariance = arm1.covUV / arm1.n + arm0.covUV / arm0.n;
  // Var(u − θv) summed over arms = Var(num) − 2θ Cov + θ² Var(den), divided by den².
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

/** ū₁ + ū₀ with its SE √(s²₁/n₁ + s²₀/n₀) (Welch). */
export function armContrast(assignment: Float64Array, u: Float64Array): { estimate: number; stdError: number } {
  const arm1 = armMoments(assignment, u, null, 1);
  const arm0 = armMoments(assignment, u, null, 0);
  return { estimate: arm1.meanU + arm0.meanU, stdError: Math.sqrt(arm1.varU / arm1.n + arm0.varU / arm0.n) };
}
