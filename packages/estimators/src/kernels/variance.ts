/**
 * One variance module for OLS, Lin and 2SLS (ESTIMATORS-MATH.md §2.2, §2.3, §3, §5): classical, HC0–HC3, CR0,
 * CR2 with Bell–McCaffrey degrees of freedom, and Stata's CR1S ("stata").
 *
 * Everything is computed in the coordinates of the thin Q of the (second-stage) design D = Q₁R (pivoted, kept
 * columns): with R⁻¹ as the square root of M = (D′D)⁻¹ = R⁻¹R⁻ᵀ, the leverages are h_i = ‖q_i‖², the HC meat is
 * Σ ω_i q_i q_iᵀ, the CR0 meat is Σ_g (Q_g′e_g)(Q_g′e_g)ᵀ, and V = R⁻¹ · meat · R⁻ᵀ. For IV, D = X̂ and e are the
 * structural residuals (§5).
 *
 * Fast CR2 (§3.1–3.3): C_g = Q_g′Q_g = U_g Λ_g U_gᵀ (k×k; = R′S_gR with R = R⁻¹); then
 * (I − Q_gQ_g′)^{+1/2} = I + Q_g K_g Q_g′ with K_g = U_g diag(δ) U_gᵀ, δ_i = 1/(s_i(1+s_i)), s_i = √(1−λ_i), or
 * δ_i = −1/λ_i when 1 − λ_i ≤ 1e-12 (estimatr's / clubSandwich's pseudo-inverse threshold). The CR2 cluster score
 * is u_g = r_g + C_g K_g r_g with r_g = Q_g′e_g. No n_g×n_g or N×N matrix is formed: O(N·k² + G·k³).
 */
import { congruence, symmetricEigen } from './linalg.js';

export type VarianceType = 'classical' | 'HC0' | 'HC1' | 'HC2' | 'HC3' | 'CR0' | 'CR2' | 'stata';

export const CLUSTER_TYPES: readonly VarianceType[] = ['CR0', 'CR2', 'stata'];

/** Rows grouped by cluster: order[starts[g] … starts[g+1]) are the rows of cluster g. */
export interface ClusterIndex {
  readonly count: number;
  readonly order: Int32Array;
  readonly starts: Int32Array;
}

/** Counting sort of rows by cluster code (codes 0…count−1; clusters with no rows are dropped). */
export function clusterIndex(codes: Int32Array, count: number): ClusterIndex {
  const sizes = new Int32Array(count);
  for (let i = 0; i < codes.length; i++) sizes[codes[i]!]!++;
  let used = 0;
  const remap = new Int32Array(count).fill(-1);
  for (let g = 0; g < count; g++) if (sizes[g]! > 0) remap[g] = used++;
  const starts = new Int32Array(used + 1);
  for (let g = 0; g < count; g++) if (remap[g]! >= 0) starts[remap[g]! + 1] = sizes[g]!;
  for (let g = 0; g < used; g++) starts[g + 1] = starts[g + 1]! + starts[g]!;
  const fill = starts.slice(0, used);
  const order = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const g = remap[codes[i]!]!;
    order[fill[g]!] = i;
    fill[g] = fill[g]! + 1;
  }
  return { count: used, order, starts };
}

export interface VarianceResult {
  /** Variance–covariance of the kept coefficients in pivot order (rank×rank, row-major). */
  readonly vcov: Float64Array;
  /** Degrees of freedom per kept coefficient (pivot order). */
  readonly df: Float64Array;
  readonly nClusters: number | undefined;
}

/**
 * Rows of the (second-stage) design in thin-Q coordinates and their residuals, produced a block at a time so that
 * no N×k array is ever allocated (at N = 1e6 first-touching a fresh 96 MB array costs more than the arithmetic).
 */
export interface RowSource {
  readonly n: number;
  readonly rank: number;
  /**
   * Fill q and e for rows start … start+len−1 (len ≤ STREAM_BLOCK): q is column-major within the block, element
   * (i, a) at q[a·STREAM_BLOCK + i], so that the kernels' inner loops run over contiguous rows.
   */
  fill(start: number, len: number, q: Float64Array, e: Float64Array): void;
}

