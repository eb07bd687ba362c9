/**
 * Difference in means for every design estimatr 1.0.0's `difference_in_means` distinguishes (ESTIMATORS-MATH.md
 * §1): Standard (Welch), Clustered (CR2 closed form, Bell–McCaffrey df), Blocked, Matched-pair, mixed pair/block,
 * Block-clustered and Matched-pair clustered. Inputs are checked arrays: y, t ∈ {0,1}, optional block and cluster
 * codes. Design validity is checked by the caller (difference-in-means.ts) before these run.
 */

export interface DimKernelResult {
  readonly estimate: number;
  readonly stdError: number;
  readonly df: number;
}

/** Welch two-sample difference (§1.1, Welch–Satterthwaite df); NaN df when both variances are 0. */
export function welch(y: Float64Array, t: Uint8Array, rows?: Int32Array): DimKernelResult {
  let n1 = 0;
  let n0 = 0;
  let s1 = 0;
  let s0 = 0;
  const count = rows === undefined ? y.length : rows.length;
  for (let r = 0; r < count; r++) {
    const i = rows === undefined ? r : rows[r]!;
    if (t[i] === 1) {
      n1++;
      s1 += y[i]!;
    } else {
      n0++;
      s0 += y[i]!;
    }
  }
  const m1 = s1 / n1;
  const m0 = s0 / n0;
  let ss1 = 0;
  let ss0 = 0;
  for (let r = 0; r < count; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const d = y[i]! - (t[i] === 1 ? m1 : m0);
    if (t[i] === 1) ss1 += d * d;
    else ss0 += d * d;
  }
  const v1 = ss1 / (n1 - 1) / n1;
  const v0 = ss0 / (n0 - 1) / n0;
  const variance = v1 + v0;
  const df = (variance * variance) / ((v1 * v1) / (n1 - 1) + (v0 * v0) / (n0 - 1));
  return { estimate: m1 - m0, stdError: Math.sqrt(variance), df };
}

/**
 * CR2 for the regression of y on [1, t] with clusters, in closed form (§1.2): S_g = Σ_{i∈g}(y_i − ȳ_{a(g)}),
 * λ_g = n_g/N_a, f_g = (1−λ_g)^{−1/2} (0 when 1−λ_g ≤ 1e-12), SE² = Σ f_g²S_g²/N_a², and the Bell–McCaffrey df
 * (T₀+T₁)²/(F₀+F₁) with p_g = n_g f_g²/N_a², q_g = n_g f_g/N_a, T_a = Σp_g − Σq_g²/N_a,
 * F_a = Σp_g² − (2/N_a)Σp_g q_g² + (Σq_g²)²/N_a².
 * `rows` (optional) restricts to a subset; `clusterCodes` are 0…clusterCount−1 over all rows.
 */
export function clusteredCr2(
  y: Float64Array,
  t: Uint8Array,
  clusterCodes: Int32Array,
  clusterCount: number,
  rows?: Int32Array,
): DimKernelResult & { readonly nClusters: number } {
  const count = rows === undefined ? y.length : rows.length;
  const size = new Float64Array(clusterCount);
  const sum = new Float64Array(clusterCount);
  const arm = new Int8Array(clusterCount).fill(-1);
  let n1 = 0;
  let n0 = 0;
  let s1 = 0;
  let s0 = 0;
  for (let r = 0; r < count; r++) {
    const i = rows === undefined ? r : rows[r]!;
    const g = clusterCodes[i]!;
    size[g] = size[g]! + 1;
    sum[g] = sum[g]! + y[i]!;
    arm[g] = t[i]!;
    if (t[i] === 1) {
      n1++;
      s1 += y[i]!;
    } else {
      n0++;
      s0 += y[i]!;
    }
  }
  const m1 = s1 / n1;
  const m0 = s0 / n0;
  let variance = 0;
  const tSum = [0, 0];
  const pSum = [0, 0];
  const p2Sum = [0, 0];
  const pq2Sum = [0, 0];
  const q2Sum = [0, 0];
  let nClusters = 0;
  for (let g = 0; g < clusterCount; g++) {
    const ng = size[g]!;
    if (ng === 0) continue;
    nClusters++;
    const a = arm[g]!;
    const na = a === 1 ? n1 : n0;
    const centred = sum[g]! - ng * (a === 1 ? m1 : m0);
    const lambda = ng / na;
    const f = 1 - lambda > 1e-12 ? 1 / Math.sqrt(1 - lambda) : 0;
    variance += (f * f * centred * centred) / (na * na);
    const p = (ng * f * f) / (na * na);
    const q = (ng * f) / na;
    pSum[a] = pSum[a]! + p;
    p2Sum[a] = p2Sum[a]! + p * p;
    pq2Sum[a] = pq2Sum[a]! + p * q * q;
    q2Sum[a] = q2Sum[a]! + q * q;
  }
  let trace = 0;
  let frob = 0;
  for (const a of [0, 1]) {
    const na = a === 1 ? n1 : n0;
    tSum[a] = pSum[a]! - q2Sum[a]! / na;
    trace += tSum[a]!;
    frob += p2Sum[a]! - (2 / na) * pq2Sum[a]! + (q2Sum[a]! * q2Sum[a]!) / (na * na);
  }
  return { estimate: m1 - m0, stdError: Math.sqrt(variance), df: (trace * trace) / frob, nClusters };
}

