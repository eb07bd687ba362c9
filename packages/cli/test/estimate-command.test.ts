import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import { runCli } from './run-cli.js';

// NSW experiment (datasets/nsw): estimatr 1.0.0, difference_in_means(re78 ~ treat, data = lalonde):
// estimate 1794.343084875, std.error 670.996729659, df 307.132457807 (R 4.2.2). Checked to 1e-8 in the estimators' fixtures;
// here we check that the CLI carries them through unchanged.
const NSW = new URL('../../../datasets/nsw/nsw-lalonde.csv', import.meta.url).pathname;

describe('trialkit estimate (spawned)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialkit-estimate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints {estimates, compliance, diagnostics} with --json, in the DESIGN.md shape', async () => {
    const run = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { estimates: Record<string, unknown>[]; compliance: unknown; diagnostics: unknown[] };
    expect(Object.keys(out).sort()).toEqual(['compliance', 'diagnostics', 'estimates']);
    expect(out.compliance).toBeNull();
    expect(Array.isArray(out.diagnostics)).toBe(true);
    expect(out.estimates).toHaveLength(1);
    const itt = out.estimates[0] as Record<string, number | string>;
    for (const key of ['estimand', 'estimator', 'term', 'estimate', 'stdError', 'statistic', 'df', 'pValue', 'confLow', 'confHigh', 'level', 'seType', 'nObs', 'outcome', 'diagnostics']) {
      expect(itt).toHaveProperty(key);
    }
    expect(itt['estimand']).toBe('ITT');
    expect(itt['estimator']).toBe('difference_in_means');
    expect(itt['nObs']).toBe(445);
    expect(itt['estimate'] as number).toBeCloseTo(1794.343084875, 6);
    expect(itt['stdError'] as number).toBeCloseTo(670.996729659, 6);
    expect(itt['df'] as number).toBeCloseTo(307.132457807, 6);
  });

  it('prints a readable table by default', async () => {
    const run = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--covariates', 'age,educ,re74']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/estimand\s+estimator\s+term\s+estimate/);
    expect(run.stdout).toMatch(/ITT\s+lm_robust\s+treat/);
  });

  it('refuses a missing column with exit 2 and names the column and the closest one', async () => {
    const run = await runCli(['estimate', '--data', NSW, '--outcome', 're87', '--assignment', 'treat']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^trialkit: error \[DATA_MISSING_COLUMN\]/);
    expect(run.stderr).toContain('re87');
    expect(run.stderr).toContain('re78');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a typo in a number with the row and column', async () => {
    const path = join(dir, 'typo.csv');
    await writeFile(path, 'y,z\n1,0\n2,1\n3,0\n4O,1\n5,0\n6,1\n');
    const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/row 4/);
    expect(run.stderr).toMatch(/column "y"/);
    expect(run.stderr).toContain('4O');
  });

  it('refuses a bad option value with exit 2', async () => {
    const level = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--level', '95']);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/--level/);
    const se = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--se', 'HC9']);
    expect(se.code).toBe(2);
    expect(se.stderr).toMatch(/HC9/);
  });
});