export interface Clusters {
  /** Cluster code of each row, 0…count−1. */
  readonly codes: Int32Array;
  readonly count: number;
}

export const STREAM_BLOCK = 512;
/** Above this many per-cluster accumulator numbers (G·k²) CR2 falls back to materialising the rows. */
const MAX_CLUSTER_ACCUMULATOR = 3e7;

/**
 * Variance of β̂ from a row source (one pass over the rows): classical, HC0–HC3, CR0, stata, CR2 (+ BM df).
 * Per-cluster sums Q_g′e_g and (CR2) Q_g′Q_g are accumulated in row order, so rows need not be sorted.
 */
export function streamingVariance(
  source: RowSource,
  rInverse: Float64Array,
  type: VarianceType,
  clusters?: Clusters,
  maxClusterAccumulator: number = MAX_CLUSTER_ACCUMULATOR,
): VarianceResult {
  const { n, rank: k } = source;
  const B = STREAM_BLOCK;
  const q = new Float64Array(B * k);
  const e = new Float64Array(B);
  const h = new Float64Array(B);
  const weighted = new Float64Array(B);
  if (type === 'CR2' && clusters !== undefined && clusters.count * k * k > maxClusterAccumulator) {
    // Very many clusters: materialise rows and residuals, then walk clusters in sorted order.
    const qRows = new Float64Array(n * k);
    const residuals = new Float64Array(n);
    for (let start = 0; start < n; start += STREAM_BLOCK) {
      const len = Math.min(STREAM_BLOCK, n - start);
      source.fill(start, len, q, e);
      for (let i = 0; i < len; i++) for (let a = 0; a < k; a++) qRows[(start + i) * k + a] = q[a * B + i]!;
      residuals.set(e.subarray(0, len), start);
    }
    return robustVariance(qRows, rInverse, residuals, n, k, type, clusterIndex(clusters.codes, clusters.count));
  }
  const df = new Float64Array(k);
  const meat = new Float64Array(k * k);
  let sumSquares = 0;
  const clustered = type === 'CR0' || type === 'CR2' || type === 'stata';
  if (clustered && clusters === undefined) throw new Error(`variance type ${type} needs clusters`);
  const g = clustered ? clusters!.count : 0;
  const scores = new Float64Array(g * k);
  const crosses = type === 'CR2' ? new Float64Array(g * k * k) : new Float64Array(0);
  const sizes = new Int32Array(g);
  for (let start = 0; start < n; start += STREAM_BLOCK) {
    const len = Math.min(STREAM_BLOCK, n - start);
    source.fill(start, len, q, e);
    if (type === 'classical') {
      for (let i = 0; i < len; i++) sumSquares += e[i]! * e[i]!;
    } else if (!clustered) {
      // ω_i = e_i², e_i²/(1−h_i), e_i²/(1−h_i)² with h_i = ‖q_i‖²; meat_ab += Σ_i ω_i q_ia q_ib (contiguous dots).
      for (let i = 0; i < len; i++) h[i] = 0;
      if (type === 'HC2' || type === 'HC3') {
        for (let a = 0; a < k; a++) {
          const ao = a * B;
          for (let i = 0; i < len; i++) h[i] = h[i]! + q[ao + i]! * q[ao + i]!;
        }
      }
      for (let i = 0; i < len; i++) {
        const ei = e[i]!;
        let omega = ei * ei;
        if (type === 'HC2') omega /= 1 - h[i]!;
        else if (type === 'HC3') omega /= (1 - h[i]!) * (1 - h[i]!);
        h[i] = Number.isFinite(omega) ? omega : 0; // estimatr sets non-finite weights to 0; h now holds ω
      }
      for (let a = 0; a < k; a++) {
        const ao = a * B;
        for (let i = 0; i < len; i++) weighted[i] = h[i]! * q[ao + i]!;
        for (let b = a; b < k; b++) {
          const bo = b * B;
          let sum = 0;
          for (let i = 0; i < len; i++) sum += weighted[i]! * q[bo + i]!;
          meat[a * k + b] = meat[a * k + b]! + sum;
        }
      }
    } else {
      const codes = clusters!.codes;
      for (let i = 0; i < len; i++) {
        const cg = codes[start + i]!;
        sizes[cg] = sizes[cg]! + 1;
        const ei = e[i]!;
        const so = cg * k;
        for (let a = 0; a < k; a++) scores[so + a] = scores[so + a]! + ei * q[a * B + i]!;
        if (type === 'CR2') {
          const co = cg * k * k;
          for (let a = 0; a < k; a++) {
            const qa = q[a * B + i]!;
            const ro = co + a * k;
            for (let b = a; b < k; b++) crosses[ro + b] = crosses[ro + b]! + qa * q[b * B + i]!;
          }
        }
      }
    }
  }
  if (type === 'classical') {
    // V = s²M, s² = e′e/(N−k) (§2.2).
    const s2 = sumSquares / (n - k);
    const scaled = new Float64Array(k * k);
    for (let c = 0; c < k; c++) scaled[c * k + c] = s2;
    df.fill(n - k);
    return { vcov: congruence(rInverse, scaled, k), df, nClusters: undefined };
  }
  if (!clustered) {
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) meat[b * k + a] = meat[a * k + b]!;
    const vcov = congruence(rInverse, meat, k);
    if (type === 'HC1') {
      const scale = n / (n - k);
      for (let i = 0; i < vcov.length; i++) vcov[i] = vcov[i]! * scale;
    }
    df.fill(n - k);
    return { vcov, df, nClusters: undefined };
  }
  // Clusters with rows, in code order.
  const used: number[] = [];
  for (let c = 0; c < g; c++) if (sizes[c]! > 0) used.push(c);
  const nClusters = used.length;
  if (type === 'CR0' || type === 'stata') {
    const score = new Float64Array(k);
    for (const c of used) {
      score.set(scores.subarray(c * k, c * k + k));
      addOuter(meat, score, k);
    }
    const vcov = congruence(rInverse, meat, k);
    if (type === 'stata') {
      const scale = (nClusters / (nClusters - 1)) * ((n - 1) / (n - k));
      for (let i = 0; i < vcov.length; i++) vcov[i] = vcov[i]! * scale;
    }
    df.fill(nClusters - 1);
    return { vcov, df, nClusters };
  }
  return cr2FromSums(
    used.map((c) => crosses.subarray(c * k * k, (c + 1) * k * k)),
    used.map((c) => scores.subarray(c * k, (c + 1) * k)),
    rInverse,
    k,
  );
}

