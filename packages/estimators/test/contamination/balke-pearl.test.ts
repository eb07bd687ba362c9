/**
 * Balke–Pearl bounds: the vitamin A example of Balke & Pearl (1997), R's lpSolve over the 16 response types
 * (fixtures/contamination/make-fixtures.R), and an independent brute-force LP here (vertex enumeration) on
 * IV-compatible distributions drawn with the seeded core Rng.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import type { TrialkitError } from '@trialkit/core';
import { BinaryErrorCode } from '../../src/binary/index.js';
import { balkePearlBounds, balkePearlFromCounts, balkePearlFromProbabilities } from '../../src/contamination/index.js';
import type { IvProbabilities } from '../../src/contamination/index.js';
import { expectClose, readFixture } from '../fixtures.js';
import { makeTrial } from './make-trial.js';

interface BoundsFixture {
  vitaminA: {
    counts: Record<'n00_0' | 'n01_0' | 'n10_0' | 'n11_0' | 'n00_1' | 'n01_1' | 'n10_1' | 'n11_1', number>;
    probabilities: IvProbabilities;
    closedForm: { lower: number; upper: number };
    lp: { lower: number; upper: number; status: number };
    published: { lower: number; upper: number };
  };
  randomCompatible: { probabilities: IvProbabilities; lower: number; upper: number; lp: { lower: number; upper: number; status: number } }[];
}
const fixture = readFixture<BoundsFixture>('contamination/balke-pearl.json');

// --- A brute-force LP: enumerate the vertices of {q ≥ 0 : A q = p} over the 16 response types. ---------------------
// Type k = 4c + r. Compliance c: D(z) = (D(0), D(1)) ∈ {(0,0) never, (0,1) complier, (1,0) defier, (1,1) always}.
// Response r: (Y(0), Y(1)) ∈ {(0,0), (0,1), (1,0), (1,1)}.
const PAIRS = [[0, 0], [0, 1], [1, 0], [1, 1]] as const;
function constraintMatrix(): number[][] {
  const rows: number[][] = [];
  for (const z of [0, 1]) {
    for (const y of [0, 1]) {
      for (const d of [0, 1]) {
        rows.push(Array.from({ length: 16 }, (_, k) => {
          const dz = PAIRS[Math.floor(k / 4)]![z]!;
          const yd = PAIRS[k % 4]![d]!;
          return dz === d && yd === y ? 1 : 0;
        }));
      }
    }
  }
  return rows; // row order: z, then y, then d
}
function rightHandSide(p: IvProbabilities): number[] {
  const out: number[] = [];
  for (const z of [0, 1]) for (const y of [0, 1]) for (const d of [0, 1]) out.push(p[`p${y}${d}_${z}` as keyof IvProbabilities]);
  return out;
}
/** Inverse of a square matrix by Gauss–Jordan with partial pivoting; null when singular. */
function inverse(matrix: number[][]): number[][] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-9) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    for (let c = 0; c < 2 * n; c++) a[col]![c]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r]![col]!;
      if (factor === 0) continue;
      for (let c = 0; c < 2 * n; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  return a.map((row) => row.slice(n));
}
// Every basis (7 of the 16 columns with a non-singular 7×7 block) and its inverse; a vertex of the feasible set is
// q_B = B⁻¹b ≥ 0 for some basis B. The 8 constraint rows have rank 7 (Σ rows(z=0) = Σ rows(z=1) = Σ q), so the
// first 7 rows suffice.
const BASES: { columns: number[]; inverse: number[][] }[] = (() => {
  const A = constraintMatrix().slice(0, 7);
  const out: { columns: number[]; inverse: number[][] }[] = [];
  const choose = (start: number, chosen: number[]): void => {
    if (chosen.length === 7) {
      const inv = inverse(A.map((row) => chosen.map((k) => row[k]!)));
      if (inv !== null) out.push({ columns: chosen, inverse: inv });
      return;
    }
    for (let k = start; k < 16; k++) choose(k + 1, [...chosen, k]);
  };
  choose(0, []);
  return out;
})();
function bruteForceBounds(p: IvProbabilities): { lower: number; upper: number } {
  const b = rightHandSide(p).slice(0, 7);
  const ace = Array.from({ length: 16 }, (_, k) => PAIRS[k % 4]![1] - PAIRS[k % 4]![0]);
  let lower = Infinity;
  let upper = -Infinity;
  for (const basis of BASES) {
    const q = basis.inverse.map((row) => row.reduce((s, v, j) => s + v * b[j]!, 0));
    if (q.some((v) => v < -1e-12)) continue;
    const value = basis.columns.reduce((s, k, j) => s + ace[k]! * q[j]!, 0);
    lower = Math.min(lower, value);
    upper = Math.max(upper, value);
  }
  return { lower, upper };
}
function randomCompatible(rng: ReturnType<typeof createRng>): IvProbabilities {
  const q = Array.from({ length: 16 }, () => (rng.nextDouble() < 0.35 ? 0 : -Math.log(1 - rng.nextDouble())));
  const total = q.reduce((s, v) => s + v, 0);
  const p: Record<string, number> = {};
  const A = constraintMatrix();
  let row = 0;
  for (const z of [0, 1]) for (const y of [0, 1]) for (const d of [0, 1]) {
    p[`p${y}${d}_${z}`] = A[row++]!.reduce((s, a, k) => s + a * q[k]!, 0) / total;
  }
  return p as unknown as IvProbabilities;
}

