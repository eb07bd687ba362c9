/**
 * Seeded Monte-Carlo properties of every scheme: exact totals where promised, every unit's probability of each arm
 * on target within Monte-Carlo error (4.5 standard errors, fixed seeds so the test is deterministic), block sizes
 * as declared, and minimisation's balance and ratio.
 */
import { describe, expect, it } from 'vitest';
import { allocate, parseArms } from '../src/index.js';
import type { AllocationRequest } from '../src/index.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `u${i + 1}`);

/** Per-unit arm frequencies over `reps` seeds. */
function frequencies(request: Omit<AllocationRequest, 'seed'>, reps: number): { freq: number[][]; arms: string[] } {
  const arms = parseArms(typeof request.arms === 'string' ? request.arms : request.arms.map((a) => `${a.name}:${a.ratio}`).join(','));
  const names = arms.map((a) => a.name);
  const freq = request.ids.map(() => names.map(() => 0));
  for (let r = 0; r < reps; r++) {
    const list = allocate({ ...request, seed: `mc-${r}` });
    list.rows.forEach((row, i) => {
      (freq[i] as number[])[names.indexOf(row.arm)]! += 1;
    });
  }
  return { freq: freq.map((f) => f.map((c) => c / reps)), arms: names };
}

function expectOnTarget(freq: number[][], targets: number[], reps: number): void {
  for (const unit of freq) {
    unit.forEach((p, a) => {
      const target = targets[a] as number;
      const se = Math.sqrt((target * (1 - target)) / reps);
      expect(Math.abs(p - target)).toBeLessThan(4.5 * se);
    });
  }
}

describe('complete randomisation', () => {
  it('has exact totals (remainder at random) and every unit on target: 7 units, 1:1', () => {
    const reps = 4000;
    for (let r = 0; r < 200; r++) {
      const c = allocate({ ids: ids(7), arms: 'a:1,b:1', scheme: 'complete', seed: r }).meta.counts;
      expect([3, 4]).toContain(c['a']);
      expect(c['a']! + c['b']!).toBe(7);
    }
    const { freq } = frequencies({ ids: ids(7), arms: 'a:1,b:1', scheme: 'complete' }, reps);
    expectOnTarget(freq, [0.5, 0.5], reps);
  });

  it('2:1:1 with 10 units: totals are floor or ceiling of 5, 2.5, 2.5 and probabilities 1/2, 1/4, 1/4', () => {
    const reps = 4000;
    for (let r = 0; r < 200; r++) {
      const c = allocate({ ids: ids(10), arms: 'c:2,t1:1,t2:1', scheme: 'complete', seed: r }).meta.counts;
      expect(c['c']).toBe(5);
      expect([2, 3]).toContain(c['t1']);
      expect([2, 3]).toContain(c['t2']);
    }
    const { freq } = frequencies({ ids: ids(10), arms: 'c:2,t1:1,t2:1', scheme: 'complete' }, reps);
    expectOnTarget(freq, [0.5, 0.25, 0.25], reps);
  });
});

describe('stratified randomisation', () => {
  it('never drifts: 60 strata of 3 under 1:1 always give 90/90 overall, 1 or 2 per stratum', () => {
    const strata = ids(180).map((_, i) => `s${Math.floor(i / 3)}`);
    for (let r = 0; r < 100; r++) {
      const meta = allocate({ ids: ids(180), arms: 'a:1,b:1', scheme: 'stratified', strata, seed: r }).meta;
      expect(meta.counts).toEqual({ a: 90, b: 90 });
      for (const byArm of Object.values(meta.countsByStratum)) expect([1, 2]).toContain(byArm['a']);
    }
  });

  it('unequal ratios and uneven strata: per-stratum and overall totals within one of target, units on target', () => {
    const sizes = [1, 2, 3, 5, 7, 1, 1, 4];
    const strata = sizes.flatMap((size, s) => Array.from({ length: size }, () => `s${s}`));
    const n = strata.length;
    const arms = [2, 1, 1];
    const R = 4;
    for (let r = 0; r < 300; r++) {
      const meta = allocate({ ids: ids(n), arms: 'c:2,t1:1,t2:1', scheme: 'stratified', strata, seed: r }).meta;
      ['c', 't1', 't2'].forEach((arm, a) => {
        const target = (n * (arms[a] as number)) / R;
        expect([Math.floor(target), Math.ceil(target)]).toContain(meta.counts[arm]);
        sizes.forEach((size, s) => {
          const t = (size * (arms[a] as number)) / R;
          expect([Math.floor(t), Math.ceil(t)]).toContain(meta.countsByStratum[`s${s}`]![arm]);
        });
      });
    }
    const reps = 4000;
    const { freq } = frequencies({ ids: ids(n), arms: 'c:2,t1:1,t2:1', scheme: 'stratified', strata }, reps);
    expectOnTarget(freq, [0.5, 0.25, 0.25], reps);
  });
});