/** Eigenvalue threshold of the CR2 pseudo-inverse square root (estimatr / clubSandwich `tol = -12` → 1e-12). */
const CR2_EIGEN_TOLERANCE = 1e-12;

/**
 * Variance of β̂ for design rows `qRows` (row-major N×rank thin Q), `rInverse` = R⁻¹ (rank×rank, row-major),
 * residuals e (N), and clusters for CR types.
 */
export function robustVariance(
  qRows: Float64Array,
  rInverse: Float64Array,
  residuals: Float64Array,
  n: number,
  rank: number,
  type: VarianceType,
  clusters?: ClusterIndex,
): VarianceResult {
  const k = rank;
  const df = new Float64Array(k);
  if (type === 'classical') {
    // V = s²M, s² = e′e/(N−k) (§2.2).
    let ss = 0;
    for (let i = 0; i < n; i++) ss += residuals[i]! * residuals[i]!;
    const s2 = ss / (n - k);
    const identity = new Float64Array(k * k);
    for (let c = 0; c < k; c++) identity[c * k + c] = s2;
    df.fill(n - k);
    return { vcov: congruence(rInverse, identity, k), df, nClusters: undefined };
  }
  if (type === 'HC0' || type === 'HC1' || type === 'HC2' || type === 'HC3') {
    // V = M(Σ ω_i x_i x_iᵀ)M with ω_i = e_i², e_i²/(1−h_i), e_i²/(1−h_i)²; HC1 scales HC0 by N/(N−k) (§2.2).
    const meat = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      const o = i * k;
      const e = residuals[i]!;
      let omega = e * e;
      if (type === 'HC2' || type === 'HC3') {
        let h = 0;
        for (let c = 0; c < k; c++) h += qRows[o + c]! * qRows[o + c]!;
        omega = type === 'HC2' ? omega / (1 - h) : omega / ((1 - h) * (1 - h));
      }
      if (!Number.isFinite(omega)) omega = 0; // estimatr sets non-finite weights to 0
      for (let a = 0; a < k; a++) {
        const wa = omega * qRows[o + a]!;
        const ro = a * k;
        for (let b = a; b < k; b++) meat[ro + b] = meat[ro + b]! + wa * qRows[o + b]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) meat[b * k + a] = meat[a * k + b]!;
    const vcov = congruence(rInverse, meat, k);
    if (type === 'HC1') {
      const scale = n / (n - k);
      for (let i = 0; i < vcov.length; i++) vcov[i] = vcov[i]! * scale;
    }
    df.fill(n - k);
    return { vcov, df, nClusters: undefined };
  }
  if (clusters === undefined) throw new Error(`variance type ${type} needs clusters`);
  const g = clusters.count;
  if (type === 'CR0' || type === 'stata') {
    // V = M(Σ_g X_g′e_g e_g′X_g)M; stata (CR1S) scales by G/(G−1)·(N−1)/(N−k); df = G − 1 (§2.3).
    const meat = new Float64Array(k * k);
    const score = new Float64Array(k);
    for (let c = 0; c < g; c++) {
      score.fill(0);
      for (let t = clusters.starts[c]!; t < clusters.starts[c + 1]!; t++) {
        const i = clusters.order[t]!;
        const e = residuals[i]!;
        const o = i * k;
        for (let a = 0; a < k; a++) score[a] = score[a]! + e * qRows[o + a]!;
      }
      addOuter(meat, score, k);
    }
    const vcov = congruence(rInverse, meat, k);
    if (type === 'stata') {
      const scale = (g / (g - 1)) * ((n - 1) / (n - k));
      for (let i = 0; i < vcov.length; i++) vcov[i] = vcov[i]! * scale;
    }
    df.fill(g - 1);
    return { vcov, df, nClusters: g };
  }
  return cr2Variance(qRows, rInverse, residuals, k, clusters);
}

