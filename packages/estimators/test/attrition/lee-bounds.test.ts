/**
 * leeBounds(): closed forms worked by hand (ties at the cut, fractional kept mass), symmetries (relabelling the arms
 * mirrors the bounds), and a seeded simulation with a known data-generating process: the bounds converge to the
 * population Lee bounds, which contain the always-responders' ITT; the Imbens–Manski interval covers it; and the
 * Proposition 3 standard errors match the Monte Carlo spread of the bounds (continuous, many zeros, control trimmed).
 * The golden comparison with R is in attrition-analysis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createRng, normalCdf, normalDensity, normalQuantile, type Rng } from '@trialkit/core';
import { imbensManskiCritical, leeBounds } from '../../src/attrition/index.js';

describe('leeBounds: closed forms', () => {
  // Treatment: all 10 respond, outcomes with six zeros; control: 8 of 10 respond → K = 10·8/10 = 8, p = 0.2.
  const treated = [0, 0, 0, 0, 0, 0, 5, 10, 15, 20];
  const control = [1, 2, 3, 4, 5, 6, 7, 8];

  it('trims inside a run of tied zeros: the kept share is exact', () => {
    const lee = leeBounds({ treatedOutcomes: treated, controlOutcomes: control, nAssignedTreated: 10, nAssignedControl: 10 });
    expect(lee.trimmedArm).toBe('treatment');
    expect(lee.trimProportion).toBe(0.2);
    expect(lee.keptMass).toBe(8);
    // upper: keep the top 8 = 5, 10, 15, 20 and four of the six zeros → 50/8; lower: six zeros, 5, 10 → 15/8.
    expect(lee.upper).toBeCloseTo(50 / 8 - 4.5, 14);
    expect(lee.lower).toBeCloseTo(15 / 8 - 4.5, 14);
    expect(lee.upperCutoff).toBe(0);
    expect(lee.lowerCutoff).toBe(10);
    // SE of the upper bound by Proposition 3, written out: kept values 4×0, 5, 10, 15, 20 (mass 8), mean 6.25.
    const mu = 6.25;
    const v = (4 * mu ** 2 + (5 - mu) ** 2 + (10 - mu) ** 2 + (15 - mu) ** 2 + (20 - mu) ** 2) / 8;
    const vControl = control.reduce((s, y) => s + (y - 4.5) ** 2, 0) / 8;
    const expected = (v + 0.2 * mu ** 2) / 8 + mu ** 2 * ((1 - 1) / 10 + (1 - 0.8) / 8) + vControl / 8;
    expect(lee.seUpper).toBeCloseTo(Math.sqrt(expected), 13);
  });

  it('weights the boundary observation fractionally when the kept mass is not whole', () => {
    // Control: 7 of 9 respond → K = 10·7/9 = 70/9.
    const lee = leeBounds({ treatedOutcomes: treated, controlOutcomes: control.slice(0, 7), nAssignedTreated: 10, nAssignedControl: 9 });
    const k = 70 / 9;
    expect(lee.keptMass).toBeCloseTo(k, 14);
    expect(lee.upper + 4).toBeCloseTo(50 / k, 12); // top: 20, 15, 10, 5 and 3.78 zeros' worth
    expect(lee.lower + 4).toBeCloseTo((5 + 10 * (k - 7)) / k, 12); // bottom: six zeros, 5, and 0.78 of the 10
    expect(lee.lowerCutoff).toBe(10);
  });

  it('does not depend on the order of the outcomes', () => {
    const a = leeBounds({ treatedOutcomes: treated, controlOutcomes: control, nAssignedTreated: 12, nAssignedControl: 10 });
    const b = leeBounds({ treatedOutcomes: [...treated].reverse(), controlOutcomes: [...control].reverse(), nAssignedTreated: 12, nAssignedControl: 10 });
    expect(b.lower).toBeCloseTo(a.lower, 13);
    expect(b.upper).toBeCloseTo(a.upper, 13);
    expect(b.seLower).toBeCloseTo(a.seLower, 13);
  });

  it('mirrors when the arms are relabelled: trimming the control arm swaps and negates the bounds', () => {
    const a = leeBounds({ treatedOutcomes: treated, controlOutcomes: control, nAssignedTreated: 10, nAssignedControl: 11 });
    const b = leeBounds({ treatedOutcomes: control, controlOutcomes: treated, nAssignedTreated: 11, nAssignedControl: 10 });
    expect(a.trimmedArm).toBe('treatment');
    expect(b.trimmedArm).toBe('control');
    expect(b.trimProportion).toBeCloseTo(a.trimProportion, 15);
    expect(b.lower).toBeCloseTo(-a.upper, 13);
    expect(b.upper).toBeCloseTo(-a.lower, 13);
    expect(b.seLower).toBeCloseTo(a.seUpper, 13);
    expect(b.seUpper).toBeCloseTo(a.seLower, 13);
    expect(b.ci.low).toBeCloseTo(-a.ci.high, 12);
    expect(b.lowerCutoff).toBe(a.upperCutoff);
  });

  it('shifts with the treated outcomes', () => {
    const a = leeBounds({ treatedOutcomes: treated, controlOutcomes: control, nAssignedTreated: 10, nAssignedControl: 10 });
    const b = leeBounds({ treatedOutcomes: treated.map((y) => y + 100), controlOutcomes: control, nAssignedTreated: 10, nAssignedControl: 10 });
    expect(b.lower - a.lower).toBeCloseTo(100, 11);
    expect(b.upper - a.upper).toBeCloseTo(100, 11);
    expect(b.seUpper).toBeCloseTo(a.seUpper, 11);
  });
});

describe('imbensManskiCritical', () => {
  it('is the two-sided normal quantile for a point and the one-sided one for a wide set', () => {
    expect(imbensManskiCritical(0, 1, 1, 0.95)).toBeCloseTo(normalQuantile(0.975), 14);
    expect(imbensManskiCritical(100, 1, 1, 0.95)).toBeCloseTo(normalQuantile(0.95), 14);
  });

  it('solves Φ(C + Δ/σ) − Φ(−C) = level', () => {
    for (const ratio of [0.1, 0.5, 1, 2, 3]) {
      const c = imbensManskiCritical(ratio * 2, 1.5, 2, 0.9);
      expect(normalCdf(c + ratio) - normalCdf(-c)).toBeCloseTo(0.9, 14);
    }
  });

  it('writes the level in the method text as given (0.975 → 97.5%, not 98%)', () => {
    const r = leeBounds({ treatedOutcomes: [1, 2, 3, 4, 5], controlOutcomes: [1, 2, 3], nAssignedTreated: 6, nAssignedControl: 6, level: 0.975 });
    expect(r.method).toContain('97.5% interval');
  });

  it('refuses arguments that would give NaN: a level outside (0, 1), a negative or non-finite width or SE', () => {
    // Before: imbensManskiCritical(1, 1, 1, 1.5) returned NaN, and a negative width a C above the two-sided quantile.
    expect(() => imbensManskiCritical(1, 1, 1, 1.5)).toThrow(expect.objectContaining({ code: 'EST_BAD_LEVEL' }));
    expect(() => imbensManskiCritical(1, 1, 1, 0)).toThrow(expect.objectContaining({ code: 'EST_BAD_LEVEL' }));
    for (const [width, seLower, seUpper] of [[-1, 1, 1], [Number.NaN, 1, 1], [1, -0.5, 1], [1, 1, Number.POSITIVE_INFINITY], [1, Number.NaN, 1]]) {
      expect(() => imbensManskiCritical(width!, seLower!, seUpper!, 0.95)).toThrow(expect.objectContaining({ code: 'ATTRITION_BAD_IM_ARGUMENT' }));
    }
    expect(imbensManskiCritical(0, 0, 0, 0.95)).toBeCloseTo(normalQuantile(0.975), 14); // zero SEs: a point
    expect(imbensManskiCritical(1, 0, 0, 0.95)).toBeCloseTo(normalQuantile(0.95), 14); // zero SEs, positive width
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Simulation. Units are always-responders (respond in either arm), induced responders (respond only if treated) or
// never-responders. Y(0) ~ N(μ_type, 1); Y(1) = Y(0) + τ_type. The always-responders' ITT is τ_AR.

/** Standard normal by Box–Muller from core's seeded generator. */
function normal(rng: Rng): number {
  const u = 1 - rng.nextDouble();
  const v = rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

interface Dgp {
  readonly shares: { always: number; induced: number };
  readonly mean: { always: number; induced: number };
  readonly effect: { always: number; induced: number };
  /** Outcome transform (e.g. earnings with zeros); identity when undefined. */
  readonly transform?: (y: number) => number;
  /** Treatment makes people respond less: induced responders then respond only in control. */
  readonly inducedInControl?: boolean;
}

function simulate(dgp: Dgp, n: number, rng: Rng) {
  const treated: number[] = [];
  const control: number[] = [];
  let assignedT = 0;
  for (let i = 0; i < n; i++) {
    const z = i % 2; // half assigned to each arm
    if (z === 1) assignedT++;
    const u = rng.nextDouble();
    const type = u < dgp.shares.always ? 'always' : u < dgp.shares.always + dgp.shares.induced ? 'induced' : 'never';
    const y0 = (type === 'induced' ? dgp.mean.induced : dgp.mean.always) + normal(rng);
    if (type === 'never') continue;
    const responds = type === 'always' || (dgp.inducedInControl === true ? z === 0 : z === 1);
    if (!responds) continue;
    const y = z === 1 ? y0 + (type === 'induced' ? dgp.effect.induced : dgp.effect.always) : y0;
    (z === 1 ? treated : control).push(dgp.transform === undefined ? y : dgp.transform(y));
  }
  return leeBounds({ treatedOutcomes: treated, controlOutcomes: control, nAssignedTreated: assignedT, nAssignedControl: n - assignedT });
}

/** Population Lee bounds for the normal-mixture DGP without transform (treatment trimmed). */
function populationBounds(dgp: Dgp): [number, number] {
  const a = dgp.shares.always;
  const b = dgp.shares.induced;
  const parts = [
    { weight: a / (a + b), mean: dgp.mean.always + dgp.effect.always },
    { weight: b / (a + b), mean: dgp.mean.induced + dgp.effect.induced },
  ];
  const p = b / (a + b);
  const cdf = (q: number) => parts.reduce((s, c) => s + c.weight * normalCdf(q - c.mean), 0);
  const quantile = (prob: number) => {
    let lo = -50;
    let hi = 50;
    for (let k = 0; k < 200; k++) {
      const m = (lo + hi) / 2;
      if (cdf(m) < prob) lo = m;
      else hi = m;
    }
    return (lo + hi) / 2;
  };
  // E[Y 1{Y ≥ q}] for N(m, 1) = m(1 − Φ(q − m)) + φ(q − m).
  const upperPartial = (q: number) => parts.reduce((s, c) => s + c.weight * (c.mean * (1 - normalCdf(q - c.mean)) + normalDensity(q - c.mean)), 0);
  const total = parts.reduce((s, c) => s + c.weight * c.mean, 0);
  const top = upperPartial(quantile(p)) / (1 - p);
  const bottom = (total - upperPartial(quantile(1 - p))) / (1 - p);
  return [bottom - dgp.mean.always, top - dgp.mean.always];
}

const continuous: Dgp = { shares: { always: 0.6, induced: 0.15 }, mean: { always: 0, induced: -0.5 }, effect: { always: 0.3, induced: 1 } };

describe('leeBounds: simulation with a known always-responders ITT', () => {
  it('converges to the population Lee bounds, which contain the always-responders ITT (n = 200,000)', () => {
    const [popLower, popUpper] = populationBounds(continuous);
    expect(popLower).toBeLessThan(continuous.effect.always);
    expect(popUpper).toBeGreaterThan(continuous.effect.always);
    const lee = simulate(continuous, 200_000, createRng('attrition-lee-large'));
    expect(Math.abs(lee.lower - popLower)).toBeLessThan(4 * lee.seLower);
    expect(Math.abs(lee.upper - popUpper)).toBeLessThan(4 * lee.seUpper);
    expect(lee.trimProportion).toBeCloseTo(0.2, 1);
    expect(lee.ci.low).toBeLessThan(continuous.effect.always);
    expect(lee.ci.high).toBeGreaterThan(continuous.effect.always);
  });

  const calibrate = (dgp: Dgp, seed: string, reps: number, n: number) => {
    const rng = createRng(seed);
    const lowers: number[] = [];
    const uppers: number[] = [];
    let seLower = 0;
    let seUpper = 0;
    let covered = 0;
    let coveredByBoundsCi = 0;
    let trimmedControl = 0;
    for (let r = 0; r < reps; r++) {
      const lee = simulate(dgp, n, rng);
      lowers.push(lee.lower);
      uppers.push(lee.upper);
      seLower += lee.seLower / reps;
      seUpper += lee.seUpper / reps;
      if (lee.ci.low <= dgp.effect.always && dgp.effect.always <= lee.ci.high) covered++;
      if (lee.boundsCi.low <= dgp.effect.always && dgp.effect.always <= lee.boundsCi.high) coveredByBoundsCi++;
      if (lee.trimmedArm === 'control') trimmedControl++;
    }
    const sd = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
    };
    return { sdLower: sd(lowers), sdUpper: sd(uppers), seLower, seUpper, coverage: covered / reps, boundsCoverage: coveredByBoundsCi / reps, trimmedControl };
  };

  // 400 replications: the Monte Carlo SD is known to about ±3.5%, so the band ±15% is about 4 of its SDs.
  it('Proposition 3 standard errors match the Monte Carlo spread; Imbens–Manski covers (continuous outcome)', () => {
    const run = calibrate(continuous, 'attrition-lee-se-continuous', 400, 2000);
    expect(run.seLower / run.sdLower).toBeGreaterThan(0.85);
    expect(run.seLower / run.sdLower).toBeLessThan(1.15);
    expect(run.seUpper / run.sdUpper).toBeGreaterThan(0.85);
    expect(run.seUpper / run.sdUpper).toBeLessThan(1.15);
    expect(run.coverage).toBeGreaterThanOrEqual(0.93);
  });

  it('… for earnings with a mass of zeros (cut points on tied values)', () => {
    const earnings: Dgp = {
      ...continuous,
      mean: { always: 0.2, induced: 0 },
      effect: { always: 0.4, induced: 0.8 },
      transform: (y) => (y < 0.3 ? 0 : Math.round(100 * Math.exp(y)) * 10),
    };
    const run = calibrate(earnings, 'attrition-lee-se-earnings', 400, 2000);
    expect(run.seLower / run.sdLower).toBeGreaterThan(0.85);
    expect(run.seLower / run.sdLower).toBeLessThan(1.15);
    expect(run.seUpper / run.sdUpper).toBeGreaterThan(0.85);
    expect(run.seUpper / run.sdUpper).toBeLessThan(1.15);
  });

  it('… when treatment lowers response (the control arm is trimmed)', () => {
    const lower: Dgp = { ...continuous, inducedInControl: true };
    const run = calibrate(lower, 'attrition-lee-se-control', 400, 2000);
    expect(run.trimmedControl).toBe(400);
    expect(run.seLower / run.sdLower).toBeGreaterThan(0.85);
    expect(run.seLower / run.sdLower).toBeLessThan(1.15);
    expect(run.seUpper / run.sdUpper).toBeGreaterThan(0.85);
    expect(run.seUpper / run.sdUpper).toBeLessThan(1.15);
    expect(run.coverage).toBeGreaterThanOrEqual(0.93);
  });

  // When the induced responders have the highest outcomes, trimming the top removes exactly them: the always-responders'
  // ITT is the population lower bound, and an interval for the parameter should miss it about (1 − level) of the time
  // on that side (Imbens & Manski 2004) — the bounds ± 1.96·se interval is conservative there (≈ 97.5%).
  it('covers at about the nominal rate when the truth sits on a bound (Imbens–Manski 95%, bounds ± z·se ≈ 97.5%)', () => {
    const onBound: Dgp = { ...continuous, mean: { always: 0, induced: 8 } };
    const run = calibrate(onBound, 'attrition-lee-im-on-bound', 400, 2000);
    expect(run.coverage).toBeGreaterThan(0.91);
    expect(run.coverage).toBeLessThan(0.985);
    expect(run.boundsCoverage).toBeGreaterThanOrEqual(run.coverage);
  });
});
