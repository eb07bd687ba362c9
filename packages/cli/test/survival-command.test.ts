/**
 * `trialkit survival` in-process (commander program with only this command registered, output captured), on the
 * committed survival fixtures: results must equal R's (packages/survival/fixtures/make-fixtures.R), bad input must
 * exit 2 with the error code and location.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../src/commands/survival.js';
import { reportFailure, type Output } from '../src/io.js';

const CASES = fileURLToPath(new URL('../../survival/fixtures/cases/', import.meta.url));

async function runSurvival(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output: Output = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const program = new Command().exitOverride();
  register(program, output);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(['node', 'trialkit', 'survival', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: reportFailure(error, output), stdout, stderr };
  }
}

interface Fixture {
  km: { log: { arm: string; median: number | null; medianLow: number | null; medianHigh: number | null }[] };
  atTimes: { nRisk: number[] }[];
  logRank: { statistic: number; pValue: number };
  logRankStratified: { statistic: number; pValue: number } | null;
  cox: { hr: number[]; se: number[]; lower: number[]; upper: number[]; p: number[] };
  rmst: { difference: number; stdError: number };
  cumulativeIncidence: { difference: number };
  nDropped: number;
}
const fixture = (name: string): Fixture => JSON.parse(readFileSync(join(CASES, `${name}.json`), 'utf8')) as Fixture;

function close(actual: number | null, expected: number | null, tolerance = 1e-8): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(Math.abs((actual as number) - expected) / Math.max(Math.abs(expected), 1e-12)).toBeLessThanOrEqual(tolerance);
}

interface JsonResult {
  km: { arm: string; median: number | null; medianLow: number | null; medianHigh: number | null;
    atTimes: { nRisk: number }[] }[];
  logRank: { statistic: number; df: number; pValue: number; stratified: boolean };
  estimates: { estimator: string; estimate: number; stdError: number; confLow: number; confHigh: number;
    pValue: number; df: number | null }[];
  nDropped: number;
  diagnostics: { code: string }[];
}

describe('trialkit survival --json', () => {
  it('stratified, with a covariate, horizon and risk-table times: equals R', async () => {
    const run = await runSurvival(['--data', join(CASES, 'unequal.csv'), '--time', 'time', '--event', 'event',
      '--assignment', 'arm', '--strata', 'site', '--covariates', 'age', '--horizon', '365', '--times', '90,180,365',
      '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as JsonResult;
    const expected = fixture('unequal');
    json.km.forEach((k, a) => {
      expect(k.arm).toBe(expected.km.log[a]!.arm);
      close(k.median, expected.km.log[a]!.median);
      close(k.medianLow, expected.km.log[a]!.medianLow);
      close(k.medianHigh, expected.km.log[a]!.medianHigh);
      expect(k.atTimes.map((t) => t.nRisk)).toEqual(expected.atTimes[a]!.nRisk);
    });
    expect(json.logRank.stratified).toBe(true);
    close(json.logRank.statistic, expected.logRankStratified!.statistic);
    close(json.logRank.pValue, expected.logRankStratified!.pValue);
    const cox = json.estimates.find((e) => e.estimator === 'coxph')!;
    close(cox.estimate, expected.cox.hr[0]!);
    close(cox.stdError, expected.cox.se[0]!);
    close(cox.confLow, expected.cox.lower[0]!);
    close(cox.confHigh, expected.cox.upper[0]!);
    close(cox.pValue, expected.cox.p[0]!);
    expect(cox.df).toBeNull(); // Infinity (normal reference) is written as null
    close(json.estimates.find((e) => e.estimator === 'rmst')!.estimate, expected.rmst.difference);
    close(json.estimates.find((e) => e.estimator === 'km_cumulative_incidence')!.estimate,
      expected.cumulativeIncidence.difference);
  });

  it('--cluster gives coxph\'s clustered robust SE', async () => {
    const run = await runSurvival(['--data', join(CASES, 'unequal.csv'), '--time', 'time', '--event', 'event',
      '--assignment', 'arm', '--strata', 'site', '--covariates', 'age', '--cluster', 'office', '--horizon', '365',
      '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { estimates: { stdError: number; seType: string; nClusters: number }[] };
    const expected = JSON.parse(readFileSync(join(CASES, 'unequal.json'), 'utf8')) as { coxCluster: { se: number[] } };
    expect(json.estimates[0]!.seType).toBe('robust_cluster');
    expect(json.estimates[0]!.nClusters).toBe(12);
    close(json.estimates[0]!.stdError, expected.coxCluster.se[0]!);
  });

  it('drops rows with missing covariates and says so (lung, ph.karno)', async () => {
    const run = await runSurvival(['--data', join(CASES, 'lung.csv'), '--time', 'time', '--event', 'event',
      '--assignment', 'arm', '--covariates', 'age,karno', '--horizon', '365', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as JsonResult;
    const expected = fixture('lung');
    expect(json.nDropped).toBe(expected.nDropped);
    expect(json.diagnostics.map((d) => d.code)).toContain('SURVIVAL_MISSING_ROWS');
    close(json.estimates[0]!.estimate, expected.cox.hr[0]!);
  });
});

describe('trialkit survival (readable)', () => {
  it('prints the KM table, risk table, log-rank and effects', async () => {
    const run = await runSurvival(['--data', join(CASES, 'median_not_reached.csv'), '--time', 'time', '--event',
      'event', '--assignment', 'arm', '--horizon', '120', '--times', '30,60,120']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Kaplan–Meier (log CIs)');
    expect(run.stdout).toContain('At chosen times');
    expect(run.stdout).toContain('By the horizon 120');
    expect(run.stdout).toMatch(/Log-rank: chi-square = [\d.]+ on 1 df, p = /);
    expect(run.stdout).toContain('hazard ratio (Cox, Efron; SE of log HR)');
    expect(run.stdout).toContain('RMST difference to 120');
    expect(run.stdout).toContain('SURVIVAL_MEDIAN_NOT_REACHED');
    // arm a's median is not reached
    expect(run.stdout).toMatch(/\na\s+25\s+\d+\s+NA/);
  });
});

describe('trialkit survival: bad input exits 2 with code and location', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trialkit-survival-'));
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const base = ['--time', 'time', '--event', 'event', '--assignment', 'arm'];

  it('a negative time names the row and column', async () => {
    const path = file('negative.csv', 'time,event,arm\n5,1,a\n-2,0,b\n7,1,b\n3,1,a\n');
    const run = await runSurvival(['--data', path, ...base]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^trialkit: error \[SURVIVAL_NEGATIVE_TIME\]: .*row 2, column "time"/);
    expect(run.stdout).toBe('');
  });
  it('an event that is not 0/1', async () => {
    const path = file('event.csv', 'time,event,arm\n5,1,a\n2,2,b\n7,1,b\n3,1,a\n');
    const run = await runSurvival(['--data', path, ...base]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[SURVIVAL_BAD_EVENT]');
  });
  it('an arm with no events', async () => {
    const path = file('noevents.csv', 'time,event,arm\n5,1,a\n2,0,b\n7,0,b\n3,1,a\n');
    const run = await runSurvival(['--data', path, ...base]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[SURVIVAL_ARM_WITHOUT_EVENTS]');
  });
  it('a missing column', async () => {
    const path = file('ok.csv', 'time,event,arm\n5,1,a\n2,1,b\n7,0,b\n3,1,a\n');
    const run = await runSurvival(['--data', path, '--time', 'days', '--event', 'event', '--assignment', 'arm']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[SURVIVAL_MISSING_COLUMN]');
  });
  it('bad --level, --horizon, --times and --conf-type are refused before reading data', async () => {
    const path = file('ok2.csv', 'time,event,arm\n5,1,a\n2,1,b\n7,0,b\n3,1,a\n');
    for (const extra of [['--level', '95'], ['--horizon', '-1'], ['--times', '30,x'], ['--conf-type', 'logit'],
      ['--ties', 'exact']]) {
      const run = await runSurvival(['--data', path, ...base, ...extra]);
      expect(run.code, extra.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^trialkit: error \[/);
    }
  });
});

describe('trialkit survival --subgroups', () => {
  it('prints each level\'s hazard ratio and the Cox interaction test, equal to R (survival fixture two_levels_efron)', async () => {
    const path = fileURLToPath(new URL('../../survival/fixtures/cox-interaction/two_levels_efron.json', import.meta.url));
    const r = JSON.parse(readFileSync(path, 'utf8')) as {
      data: { time: number[]; event: number[]; z: number[]; g: string[] };
      levels: { level: string; hr: number }[];
      wald: number;
      p: number;
    };
    const dir = mkdtempSync(join(tmpdir(), 'trialkit-survival-subgroups-'));
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, ['time,event,z,g', ...r.data.time.map((t, i) => `${t},${r.data.event[i]},${r.data.z[i]},${r.data.g[i]}`)].join('\n') + '\n');
    const args = ['--data', csv, '--time', 'time', '--event', 'event', '--assignment', 'z', '--subgroups', 'g'];
    const json = await runSurvival([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { subgroups: { subgroup: string; levels: { level: string; hazardRatio: number }[]; test: { wald: number; pValue: number } }[] };
    const [g] = out.subgroups;
    expect(g!.subgroup).toBe('g');
    close(g!.test.wald, r.wald);
    close(g!.test.pValue, r.p);
    for (const level of r.levels) close(g!.levels.find((l) => l.level === level.level)!.hazardRatio, level.hr);
    const text = await runSurvival(args);
    expect(text.stdout).toMatch(/Subgroups of g: hazard ratio in each level, from coxph\(Surv ~ z \* factor\(g\)\) \(Efron, classical SE\)/);
    expect(text.stdout).toMatch(/Interaction test \(Wald χ² on the Cox model; does the hazard ratio differ by g\?\): χ²\(1\) = /);
    // A misspelt subgroup is named as the subgroup; an identifier is not a subgroup.
    const typo = await runSurvival([...args.slice(0, -1), 'gg']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/DATA_MISSING_COLUMN.*"gg" \(given as the subgroup\).*Did you mean "g"\?/);
    const many = await runSurvival([...args.slice(0, -1), 'time']);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/CLI_SUBGROUP_TOO_MANY_LEVELS/);
  });
});