describe('the vitamin A example (Balke & Pearl 1997)', () => {
  const v = fixture.vitaminA;
  it('reproduces the published bounds −0.1946 ≤ ACE ≤ 0.0054 and R (closed form, lpSolve)', () => {
    const bounds = balkePearlFromCounts(v.counts);
    expect(bounds.lower).toBeCloseTo(v.published.lower, 4);
    expect(bounds.upper).toBeCloseTo(v.published.upper, 4);
    expectClose(bounds.lower, v.closedForm.lower, 1e-12, 0, 'lower vs R');
    expectClose(bounds.upper, v.closedForm.upper, 1e-12, 0, 'upper vs R');
    expectClose(bounds.lower, v.lp.lower, 1e-8, 1e-10, 'lower vs lpSolve');
    expectClose(bounds.upper, v.lp.upper, 1e-8, 1e-10, 'upper vs lpSolve');
    expect(bounds.instrumentalInequality.holds).toBe(true);
    expect(bounds.crossed).toBe(false);
    expect(bounds.diagnostics).toEqual([]);
    const brute = bruteForceBounds(bounds.probabilities);
    expect(bounds.lower).toBeCloseTo(brute.lower, 10);
    expect(bounds.upper).toBeCloseTo(brute.upper, 10);
  });
  it('gives the same from a trial with 23,682 rows', () => {
    const z: number[] = [];
    const d: number[] = [];
    const y: number[] = [];
    for (const [key, count] of Object.entries(v.counts)) {
      const [yy, dd, zz] = [Number(key[1]), Number(key[2]), Number(key[4])];
      for (let i = 0; i < count; i++) {
        y.push(yy);
        d.push(dd);
        z.push(zz);
      }
    }
    const bounds = balkePearlBounds(makeTrial({ z, d, y }, 'survived'));
    expectClose(bounds.lower, v.closedForm.lower, 1e-12, 0, 'lower');
    expectClose(bounds.upper, v.closedForm.upper, 1e-12, 0, 'upper');
    expect(bounds.counts).toEqual(v.counts);
    expect(bounds.diagnostics.map((x) => x.code)).toEqual(['ESTIMATORS_BOUNDS_PLUG_IN']);
  });
});

describe('the closed form equals the LP over the 16 response types', () => {
  it("on R's 40 random IV-compatible distributions (lpSolve)", () => {
    for (const [k, c] of fixture.randomCompatible.entries()) {
      expect(c.lp.status).toBe(0);
      const bounds = balkePearlFromProbabilities(c.probabilities);
      expectClose(bounds.lower, c.lower, 1e-12, 1e-14, `case ${k} lower (R closed form)`);
      expectClose(bounds.upper, c.upper, 1e-12, 1e-14, `case ${k} upper (R closed form)`);
      expect(Math.abs(bounds.lower - c.lp.lower), `case ${k} lower vs lpSolve`).toBeLessThan(1e-8);
      expect(Math.abs(bounds.upper - c.lp.upper), `case ${k} upper vs lpSolve`).toBeLessThan(1e-8);
      expect(bounds.instrumentalInequality.holds).toBe(true);
    }
  });
  it('on 60 seeded random IV-compatible distributions (vertex enumeration here)', () => {
    const rng = createRng('balke-pearl');
    for (let k = 0; k < 60; k++) {
      const p = randomCompatible(rng);
      const bounds = balkePearlFromProbabilities(p);
      const brute = bruteForceBounds(p);
      expect(Math.abs(bounds.lower - brute.lower), `draw ${k} lower`).toBeLessThan(1e-10);
      expect(Math.abs(bounds.upper - brute.upper), `draw ${k} upper`).toBeLessThan(1e-10);
      expect(bounds.lower).toBeLessThanOrEqual(bounds.upper + 1e-12);
    }
  }, 60_000); // heavy (seeded simulation); a generous timeout for loaded CI machines
});