describe('trialkit estimate with contamination (spawned)', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    // A seeded two-sided-noncompliance trial: 400 people, 30% never-takers, 15% always-takers, effect 0.2 on compliers.
    const { createRng } = await import('@trialkit/core');
    const rng = createRng('cli-contamination');
    const rows = ['id,z,d,y,age'];
    for (let i = 0; i < 400; i++) {
      const z = i % 2;
      const u = rng.nextDouble();
      const d = u < 0.15 ? 1 : u < 0.45 ? 0 : z;
      const y = rng.nextDouble() < 0.2 + 0.2 * d * (u >= 0.45 ? 1 : 0) ? 1 : 0;
      rows.push(`p${i},${z},${d},${y},${20 + rng.nextInt(40)}`);
    }
    dir = await mkdtemp(join(tmpdir(), 'trialkit-contamination-'));
    path = join(dir, 'trial.csv');
    await writeFile(path, `${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--json: compliance carries complier means (difference = the Wald CACE), τ(λ) with τ(1) = CACE, bounds; --protocol adds flagged contrasts', async () => {
    const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--received', 'd', '--protocol', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      estimates: { estimand: string; estimate: number; diagnostics: { code: string }[]; andersonRubin?: { shape: string } }[];
      compliance: {
        complierMeans: { cace: { estimate: number } };
        sensitivity: { rows: { lambda: number; estimate: number }[] };
        bounds: { lower: number; upper: number };
        shares: { compliers: { estimate: number } };
      };
    };
    expect(out.estimates.map((e) => e.estimand)).toEqual(['ITT', 'first-stage', 'CACE', 'per-protocol', 'as-treated']);
    const [itt, first, cace] = out.estimates as unknown as [{ estimate: number }, { estimate: number }, { estimate: number; andersonRubin?: { shape: string } }];
    expect(cace.estimate).toBeCloseTo(itt.estimate / first.estimate, 12);
    expect(cace.andersonRubin?.shape).toBe('interval');
    expect(out.compliance.complierMeans.cace.estimate).toBeCloseTo(cace.estimate, 12);
    expect(out.compliance.shares.compliers.estimate).toBeCloseTo(first.estimate, 12);
    const rows = out.compliance.sensitivity.rows;
    expect(rows[rows.length - 1]?.lambda).toBe(1);
    expect(rows[rows.length - 1]?.estimate).toBeCloseTo(cace.estimate, 12);
    expect(out.compliance.bounds.lower).toBeLessThanOrEqual(out.compliance.bounds.upper);
    for (const contrast of out.estimates.slice(3)) expect(contrast.diagnostics.map((d) => d.code)).toContain('ESTIMATORS_NOT_RANDOMISED');
  });

  it('--measure rr prints the risk ratio with a note that its std.error is on the log scale', async () => {
    const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--measure', 'rr']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ITT\s+risk_ratio\s+z/);
    expect(run.stdout).toContain('std.error is that of the log ratio');
  });

  it('prints the first-stage F, the Anderson–Rubin set, complier means, τ(λ) and who the compliers are', async () => {
    const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--received', 'd', '--covariates', 'age']);
    expect(run.code).toBe(0);
    for (const text of ['First-stage F', 'Anderson–Rubin 95% set', 'Complier means of y', 'τ(λ)', 'Balke–Pearl bounds', 'Who the CACE is about']) {
      expect(run.stdout).toContain(text);
    }
  });
});

describe('trialkit estimate --ri (spawned)', () => {
  it('adds a reproducible randomisation p-value to the ITT, and refuses --ri without --seed', async () => {
    const args = ['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--ri', '500', '--seed', 'nsw', '--json'];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    expect(first.code).toBe(0);
    const itt = (JSON.parse(first.stdout) as { estimates: Record<string, unknown>[] }).estimates[0]!;
    expect(itt['riDraws']).toBe(500);
    expect(itt['riExact']).toBe(false);
    expect(itt['riPValue'] as number).toBeGreaterThan(0);
    expect(itt['riPValue'] as number).toBeLessThan(0.05); // the NSW effect: Welch p = 0.008
    expect(second.stdout).toBe(first.stdout);
    const missingSeed = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--ri', '500']);
    expect(missingSeed.code).toBe(2);
    expect(missingSeed.stderr).toMatch(/CLI_SEED_REQUIRED/);
  });

  it('with --received, prints the CACE randomisation set beside the Anderson–Rubin set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialkit-ri-cace-'));
    try {
      // 40 people, 20 offered; 14 of the offered and 3 controls take it up; job outcome higher among takers.
      const rows = ['z,d,y'];
      for (let i = 0; i < 40; i++) {
        const z = i < 20 ? 1 : 0;
        const d = z === 1 ? (i % 20 < 14 ? 1 : 0) : i % 20 < 3 ? 1 : 0;
        const y = d === 1 ? (i % 3 === 0 ? 0 : 1) : i % 4 === 0 ? 1 : 0;
        rows.push(`${z},${d},${y}`);
      }
      const path = join(dir, 'small.csv');
      await writeFile(path, `${rows.join('\n')}\n`);
      const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--received', 'd', '--ri', '2000', '--seed', '7']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Anderson–Rubin 95% set for the CACE/);
      expect(run.stdout).toMatch(/Randomisation 95% set for the CACE \(test inversion of Y − τ·D, 2,000 redraws; \w+\): /);
      const json = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--received', 'd', '--ri', '2000', '--seed', '7', '--json']);
      const cace = (JSON.parse(json.stdout) as { estimates: Record<string, unknown>[] }).estimates.find((e) => e['estimand'] === 'CACE')!;
      expect(cace['riSet']).toMatchObject({ level: 0.95, draws: 2000, exact: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trialkit estimate --responded / --attrition (spawned)', () => {
  it('adds response by arm, its tests and Lee bounds; --json carries the whole analysis', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialkit-attrition-'));
    try {
      // 24 per arm; 20 treated and 12 controls respond (numbers chosen so the bounds can be checked by hand).
      const rows = ['z,responded,y'];
      for (let i = 0; i < 24; i++) rows.push(`1,${i < 20 ? 1 : 0},${i < 20 ? i + 1 : ''}`);
      for (let i = 0; i < 24; i++) rows.push(`0,${i < 12 ? 1 : 0},${i < 12 ? i + 1 : ''}`);
      const path = join(dir, 'survey.csv');
      await writeFile(path, `${rows.join('\n')}\n`);
      const text = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--responded', 'responded']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Attrition \(y\): response \(responded\) by arm/);
      expect(text.stdout).toMatch(/treatment \(1\)\s+24\s+20\s+83\.3%/);
      expect(text.stdout).toMatch(/Lee \(2009\) bounds .*treatment responders trimmed by 40\.0%/);
      expect(text.stdout).toMatch(/ATTRITION_DIFFERENTIAL/);
      const json = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--attrition', '--json']);
      expect(json.code).toBe(0);
      const out = JSON.parse(json.stdout) as { attrition: { outcome: string; responded: string; lee: { trimProportion: number; lower: number; upper: number } }[] };
      expect(out.attrition).toHaveLength(1); // one analysis per outcome
      const [a] = out.attrition;
      expect(a!.outcome).toBe('y');
      expect(a!.responded).toBe('observed(y)');
      // Trim 40% of the 20 treated responders (values 1…20): keep the lowest 12 (mean 6.5) or the highest 12
      // (mean 14.5); control respondents' mean is 6.5, so the bounds are [0, 8].
      expect(a!.lee.trimProportion).toBeCloseTo(0.4, 12);
      expect(a!.lee.lower).toBeCloseTo(0, 12);
      expect(a!.lee.upper).toBeCloseTo(8, 12);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trialkit estimate --subgroups (spawned)', () => {
  it('prints each level\'s ITT and the interaction test, and --json carries them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialkit-subgroups-'));
    try {
      // Two subgroups of 40 (20 per arm): effect 2 in "a", 0 in "b", so the interaction is −2 with no noise in means.
      const rows = ['z,g,y,site'];
      for (let i = 0; i < 80; i++) {
        const z = i % 2;
        const g = i < 40 ? 'a' : 'b';
        const noise = ((i >> 1) % 2) - 0.5; // mean 0 in each arm of each subgroup
        rows.push(`${z},${g},${(g === 'a' ? 2 * z : 0) + noise},s${(i >> 2) % 2}`);
      }
      const path = join(dir, 'groups.csv');
      await writeFile(path, `${rows.join('\n')}\n`);
      const text = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--subgroups', 'g']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Subgroups of g: ITT of y in each level/);
      expect(text.stdout).toMatch(/Interaction test \(lm_robust, HC2; does the effect differ by g\?\): F\(1, 76\)/);
      expect(text.stdout).toMatch(/Difference between the two levels' effects \(b − a\): -2\.0000/);
      const json = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--subgroups', 'g', '--json']);
      const out = JSON.parse(json.stdout) as { subgroups: { subgroup: string; levels: { level: string; estimate: { estimate: number } }[]; contrast: { estimate: number } }[] };
      expect(out.subgroups[0]!.subgroup).toBe('g');
      expect(out.subgroups[0]!.levels.map((l) => l.level)).toEqual(['a', 'b']);
      expect(out.subgroups[0]!.levels[0]!.estimate.estimate).toBeCloseTo(2, 12);
      expect(out.subgroups[0]!.contrast.estimate).toBeCloseTo(-2, 12);
      // With blocks the interaction comes from the regression with block fixed effects: the line says which it is.
      const blocked = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--blocks', 'site', '--subgroups', 'g']);
      expect(blocked.code).toBe(0);
      expect(blocked.stdout).toMatch(/Difference between the two levels' effects \(b − a\), interaction coefficient of the regression with block fixed effects: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trialkit estimate with several outcomes and --p-adjust (spawned)', () => {
  it('estimates each outcome and adjusts their ITT p-values as R p.adjust does', async () => {
    const args = ['estimate', '--data', NSW, '--outcome', 're78,age,educ', '--assignment', 'treat', '--p-adjust', 'holm', '--json'];
    const run = await runCli(args);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { estimates: Record<string, unknown>[] };
    expect(out.estimates.map((e) => e['outcome'])).toEqual(['re78', 'age', 'educ']);
    const p = out.estimates.map((e) => e['pValue'] as number);
    // R: p.adjust(p, "holm") — sorted ascending, p_(i)·(m − i + 1), running maximum, capped at 1.
    const order = [0, 1, 2].sort((a, b) => p[a]! - p[b]!);
    const expected = new Array<number>(3);
    let running = 0;
    order.forEach((k, i) => {
      running = Math.max(running, Math.min(1, p[k]! * (3 - i)));
      expected[k] = running;
    });
    out.estimates.forEach((e, k) => {
      expect(e['pAdjusted'] as number).toBeCloseTo(expected[k]!, 14);
      expect(e['pAdjustMethod']).toBe('holm');
    });
    const table = await runCli(args.slice(0, -1));
    expect(table.stdout).toMatch(/outcome\s+estimand.*p \(holm\)/);
    const single = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--p-adjust', 'holm']);
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(/CLI_P_ADJUST_NEEDS_OUTCOMES/);
  });
});

describe('trialkit estimate --bootstrap (spawned)', () => {
  it('adds a seeded bootstrap ITT and a ratio of ITTs, reproducibly; refuses without --seed or --bootstrap', async () => {
    // The plumbing of --ratio-to on shipped data: ITT(re78)/ITT(nodegr) (a ratio with no meaning, but two outcomes
    // on the same assignment; the cost-per-job use is in the README and the bootstrap's own R-checked tests).
    const args = ['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--bootstrap', '1000', '--seed', 'boot', '--ratio-to', 'nodegr', '--json'];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const out = JSON.parse(first.stdout) as { estimates: Record<string, unknown>[] };
    expect(out.estimates.map((e) => `${e['estimand']}/${e['estimator']}`)).toEqual(['ITT/difference_in_means', 'ITT/bootstrap', 'ITT-ratio/bootstrap']);
    const [dim, boot, ratio] = out.estimates as [Record<string, number>, Record<string, unknown>, Record<string, unknown>];
    expect(boot['estimate'] as number).toBeCloseTo(dim['estimate']!, 8); // the same difference in means
    expect(boot['bootReps']).toBe(1000);
    expect(boot['bootType']).toBe('bca');
    // The bootstrap SE is close to the Welch SE (670.997) for this sample of 445.
    expect(Math.abs((boot['stdError'] as number) / dim['stdError']! - 1)).toBeLessThan(0.1);
    expect(boot['confLow'] as number).toBeLessThan(dim['estimate']!);
    expect(boot['confHigh'] as number).toBeGreaterThan(dim['estimate']!);
    expect(ratio['outcome']).toBe('re78/nodegr');
    expect(ratio['estimate'] as number).toBeLessThan(ratio['confHigh'] as number);
    expect(ratio['estimate'] as number).toBeGreaterThan(ratio['confLow'] as number);
    const table = await runCli(args.slice(0, -1));
    expect(table.stdout).toMatch(/Bootstrap 95% intervals \(1000 replicates of rows within 2 strata, seed boot; the table's CI is bca\)/);
    const noSeed = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--bootstrap', '1000']);
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toMatch(/CLI_SEED_REQUIRED.*--bootstrap needs --seed/);
    const typo = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--bootstrap', '1000', '--seed', '1', '--ratio-to', 'nodeg']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/"nodeg" \(given as the ratio denominator \(--ratio-to\)\).*Did you mean "nodegr"\?/);
    const noBoot = await runCli(['estimate', '--data', NSW, '--outcome', 're78', '--assignment', 'treat', '--ratio-to', 'nodegr']);
    expect(noBoot.code).toBe(2);
    expect(noBoot.stderr).toMatch(/CLI_BOOTSTRAP_REQUIRED/);
  });
});

describe('trialkit estimate --responded with --cluster (spawned)', () => {
  it('tests the response difference by cluster (CR2) and says the χ², Fisher and Lee SEs are not clustered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialkit-attrition-cluster-'));
    try {
      // 12 practices of 10, alternate practices treated; response shared within practice.
      const rows = ['practice,z,responded,y'];
      for (let g = 0; g < 12; g++) {
        const z = g % 2;
        for (let i = 0; i < 10; i++) {
          const responded = (g * 7 + i) % 10 < (g % 3 === 0 ? 5 : 8) ? 1 : 0;
          rows.push(`p${g},${z},${responded},${responded === 1 ? (g + i) % 7 : ''}`);
        }
      }
      const path = join(dir, 'clustered.csv');
      await writeFile(path, `${rows.join('\n')}\n`);
      const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--cluster', 'practice', '--responded', 'responded', '--json']);
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { attrition: { difference: { seType: string; nClusters: number }; diagnostics: { code: string }[] }[] };
      expect(out.attrition[0]!.difference.seType).toBe('CR2');
      expect(out.attrition[0]!.difference.nClusters).toBe(12);
      expect(out.attrition[0]!.diagnostics.map((d) => d.code)).toContain('ATTRITION_CLUSTERED');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trialkit estimate --bootstrap with --received (spawned)', () => {
  it('adds the CACE as the Wald ratio on the same resamples, equal to the 2SLS estimate without covariates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialkit-boot-cace-'));
    try {
      const rng = createRng('boot-cace');
      const rows = ['z,d,y'];
      for (let i = 0; i < 400; i++) {
        const z = i % 2;
        const d = z === 1 ? (rng.nextDouble() < 0.6 ? 1 : 0) : rng.nextDouble() < 0.1 ? 1 : 0;
        rows.push(`${z},${d},${(rng.nextDouble() + 0.5 * d).toFixed(6)}`);
      }
      const path = join(dir, 'cace.csv');
      await writeFile(path, `${rows.join('\n')}\n`);
      const run = await runCli(['estimate', '--data', path, '--outcome', 'y', '--assignment', 'z', '--received', 'd', '--bootstrap', '999', '--seed', '3', '--json']);
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { estimates: Record<string, unknown>[] };
      const iv = out.estimates.find((e) => e['estimand'] === 'CACE' && e['estimator'] === 'iv_robust')!;
      const boot = out.estimates.find((e) => e['estimand'] === 'CACE' && e['estimator'] === 'bootstrap')!;
      expect(boot['estimate'] as number).toBeCloseTo(iv['estimate'] as number, 10);
      expect(boot['bootRatio']).toBe('y/d');
      expect(boot['confLow'] as number).toBeLessThan(boot['estimate'] as number);
      expect(boot['confHigh'] as number).toBeGreaterThan(boot['estimate'] as number);
      // The bootstrap SE is close to the HC2 2SLS SE at n = 400.
      expect(Math.abs((boot['stdError'] as number) / (iv['stdError'] as number) - 1)).toBeLessThan(0.15);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