describe('simple randomisation', () => {
  it('gives each unit the target probability (2:1)', () => {
    const reps = 4000;
    const { freq } = frequencies({ ids: ids(12), arms: 'c:2,t:1', scheme: 'simple' }, reps);
    expectOnTarget(freq, [2 / 3, 1 / 3], reps);
  });
});

describe('permuted blocks', () => {
  it('uses only the declared sizes, balances exactly at every block end, and keeps units on target', () => {
    const n = 600;
    const list = allocate({ ids: ids(n), arms: 'c:2,t:1', scheme: 'block', seed: 9, blockSizes: [3, 6, 9] });
    const sizeCounts = list.meta.report!['blockSizeCounts'] as Record<string, number>;
    expect(Object.keys(sizeCounts).sort()).toEqual(['3', '6', '9']);
    const drawn = Object.values(sizeCounts).reduce((a, b) => a + b, 0);
    expect(drawn).toBe(list.meta.report!['blocksDrawn']);
    // Walk the list: a block ends whenever cumulative counts are exactly 2:1 — the declared sizes must partition it.
    let c = 0;
    let t = 0;
    let sinceBalance = 0;
    const observedRuns: number[] = [];
    for (const row of list.rows) {
      if (row.arm === 'c') c++;
      else t++;
      sinceBalance++;
      if (c === 2 * t) {
        observedRuns.push(sinceBalance);
        sinceBalance = 0;
      }
    }
    // Every run between balance points is a multiple of 3 no longer than the largest block.
    for (const run of observedRuns) {
      expect(run % 3).toBe(0);
      expect(run).toBeLessThanOrEqual(9);
    }
    // Each declared size is drawn about equally often.
    for (const count of Object.values(sizeCounts)) expect(count).toBeGreaterThan(drawn / 3 - 4.5 * Math.sqrt((drawn * 2) / 9));

    const reps = 3000;
    const strata = ids(14).map((_, i) => (i % 3 === 0 ? 'x' : 'y'));
    const { freq } = frequencies({ ids: ids(14), arms: 'c:2,t:1', scheme: 'block', strata, blockSizes: [3, 6] }, reps);
    expectOnTarget(freq, [2 / 3, 1 / 3], reps);
  });

  it('keeps each stratum balanced within one block', () => {
    const n = 400;
    const strata = ids(n).map((_, i) => ['north', 'south', 'east'][i % 3] as string);
    const list = allocate({ ids: ids(n), arms: 'a:1,b:1', scheme: 'block', strata, seed: 5, blockSizes: [4, 6, 8] });
    for (const byArm of Object.values(list.meta.countsByStratum)) {
      expect(Math.abs(byArm['a']! - byArm['b']!)).toBeLessThanOrEqual(4);
    }
  });
});

describe('cluster randomisation', () => {
  const clusters = ids(40).map((_, i) => `k${i % 10}`);
  it('gives every member the cluster arm and exact cluster totals; blocked by stratum', () => {
    for (let r = 0; r < 100; r++) {
      const list = allocate({ ids: ids(40), arms: 'a:1,b:1', scheme: 'cluster', clusters, seed: r });
      const armOf = new Map<string, string>();
      for (const row of list.rows) {
        const known = armOf.get(row.cluster!);
        if (known !== undefined) expect(row.arm).toBe(known);
        armOf.set(row.cluster!, row.arm);
      }
      expect(list.meta.report!['clustersPerArm']).toEqual({ a: 5, b: 5 });
    }
    const strata = clusters.map((k) => (Number(k.slice(1)) < 4 ? 'small' : 'large'));
    for (let r = 0; r < 100; r++) {
      const list = allocate({ ids: ids(40), arms: 'a:1,b:1', scheme: 'cluster', clusters, strata, seed: r });
      const perStratum = { small: new Set<string>(), large: new Set<string>() };
      for (const row of list.rows) if (row.arm === 'a') perStratum[row.stratum as 'small' | 'large'].add(row.cluster!);
      expect(perStratum.small.size).toBe(2);
      expect(perStratum.large.size).toBe(3);
    }
    const reps = 3000;
    const { freq } = frequencies({ ids: ids(40), arms: 'a:1,b:1', scheme: 'cluster', clusters, strata }, reps);
    expectOnTarget(freq, [0.5, 0.5], reps);
  });
});

