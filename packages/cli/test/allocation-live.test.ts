/**
 * init-trial → enrol → reveal → verify from the command line: the commands run in-process
 * (allocation-in-process.ts); the real binary is spawned for enrolment into a corrupt log (exit 2, error on stderr,
 * log untouched) and for the failed verification that follows (exit 3). Concurrency and kill -9 are tested with real
 * processes in packages/allocation/test/faults.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAllocationCommand } from './allocation-in-process.js';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'trialkit-live-cli-'));

describe('live enrolment from the command line', () => {
  it('creates, enrols, re-enrols, reveals and verifies against a dataset', async () => {
    const dir = join(root, 'trial');
    const init = await runAllocationCommand(['init-trial', '--dir', dir, '--arms', 'control:1,ips:1', '--scheme', 'block', '--strata', 'region']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const commitment = readFileSync(join(dir, 'commitment.txt'), 'utf8').trim();
    expect(init.stdout).toContain(commitment);
    expect(statSync(join(dir, 'seed.secret')).mode & 0o777).toBe(0o600);

    const first = await runAllocationCommand(['enrol', '--dir', dir, '--id', 'P1', '--stratum', 'region=north', '--json']);
    expect(first.code).toBe(0);
    const p1 = JSON.parse(first.stdout) as { arm: string; seq: number; existing: boolean };
    expect(p1.seq).toBe(1);
    const second = await runAllocationCommand(['enrol', '--dir', dir, '--id', 'P2', '--stratum', 'region=north']);
    expect(second.stdout).toMatch(/^P2 → (control|ips) \(allocation 2; stratum north #2/);
    const p2arm = /→ (\S+)/.exec(second.stdout)![1]!;
    const again = await runAllocationCommand(['enrol', '--dir', dir, '--id', 'P1', '--stratum', 'region=north', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ arm: p1.arm, seq: 1, existing: true });

    const missingStratum = await runAllocationCommand(['enrol', '--dir', dir, '--id', 'P3']);
    expect(missingStratum.code).toBe(2);
    expect(missingStratum.stderr).toContain('[TRIAL_BAD_ENROL_INPUT]');

    const revealed = await runAllocationCommand(['reveal', '--dir', dir, '--json']);
    expect(revealed.code).toBe(0);
    expect((JSON.parse(revealed.stdout) as { commitment: string }).commitment).toBe(commitment);

    const data = join(root, 'outcomes.csv');
    const flip = p2arm === 'control' ? 'ips' : 'control';
    writeFileSync(data, `person,arm,y\nP1,${p1.arm},1\nP2,${flip},0\nP9,control,1\n`);
    const verify = await runAllocationCommand(['verify', '--dir', dir, '--data', data, '--id', 'person', '--assignment', 'arm']);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain(`mismatch: P2 (row 2) is ${flip} in the data but ${p2arm} in the log`);
    expect(verify.stdout).toContain('extra: P9 (row 3)');
    expect(verify.stdout).toContain('Verification FAILED.');
    const clean = await runAllocationCommand(['verify', '--dir', dir, '--json']);
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as { ok: boolean; checks: Record<string, unknown> }).checks).toMatchObject({ chain: true, commitment: true, regenerated: true });
  });

  it('refuses enrolment into a missing directory or a corrupt log, writing nothing', async () => {
    const missing = await runAllocationCommand(['enrol', '--dir', join(root, 'no-such-trial'), '--id', 'P1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[TRIAL_NOT_FOUND]');
    expect(readdirSync(root)).not.toContain('no-such-trial');

    const dir = join(root, 'corrupt');
    expect((await runAllocationCommand(['init-trial', '--dir', dir, '--arms', 'a:1,b:1', '--scheme', 'simple', '--seed', 'demo'])).code).toBe(0);
    expect((await runAllocationCommand(['enrol', '--dir', dir, '--id', 'A'])).code).toBe(0);
    const log = join(dir, 'log.jsonl');
    writeFileSync(log, readFileSync(log, 'utf8').replace('"id":"A"', '"id":"B"'));
    const before = readFileSync(log, 'utf8');
    const corrupt = await runCli(['enrol', '--dir', dir, '--id', 'C']);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toContain('[TRIAL_LOG_CORRUPT]');
    expect(corrupt.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(log, 'utf8')).toBe(before);
    const verify = await runCli(['verify', '--dir', dir]);
    expect(verify.code).toBe(3);
    // The one line was edited: its hash no longer matches the head, and regenerating finds the id changed.
    expect(verify.stdout).toContain('problem [LOG_HEAD_MISMATCH]');
    expect(verify.stdout).toContain('Verification FAILED.');
  }, 60_000);
});