describe('instrumental inequality', () => {
  it('reports a violation and crossed bounds as computed (lower > upper), not hidden', () => {
    const p: IvProbabilities = {
      p00_0: 0.6, p01_0: 0.2, p10_0: 0.1, p11_0: 0.1,
      p00_1: 0.1, p01_1: 0.1, p10_1: 0.6, p11_1: 0.2,
    };
    const bounds = balkePearlFromProbabilities(p);
    // Σ_y max_z p_{y0.z} = max(0.6, 0.1) + max(0.1, 0.6) = 1.2 > 1
    expect(bounds.instrumentalInequality.d0).toBeCloseTo(1.2, 14);
    expect(bounds.instrumentalInequality.holds).toBe(false);
    // By hand: lower = 2p00.0 + p11.0 + p10.1 + p11.1 − 2 = 0.1; upper = 2 − p00.0 − p01.0 − p01.1 − 2p10.1 = −0.1.
    expect(bounds.lower).toBeCloseTo(0.1, 14);
    expect(bounds.upper).toBeCloseTo(-0.1, 14);
    expect(bounds.crossed).toBe(true);
    const warning = bounds.diagnostics.find((d) => d.code === 'ESTIMATORS_BOUNDS_INSTRUMENTAL_INEQUALITY_VIOLATED');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain('cross');
  });
});

describe('refusals', () => {
  it('a non-binary outcome', () => {
    let caught: TrialkitError | undefined;
    try {
      balkePearlBounds(makeTrial({ z: [1, 0], d: [1, 0], y: [3, 0] }));
    } catch (error) {
      caught = error as TrialkitError;
    }
    expect(caught?.code).toBe(BinaryErrorCode.outcomeNotBinary);
  });
});

describe('bootstrap confidence set for the bounds (seeded)', () => {
  // The vitamin A counts divided by 10 (rounded), to keep the test quick: n = 2,367.
  const counts = { n00_0: 7, n01_0: 0, n10_0: 1151, n11_0: 0, n00_1: 3, n01_1: 1, n10_1: 239, n11_1: 966 };
  const z: number[] = [];
  const d: number[] = [];
  const y: number[] = [];
  for (const [key, count] of Object.entries(counts)) {
    for (let i = 0; i < count; i++) {
      y.push(Number(key[1]));
      d.push(Number(key[2]));
      z.push(Number(key[4]));
    }
  }
  const trial = makeTrial({ z, d, y });
  it('is reproducible from the seed, contains the plug-in bounds, and keeps them', async () => {
    const { balkePearlBootstrap } = await import('../../src/contamination/index.js');
    const first = balkePearlBootstrap(trial, { seed: 'vitamin-a', draws: 200 });
    const again = balkePearlBootstrap(trial, { seed: 'vitamin-a', draws: 200 });
    const other = balkePearlBootstrap(trial, { seed: 'another', draws: 200 });
    expect(again.bootstrap).toEqual(first.bootstrap);
    expect(other.bootstrap.confLow).not.toBe(first.bootstrap.confLow);
    expect(first.lower).toBe(balkePearlBounds(trial).lower);
    expect(first.bootstrap.confLow).toBeLessThan(first.lower);
    expect(first.bootstrap.confHigh).toBeGreaterThan(first.upper);
    // The binding lower bound p00.0 + p11.1 − 1 has binomial SE ≈ 0.0117 here; the 2.5% quantile sits ≈ 2 SE below.
    expect(first.lower - first.bootstrap.confLow).toBeGreaterThan(0.01);
    expect(first.lower - first.bootstrap.confLow).toBeLessThan(0.05);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  }, 60_000); // heavy (seeded simulation); a generous timeout for loaded CI machines
  it('refuses too few draws', async () => {
    const { balkePearlBootstrap, ContaminationErrorCode } = await import('../../src/contamination/index.js');
    let caught: TrialkitError | undefined;
    try {
      balkePearlBootstrap(trial, { seed: 1, draws: 10 });
    } catch (error) {
      caught = error as TrialkitError;
    }
    expect(caught?.code).toBe(ContaminationErrorCode.badDraws);
  });
});
