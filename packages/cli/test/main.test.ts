import { describe, expect, it } from 'vitest';
import { TRIALKIT_VERSION } from '@trialkit/core';
import { runCli } from './run-cli.js';

describe('trialkit (spawned)', () => {
  it('prints help with an example for each command and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: trialkit');
    expect(run.stdout).toMatch(/\$ trialkit estimate --data/);
    expect(run.stdout).toMatch(/Exit codes: 0 success, 2 bad input/);
    expect(run.stderr).toBe('');
  });

  it('prints the version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(TRIALKIT_VERSION);
  });

  it('refuses an unknown option with exit code 2, a one-line message and no stack trace', async () => {
    const run = await runCli(['--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^trialkit: error \[CLI_USAGE\]: unknown option '--frobnicate'/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });
});
