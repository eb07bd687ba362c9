/**
 * planTrial against R (fixtures/cases.json, written by fixtures/make-fixtures.R): stats::power.t.test,
 * stats::power.prop.test, pwr::pwr.t2n.test, pwr.2p.test and pwr.2p2n.test — power, the solved n and the solved
 * effect, one- and two-sided, strict and not, several alphas and allocation ratios — and designs with take-up,
 * contamination, R² and clusters computed in R from the same formulas with R's pt / pnorm and uniroot
 * (tol 1e-12). Every value must agree to 1e-8 relative; the power at the solved n must be the target.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planTrial, type DesignSpec } from '../src/index.js';

interface Case { name: string; r: string; spec: DesignSpec; solve: 'power' | 'n' | 'mde'; value: number }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('planTrial equals R', () => {
  it('has the cases of every R function', () => {
    const sources = new Set(fixtures.cases.map((c) => c.r));
    for (const source of ['stats::power.t.test', 'stats::power.prop.test', 'pwr::pwr.t2n.test', 'pwr::pwr.2p.test',
      'pwr::pwr.2p2n.test', 'uniroot over pwr::pwr.t2n.test power', 'uniroot over pwr::pwr.2p.test power',
      'formula with stats::pt (ncp) and uniroot']) {
      expect(sources.has(source), source).toBe(true);
    }
    expect(fixtures.cases.length).toBeGreaterThan(120);
  });

  it.each(fixtures.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = planTrial(c.spec);
    expect(result.solvedFor).toBe(c.solve);
    if (c.solve === 'power') {
      expect(relative(result.power, c.value)).toBeLessThan(1e-8);
    } else if (c.solve === 'n') {
      expect(relative(result.sampleSize.total, c.value)).toBeLessThan(1e-8);
      // the rounded-up design has at least the target power
      expect(result.achievedPower).toBeGreaterThanOrEqual((c.spec.power ?? 0.8) - 1e-12);
    } else {
      expect(relative(result.effect.itt, c.value)).toBeLessThan(1e-8);
    }
  });
});
