/**
 * Descriptive statistics the report computes itself (flow counts, baseline balance, outcome distributions).
 * Sources: sample SD with n − 1 (R `sd`); quantiles by R's default type 7 (Hyndman & Fan 1996, definition 7);
 * SMD = (x̄₁ − x̄₀) / √((s₁² + s₀²)/2) (Austin 2009, Stat Med 28:3083, eq. 1; for a binary variable
 * s² = p(1 − p), eq. 2).
 */

export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
}

export function moments(values: readonly number[] | Float64Array): Moments {
  const n = values.length;
  if (n === 0) return { n: 0, mean: Number.NaN, sd: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(squares / (n - 1)) : Number.NaN };
}

/** R's quantile(x, p, type = 7) on sorted values. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(n - 1, lower + 1);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

export function standardisedMeanDifference(treatment: Moments, control: Moments, binary: boolean): number {
  const varianceTreatment = binary ? treatment.mean * (1 - treatment.mean) : treatment.sd ** 2;
  const varianceControl = binary ? control.mean * (1 - control.mean) : control.sd ** 2;
  const pooled = Math.sqrt((varianceTreatment + varianceControl) / 2);
  if (!(pooled > 0)) return treatment.mean === control.mean ? 0 : Number.NaN;
  return (treatment.mean - control.mean) / pooled;
}

/** A "nice" bin width (1, 2 or 5 × 10^k) giving about `target` bins over `span`. */
export function niceBinWidth(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  const step = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
  return step * power;
}

/**
 * One-way ANOVA intraclass correlation for unbalanced clusters (Donner & Koval 1980; Killip, Mahfoud & Pearce
 * 2004, Ann Fam Med 2:204): ICC = (MSB − MSW) / (MSB + (n₀ − 1)·MSW), n₀ = (N − Σnⱼ²/N)/(J − 1).
 * `clusters[i]` is row i's cluster code. NaN with fewer than 2 clusters or no within-cluster replication.
 */
export function intraclassCorrelation(values: readonly number[] | Float64Array, clusters: readonly number[] | Int32Array): number {
  const sums = new Map<number, { n: number; sum: number }>();
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const entry = sums.get(clusters[i]!) ?? { n: 0, sum: 0 };
    entry.n++;
    entry.sum += values[i]!;
    sums.set(clusters[i]!, entry);
    total += values[i]!;
  }
  const n = values.length;
  const groups = sums.size;
  if (groups < 2 || n <= groups) return Number.NaN;
  const grand = total / n;
  let between = 0;
  let sizesSquared = 0;
  for (const { n: size, sum } of sums.values()) {
    between += size * (sum / size - grand) ** 2;
    sizesSquared += size * size;
  }
  let within = 0;
  for (let i = 0; i < n; i++) {
    const entry = sums.get(clusters[i]!)!;
    within += (values[i]! - entry.sum / entry.n) ** 2;
  }
  const msb = between / (groups - 1);
  const msw = within / (n - groups);
  const n0 = (n - sizesSquared / n) / (groups - 1);
  return (msb - msw) / (msb + (n0 - 1) * msw);
}
