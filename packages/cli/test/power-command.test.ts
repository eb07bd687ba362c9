/**
 * `trialkit power` in-process (commander program with only this command registered, output captured): the JSON
 * equals @trialkit/design and R (packages/design/fixtures/cases.json, from make-fixtures.R), the readable output
 * has the table and the sentence (the README's IPS example), and bad input exits 2 naming the option at fault.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { planTrial, type DesignResult, type DesignSpec } from '@trialkit/design';
import { register } from '../src/commands/power.js';
import { reportFailure, type Output } from '../src/io.js';
import { main } from '../src/main.js';

async function runPower(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output: Output = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const program = new Command().exitOverride();
  register(program, output);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(['node', 'trialkit', 'power', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: reportFailure(error, output), stdout, stderr };
  }
}

interface Case { name: string; spec: DesignSpec; solve: string; value: number }
const cases = (JSON.parse(readFileSync(new URL('../../design/fixtures/cases.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;
const fixture = (name: string): Case => {
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture ${name}`);
  return found;
};
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

const IPS = ['--outcome', 'binary', '--p0', '0.12', '--effect', '0.08', '--take-up', '0.6'];

describe('trialkit power --json equals R', () => {
  it('sample size, binary: R power.prop.test(p1 = 0.12, p2 = 0.156, power = 0.8)', async () => {
    const run = await runPower(['--outcome', 'binary', '--p0', '0.12', '--effect', '0.036', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as DesignResult;
    const expected = fixture('power.prop.test n p1=0.12 p2=0.156 alpha=0.05 power=0.8 two.sided strict=FALSE');
    expect(relative(json.sampleSize.total, expected.value)).toBeLessThan(1e-8);
    expect(json.method.r).toBe('stats::power.prop.test');
    expect(json.solvedFor).toBe('n');
  });
  it('sample size, continuous: R power.t.test(delta = 0.5, power = 0.8) gives 63.77 per arm', async () => {
    const run = await runPower(['--outcome', 'continuous', '--sd', '1', '--effect', '0.5', '--json']);
    const json = JSON.parse(run.stdout) as DesignResult;
    const expected = fixture('power.t.test n delta=0.5 sd=1 alpha=0.05 power=0.8 two.sided strict=FALSE');
    expect(relative(json.sampleSize.total, expected.value)).toBeLessThan(1e-8);
    expect(json.sampleSize.controlRounded).toBe(64);
    expect(json.df).toBe(126);
  });
  it('power with unequal arms (--ratio 2:1 --strict): R pwr.t2n.test', async () => {
    const run = await runPower(['--outcome', 'continuous', '--sd', '1', '--effect', '0.6', '--n', '90', '--ratio', '2:1', '--strict', '--json']);
    const json = JSON.parse(run.stdout) as DesignResult;
    const expected = fixture('pwr.t2n.test power n1=60 n2=30 d=0.6 alpha=0.05 two.sided');
    expect(relative(json.power, expected.value)).toBeLessThan(1e-8);
    expect(json.ratio).toBe(2);
  });
  it('MDE with clusters, R², take-up and contamination: the R formula case', async () => {
    const run = await runPower(['--outcome', 'binary', '--p0', '0.12', '--n', '4000', '--take-up', '0.6', '--contamination', '0.15',
      '--r2', '0.1', '--icc', '0.02', '--cluster-size', '20', '--cluster-cv', '0.4', '--mde', '--json']);
    const json = JSON.parse(run.stdout) as DesignResult;
    const expected = fixture('IPS-style by GP practice, unequal sizes: MDE (ITT) at n = 4000, exact');
    expect(relative(json.effect.itt, expected.value)).toBeLessThan(1e-8);
    expect(json.effect.cace).toBeCloseTo(json.effect.itt / 0.45, 12);
    expect(json.clustering?.designEffect).toBeCloseTo(1.444, 12);
  });
  it('the JSON is the library result, with every diagnostic', async () => {
    const run = await runPower([...IPS, '--contamination', '0.15', '--method', 'normal', '--json']);
    const json = JSON.parse(run.stdout) as DesignResult;
    const direct = planTrial({ outcome: 'binary', controlRate: 0.12, effect: 0.08, takeUp: 0.6, contamination: 0.15, method: 'normal',
      alpha: 0.05, power: 0.8, ratio: 1, r2: 0 });
    expect(json).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(json.diagnostics.map((d) => d.code)).toContain('DESIGN_RECEIPT_INFLATION');
  });
});

describe('trialkit power (readable): the IPS example of the README', () => {
  it('15% contamination needs 2,880 participants; none needs 1,678', async () => {
    const contaminated = await runPower([...IPS, '--contamination', '0.15']);
    expect(contaminated.code).toBe(0);
    expect(contaminated.stdout).toContain('Sample size for a two-arm trial: binary outcome, two-sided α = 0.05, target power 0.8');
    expect(contaminated.stdout).toContain('Method: exact — z test with pooled variance under the null (Fleiss)');
    expect(contaminated.stdout).toMatch(/ITT effect = CACE × \(p1 − contamination\)\s+0\.0360/);
    expect(contaminated.stdout).toMatch(/sample inflation 1\/\(p1 − contamination\)²\s+4\.9383/);
    expect(contaminated.stdout).toMatch(/rounded up\s+1440\s+1440\s+2880/);
    expect(contaminated.stdout).toContain('the trial needs 2,880 participants (1,440 per arm) — 4.94 times what full take-up');
    const clean = await runPower([...IPS, '--contamination', '0']);
    expect(clean.stdout).toMatch(/rounded up\s+839\s+839\s+1678/);
    expect(clean.stdout).toContain('the trial needs 1,678 participants (839 per arm)');
  });
  it('power and MDE sentences; clusters in the sample table; diagnostics printed', async () => {
    const power = await runPower([...IPS, '--contamination', '0.15', '--n', '2000']);
    expect(power.stdout).toMatch(/^Power for a two-arm trial/);
    expect(power.stdout).toMatch(/With 2,000 participants, a trial has \d+(\.\d)?% power to detect an effect of 8\.00 percentage points among those who receive support/);
    const mde = await runPower(['--outcome', 'continuous', '--sd', '4000', '--n', '3000', '--mde']);
    expect(mde.stdout).toMatch(/the smallest detectable effect is [\d,]+\./);
    const clustered = await runPower(['--outcome', 'continuous', '--sd', '4000', '--effect', '2000', '--icc', '0.05', '--cluster-size', '40', '--method', 'normal']);
    expect(clustered.stdout).toMatch(/clusters, rounded up\s+\d+\s+\d+\s+\d+/);
    expect(clustered.stdout).toContain('design effect 1 + ((cv² + 1)m − 1)·ICC');
    expect(clustered.stdout).toContain('warning [DESIGN_FEW_CLUSTERS]');
  });
});

describe('trialkit power: bad input exits 2 naming the option', () => {
  it.each([
    ['take-up equal to contamination', [...IPS, '--contamination', '0.6'], 'DESIGN_NO_RECEIPT_DIFFERENCE', '--take-up'],
    ['ICC of 1', [...IPS, '--icc', '1', '--cluster-size', '20'], 'DESIGN_BAD_PROBABILITY', '--icc'],
    ['ICC without cluster size', [...IPS, '--icc', '0.02'], 'DESIGN_CLUSTER_INCOMPLETE', '--cluster-size'],
    ['control rate 1.2', ['--outcome', 'binary', '--p0', '1.2', '--effect', '0.08'], 'DESIGN_BAD_PROBABILITY', '--p0'],
    ['no control rate', ['--outcome', 'binary', '--effect', '0.08'], 'DESIGN_MISSING_VALUE', '--p0'],
    ['power not above alpha', [...IPS, '--power', '0.04'], 'DESIGN_POWER_NOT_ABOVE_ALPHA', 'power'],
    ['treatment rate above 1', ['--outcome', 'binary', '--p0', '0.95', '--effect', '0.1'], 'DESIGN_TREATMENT_RATE_OUT_OF_RANGE', 'outside (0, 1)'],
    ['--mde with --effect', [...IPS, '--n', '100', '--mde'], 'CLI_USAGE', '--mde'],
    ['--mde without --n', ['--outcome', 'binary', '--p0', '0.12', '--mde'], 'CLI_USAGE', '--n'],
    ['--sd for a binary outcome', [...IPS, '--sd', '3'], 'CLI_USAGE', '--sd'],
    ['unknown method', [...IPS, '--method', 'exactish'], 'CLI_BAD_CHOICE', '--method'],
    ['unknown outcome', ['--outcome', 'count', '--effect', '1'], 'CLI_BAD_CHOICE', '--outcome'],
    ['alpha not a number', [...IPS, '--alpha', 'five'], 'CLI_BAD_NUMBER', '--alpha'],
    ['ratio 0:1', [...IPS, '--ratio', '0:1'], 'CLI_BAD_NUMBER', '--ratio'],
    ['arcsine for a continuous outcome', ['--outcome', 'continuous', '--sd', '1', '--effect', '1', '--method', 'arcsine'], 'DESIGN_METHOD_NOT_FOR_OUTCOME', '--method'],
  ] as const)('%s', async (_name, args, code, mentions) => {
    const run = await runPower(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^trialkit: error \\[${code}\\]: `));
    expect(run.stderr).toContain(mentions);
  });
});

describe('trialkit power through main()', () => {
  it('is listed in --help and runs, exiting 0 (and 2 on bad input)', async () => {
    let stdout = '';
    let stderr = '';
    const output: Output = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
    expect(await main(['node', 'trialkit', '--help'], output)).toBe(0);
    expect(stdout).toMatch(/\n  power\b/);
    stdout = '';
    expect(await main(['node', 'trialkit', 'power', ...IPS, '--contamination', '0.15'], output)).toBe(0);
    expect(stdout).toContain('the trial needs 2,880 participants');
    expect(await main(['node', 'trialkit', 'power', ...IPS, '--contamination', '0.7'], output)).toBe(2);
    expect(stderr).toMatch(/trialkit: error \[DESIGN_NO_RECEIPT_DIFFERENCE\]/);
  });
});