function addOuter(target: Float64Array, v: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) {
    const va = v[a]!;
    if (va === 0) continue;
    for (let b = 0; b < k; b++) target[a * k + b] = target[a * k + b]! + va * v[b]!;
  }
}

/** CR2 variance and Bell–McCaffrey df for every coefficient (§3.1–3.3), rows walked in cluster order. */
function cr2Variance(
  qRows: Float64Array,
  rInverse: Float64Array,
  residuals: Float64Array,
  k: number,
  clusters: ClusterIndex,
): VarianceResult {
  const crosses: Float64Array[] = [];
  const scores: Float64Array[] = [];
  for (let c = 0; c < clusters.count; c++) {
    const cross = new Float64Array(k * k);
    const score = new Float64Array(k);
    for (let t = clusters.starts[c]!; t < clusters.starts[c + 1]!; t++) {
      const i = clusters.order[t]!;
      const o = i * k;
      const e = residuals[i]!;
      for (let a = 0; a < k; a++) {
        const qa = qRows[o + a]!;
        score[a] = score[a]! + e * qa;
        for (let b = a; b < k; b++) cross[a * k + b] = cross[a * k + b]! + qa * qRows[o + b]!;
      }
    }
    crosses.push(cross);
    scores.push(score);
  }
  return cr2FromSums(crosses, scores, rInverse, k);
}

/**
 * CR2 from per-cluster sums: cross_g = Q_g′Q_g (upper triangle filled) and score_g = Q_g′e_g.
 */
