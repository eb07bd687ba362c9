/**
 * boot.ci's arithmetic on R's own replicates: for every fixture case (fixtures/bootstrap/make-fixtures.R, R boot
 * 1.3-28.1) bootCi gets boot's t*, t0 and L = empinf(b, type = "jack") and must give boot.ci's normal, basic,
 * percentile and BCa intervals at 0.95 and 0.9 to 1e-10 relative, with boot's warnings as diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { bootCi, normInter } from '../../src/bootstrap/index.js';
import { bootCase, readBootFixture, relativeError, replicates, t0Of, warned } from './helpers.js';

const TOLERANCE = 1e-10;
const fixture = readBootFixture();

describe('bootCi against R boot.ci on the same replicates', () => {
  it('records the R versions', () => {
    expect(fixture.r_version).toMatch(/^R version 4/);
    expect(fixture.boot_version).toBe('1.3.28.1');
    expect(fixture.cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of fixture.cases) {
    for (const expected of c.ci) {
      it(`${c.name} at ${expected.conf}`, () => {
        const k = c.index - 1;
        const ci = bootCi({ t0: t0Of(c, k), t: replicates(c, k), level: expected.conf, influence: c.L });
        const pairs: [readonly [number, number] | null, [number, number]][] = [
          [ci.normal, expected.normal],
          [ci.basic, expected.basic],
          [ci.percentile, expected.percent],
          [ci.bca, expected.bca],
        ];
        for (const [actual, want] of pairs) {
          expect(actual).not.toBeNull();
          expect(relativeError(actual![0], want[0])).toBeLessThan(TOLERANCE);
          expect(relativeError(actual![1], want[1])).toBeLessThan(TOLERANCE);
        }
        expect(relativeError(ci.bias, c.bias)).toBeLessThan(1e-9);
        expect(relativeError(ci.stdError, c.sd)).toBeLessThan(1e-10);
        const codes = ci.diagnostics.map((d) => d.code);
        expect(codes.includes('BOOT_EXTREME_ORDER_STATISTICS')).toBe(warned(expected));
      });
    }
  }

  it('drops non-finite replicates as boot.ci does and says how many', () => {
    const c = bootCase('ratio-denominator-near-zero');
    const t = replicates(c, 0);
    const nonFinite = t.filter((v) => !Number.isFinite(v)).length;
    expect(nonFinite).toBeGreaterThan(0);
    const ci = bootCi({ t0: t0Of(c, 0), t, level: 0.95, influence: c.L });
    expect(ci.dropped).toBe(nonFinite);
    expect(ci.reps).toBe(c.R - nonFinite);
    expect(ci.diagnostics.find((d) => d.code === 'BOOT_NON_FINITE_REPLICATES')?.message).toContain(`${nonFinite} of ${c.R}`);
  });
});

describe('norm.inter', () => {
  // R: boot:::norm.inter(c(5, 1, 4, 2, 3), c(0.1, 0.5, 0.9, 0.25, 0.75))
  //    [1] 1.000000 3.000000 5.000000 1.500000 4.500000   (rk = 0.6 → t*(1); 3 → t*(3); 5.4 → t*(5); 1.5, 4.5 interpolate)
  it('takes exact order statistics, extremes, and interpolates on the normal scale', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5]);
    expect(normInter(sorted, 0.1)).toEqual({ value: 1, extreme: true });
    expect(normInter(sorted, 0.5)).toEqual({ value: 3, extreme: false });
    expect(normInter(sorted, 0.9)).toEqual({ value: 5, extreme: true });
    // rk = 1.5, k = 1: 1 + (qnorm(0.25) − qnorm(1/6)) / (qnorm(2/6) − qnorm(1/6)) · (2 − 1); R gives 1.5 (symmetric)
    expect(normInter(sorted, 0.25).value).toBeCloseTo(1 + (-0.6744897501960817 - -0.9674215661017010) / (-0.4307272992954576 - -0.9674215661017010), 14);
    expect(normInter(sorted, 0.25).extreme).toBe(false);
  });
});

describe('bootCi edge cases', () => {
  it('BCa is undefined (not NaN) when every replicate lies above t0', () => {
    const ci = bootCi({ t0: 0, t: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], level: 0.8, influence: [1, -1, 2] });
    expect(ci.bca).toBeNull();
    expect(ci.z0).toBe(-Infinity);
    expect(ci.diagnostics.map((d) => d.code)).toContain('BOOT_BCA_UNDEFINED');
  });

  it('BCa is undefined without influence values and when they are all zero', () => {
    const t = Array.from({ length: 99 }, (_, i) => i);
    expect(bootCi({ t0: 50, t }).bca).toBeNull();
    const zero = bootCi({ t0: 50, t, influence: [0, 0, 0] });
    expect(zero.bca).toBeNull();
    expect(zero.acceleration).toBeNull();
  });

  it('constant replicates give zero-width intervals with a warning', () => {
    const ci = bootCi({ t0: 3, t: new Float64Array(199).fill(3), influence: [1, -1] });
    expect(ci.percentile).toEqual([3, 3]);
    expect(ci.stdError).toBe(0);
    expect(ci.bca).toBeNull();
    expect(ci.diagnostics.map((d) => d.code)).toContain('BOOT_CONSTANT_REPLICATES');
  });

  it('refuses a non-finite t0 and fewer than two finite replicates', () => {
    expect(() => bootCi({ t0: NaN, t: [1, 2, 3] })).toThrow(expect.objectContaining({ code: 'BOOT_BAD_REPLICATES' }));
    expect(() => bootCi({ t0: 1, t: [1, Infinity] })).toThrow(expect.objectContaining({ code: 'BOOT_BAD_REPLICATES' }));
    expect(() => bootCi({ t0: 1, t: [1, 2, 3], level: 1.2 })).toThrow(expect.objectContaining({ code: 'EST_BAD_LEVEL' }));
  });
});
