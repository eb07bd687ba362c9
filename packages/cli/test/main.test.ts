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

describe('commands load on demand', () => {
  it('lists every command in --help without loading them, and suggests the nearest name for a typo', async () => {
    const help = await runCli(['--help']);
    for (const name of ['estimate', 'survival', 'allocate', 'report', 'power']) expect(help.stdout).toMatch(new RegExp(`\\n  ${name}\\b`));
    const typo = await runCli(['estimat']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "trialkit: error [CLI_USAGE]: unknown command 'estimat' (Did you mean estimate?). Run `trialkit <command> --help` for the options and an example.\n",
    );
  });

  it("shows a command's own options and example with `help <command>` and `<command> --help`", async () => {
    for (const args of [['help', 'estimate'], ['estimate', '--help']]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('--assignment <column>');
      expect(run.stdout).toMatch(/Examples:\n\s+\$ trialkit estimate/);
    }
  });
});