describe('minimisation', () => {
  // Four factors with 2–4 levels, drawn from a fixed generator so the population is the same every run.
  function population(n: number): { name: string; values: string[] }[] {
    const levels = [2, 3, 4, 2];
    let state = 12345;
    const next = (k: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 16) % k;
    };
    return levels.map((k, f) => ({ name: `f${f}`, values: Array.from({ length: n }, () => `L${next(k)}`) }));
  }
  function marginalImbalance(rows: readonly { arm: string }[], factors: { values: string[] }[], arms: [string, number][]): number {
    let total = 0;
    for (const factor of factors) {
      const byLevel = new Map<string, Map<string, number>>();
      rows.forEach((row, i) => {
        const level = factor.values[i] as string;
        const m = byLevel.get(level) ?? new Map<string, number>();
        m.set(row.arm, (m.get(row.arm) ?? 0) + 1);
        byLevel.set(level, m);
      });
      for (const m of byLevel.values()) {
        const perRatio = arms.map(([arm, ratio]) => (m.get(arm) ?? 0) / ratio);
        total += Math.max(...perRatio) - Math.min(...perRatio);
      }
    }
    return total;
  }

  it('has lower marginal imbalance than simple randomisation (1:1, 4 factors)', () => {
    const n = 200;
    const factors = population(n);
    let minimised = 0;
    let simple = 0;
    for (let r = 0; r < 40; r++) {
      const m = allocate({ ids: ids(n), arms: 'a:1,b:1', scheme: 'minimisation', factors, seed: r });
      const s = allocate({ ids: ids(n), arms: 'a:1,b:1', scheme: 'simple', seed: r });
      minimised += marginalImbalance(m.rows, factors, [['a', 1], ['b', 1]]);
      simple += marginalImbalance(s.rows, factors, [['a', 1], ['b', 1]]);
    }
    expect(minimised / 40).toBeLessThan(0.25 * (simple / 40));
  });

  it('keeps an unequal ratio (2:1:1) in the realised totals and balances by ratio', () => {
    const n = 400;
    const factors = population(n);
    const totals: Record<string, number> = { c: 0, t1: 0, t2: 0 };
    const reps = 60;
    let minimised = 0;
    let complete = 0;
    for (let r = 0; r < reps; r++) {
      const m = allocate({ ids: ids(n), arms: 'c:2,t1:1,t2:1', scheme: 'minimisation', factors, seed: r, bestProbability: 0.8 });
      for (const [arm, count] of Object.entries(m.meta.counts)) totals[arm]! += count;
      minimised += marginalImbalance(m.rows, factors, [['c', 2], ['t1', 1], ['t2', 1]]);
      const c = allocate({ ids: ids(n), arms: 'c:2,t1:1,t2:1', scheme: 'simple', seed: r });
      complete += marginalImbalance(c.rows, factors, [['c', 2], ['t1', 1], ['t2', 1]]);
    }
    const N = n * reps;
    // Realised shares within 4.5 binomial SEs of 1/2, 1/4, 1/4 (allocations within a trial are negatively
    // correlated under minimisation, so the binomial SE is conservative).
    for (const [arm, target] of [['c', 0.5], ['t1', 0.25], ['t2', 0.25]] as const) {
      expect(Math.abs(totals[arm]! / N - target)).toBeLessThan(4.5 * Math.sqrt((target * (1 - target)) / N));
    }
    expect(minimised).toBeLessThan(0.5 * complete);
  });

  it('gives the first participant the arm by ratio, and is reproducible', () => {
    const factors = population(50);
    const a = allocate({ ids: ids(50), arms: 'a:1,b:1', scheme: 'minimisation', factors, seed: 'x' });
    const b = allocate({ ids: ids(50), arms: 'a:1,b:1', scheme: 'minimisation', factors, seed: 'x' });
    expect(a.meta.listSha256).toBe(b.meta.listSha256);
    expect(a.meta.schemeVersion).toBe('minimisation@1');
    const reps = 4000;
    const { freq } = frequencies({ ids: ids(3), arms: 'a:1,b:1', scheme: 'minimisation', factors: population(3) }, reps);
    expectOnTarget([freq[0] as number[]], [0.5, 0.5], reps);
  });
});