function cr2FromSums(
  crossesIn: readonly Float64Array[],
  scoresIn: readonly Float64Array[],
  rInverse: Float64Array,
  k: number,
): VarianceResult {
  const g = crossesIn.length;
  const kk = k * k;
  // Per cluster: eigenvectors U_g (k×k, columns), λ_g and f_g = (1−λ)^{−1/2} (0 when thresholded).
  const vectors = new Float64Array(g * kk);
  const lambdas = new Float64Array(g * k);
  const fs = new Float64Array(g * k);
  const meat = new Float64Array(kk);
  const cross = new Float64Array(kk);
  const tmp = new Float64Array(k);
  const tmp2 = new Float64Array(k);
  for (let c = 0; c < g; c++) {
    cross.set(crossesIn[c]!);
    const score = scoresIn[c]!;
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) cross[b * k + a] = cross[a * k + b]!;
    const { values, vectors: u } = symmetricEigen(cross, k);
    vectors.set(u, c * kk);
    // tmp = diag(δ) Uᵀ r_g
    for (let i = 0; i < k; i++) {
      const lambda = values[i]!;
      lambdas[c * k + i] = lambda;
      const oneMinus = 1 - lambda;
      let delta: number;
      if (oneMinus > CR2_EIGEN_TOLERANCE) {
        const s = Math.sqrt(oneMinus);
        fs[c * k + i] = 1 / s;
        delta = 1 / (s * (1 + s));
      } else {
        fs[c * k + i] = 0;
        delta = -1 / lambda;
      }
      let proj = 0;
      for (let a = 0; a < k; a++) proj += u[a * k + i]! * score[a]!;
      // C_g K_g r_g = U Λ diag(δ) Uᵀ r_g: scale by λ δ directly.
      tmp[i] = lambda * delta * proj;
    }
    // u_g = r_g + U tmp
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += u[a * k + i]! * tmp[i]!;
      tmp2[a] = score[a]! + s;
    }
    addOuter(meat, tmp2, k);
  }
  const vcov = congruence(rInverse, meat, k);
  // Bell–McCaffrey df per coefficient j: a = R⁻ᵀe_j (row j of R⁻¹); q_g = U_gᵀa; p_g = Σ λ f² q²;
  // ũ_g = U_g(λ∘f∘q); tr P = Σp_g − Σ‖ũ_g‖², ‖P‖²_F = Σp_g² − 2Σp_g‖ũ_g‖² + ‖Σũ_gũ_gᵀ‖²_F; ν = (tr P)²/‖P‖²_F.
  const df = new Float64Array(k);
  const a = new Float64Array(k);
  const q = new Float64Array(k);
  const ut = new Float64Array(k);
  const outer = new Float64Array(kk);
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < k; l++) a[l] = rInverse[j * k + l]!;
    outer.fill(0);
    let sumP = 0;
    let sumU = 0;
    let sumP2 = 0;
    let sumPU = 0;
    for (let c = 0; c < g; c++) {
      const vo = c * kk;
      const lo = c * k;
      let p = 0;
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += vectors[vo + l * k + i]! * a[l]!;
        const lf = lambdas[lo + i]! * fs[lo + i]!;
        p += lf * fs[lo + i]! * s * s;
        q[i] = lf * s;
      }
      let norm2 = 0;
      for (let l = 0; l < k; l++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += vectors[vo + l * k + i]! * q[i]!;
        ut[l] = s;
        norm2 += s * s;
      }
      sumP += p;
      sumU += norm2;
      sumP2 += p * p;
      sumPU += p * norm2;
      for (let l = 0; l < k; l++) {
        const ul = ut[l]!;
        for (let m = l; m < k; m++) outer[l * k + m] = outer[l * k + m]! + ul * ut[m]!;
      }
    }
    let frob = 0;
    for (let l = 0; l < k; l++) {
      frob += outer[l * k + l]! * outer[l * k + l]!;
      for (let m = l + 1; m < k; m++) frob += 2 * outer[l * k + m]! * outer[l * k + m]!;
    }
    const trace = sumP - sumU;
    df[j] = (trace * trace) / (sumP2 - 2 * sumPU + frob);
  }
  return { vcov, df, nClusters: g };
}