/** Per-block difference in unit means and block size (units). */
export function blockDifferences(
  y: Float64Array,
  t: Uint8Array,
  blockRows: readonly Int32Array[],
): { differences: Float64Array; sizes: Float64Array } {
  const j = blockRows.length;
  const differences = new Float64Array(j);
  const sizes = new Float64Array(j);
  for (let b = 0; b < j; b++) {
    const rows = blockRows[b]!;
    let n1 = 0;
    let n0 = 0;
    let s1 = 0;
    let s0 = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      if (t[i] === 1) {
        n1++;
        s1 += y[i]!;
      } else {
        n0++;
        s0 += y[i]!;
      }
    }
    differences[b] = s1 / n1 - s0 / n0;
    sizes[b] = rows.length;
  }
  return { differences, sizes };
}

/**
 * Matched pairs and the mixed pair/block design (§1.4, §1.5; Gerber & Green 2012 eq. 3.16): τ̂ = Σ(n_j/N)τ̂_j,
 * SE² = Σ(τ̂_j − τ̂)²/(J(J−1)) (unweighted deviations from the weighted τ̂), df = J − 1.
 */
export function matchedPairs(differences: Float64Array, sizes: Float64Array): DimKernelResult {
  const j = differences.length;
  let total = 0;
  for (let b = 0; b < j; b++) total += sizes[b]!;
  let estimate = 0;
  for (let b = 0; b < j; b++) estimate += (sizes[b]! / total) * differences[b]!;
  let ss = 0;
  for (let b = 0; b < j; b++) ss += (differences[b]! - estimate) ** 2;
  return { estimate, stdError: Math.sqrt(ss / (j * (j - 1))), df: j - 1 };
}

/**
 * Matched-pair clustered (§1.7; Imai, King & Nall 2009 eq. 6): τ̂ = Σn_jτ̂_j/N,
 * SE² = J/((J−1)N²)·Σ(n_jτ̂_j − Nτ̂/J)², df = J − 1.
 */
export function matchedPairsClustered(differences: Float64Array, sizes: Float64Array): DimKernelResult {
  const j = differences.length;
  let total = 0;
  for (let b = 0; b < j; b++) total += sizes[b]!;
  let estimate = 0;
  for (let b = 0; b < j; b++) estimate += sizes[b]! * differences[b]!;
  estimate /= total;
  let ss = 0;
  for (let b = 0; b < j; b++) ss += (sizes[b]! * differences[b]! - (total * estimate) / j) ** 2;
  return { estimate, stdError: Math.sqrt((j / ((j - 1) * total * total)) * ss), df: j - 1 };
}

/** Combine per-block estimates with weights n_j/N (§1.3, §1.6): τ̂ = Σw_jτ̂_j, SE² = Σw_j²SE_j². */
export function combineBlocks(estimates: Float64Array, stdErrors: Float64Array, sizes: Float64Array): { estimate: number; stdError: number } {
  let total = 0;
  for (let b = 0; b < sizes.length; b++) total += sizes[b]!;
  let estimate = 0;
  let variance = 0;
  for (let b = 0; b < sizes.length; b++) {
    const w = sizes[b]! / total;
    estimate += w * estimates[b]!;
    variance += w * w * stdErrors[b]! * stdErrors[b]!;
  }
  return { estimate, stdError: Math.sqrt(variance) };
}
