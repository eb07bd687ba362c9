/**
 * `trialkit allocate` and `verify --list`: the commands run in-process (allocation-in-process.ts) for the list, the
 * metadata and every bad input (exit 2, the error code, no file written); the real binary is spawned for one bad
 * input and for a list that fails verification (exit 3), end to end as a user runs it.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocate, listToCsv } from '@trialkit/allocation';
import { runAllocationCommand } from './allocation-in-process.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'trialkit-allocate-'));
const people = join(dir, 'people.csv');
writeFileSync(people, 'id,office,age,team\nP1,north,30,a\nP2,south,40,a\nP3,north,50,b\nP4,south,20,b\nP5,north,33,c\nP6,north,21,c\n');

/** A participant file for one bad-input case, in its own directory, and the allocate arguments with `extra` applied. */
function badCase(k: number, content: string, extra: readonly string[]): { caseDir: string; args: string[] } {
  const caseDir = mkdtempSync(join(dir, `bad-${k}-`));
  const file = join(caseDir, 'people.csv');
  writeFileSync(file, content);
  const args = ['allocate', '--participants', file, '--arms', 'control:1,whp:1', '--scheme', 'block', '--strata', 'office', '--seed', '1', '--out', join(caseDir, 'list.csv')];
  for (let i = 0; i < extra.length; i += 2) {
    const at = args.indexOf(extra[i] as string);
    if (at >= 0) args[at + 1] = extra[i + 1] as string;
    else args.push(extra[i] as string, extra[i + 1] as string);
  }
  return { caseDir, args };
}

describe('trialkit allocate', () => {
  it('writes the list and list.meta.json, identical to the library', async () => {
    const out = join(dir, 'list.csv');
    const run = await runAllocationCommand(['allocate', '--participants', people, '--arms', 'control:1,whp:1', '--scheme', 'block', '--strata', 'office', '--seed', '2026', '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const meta = JSON.parse(run.stdout) as { listSha256: string; schemeVersion: string; counts: Record<string, number>; inputFileSha256: string };
    expect(meta.schemeVersion).toBe('block@1');
    expect(meta.inputFileSha256).toMatch(/^[0-9a-f]{64}$/);
    const expected = allocate({
      ids: ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'],
      strata: ['north', 'south', 'north', 'south', 'north', 'north'],
      arms: 'control:1,whp:1',
      scheme: 'block',
      seed: 2026,
    });
    expect(readFileSync(out, 'utf8')).toBe(listToCsv(expected.rows));
    expect(meta.listSha256).toBe(expected.meta.listSha256);
    expect(JSON.parse(readFileSync(join(dir, 'list.meta.json'), 'utf8'))).toEqual(meta);
  });

  it('refuses bad input with exit 2, a code on stderr and no file written', async () => {
    const cases: [string, string, string[]][] = [
      ['ALLOC_DUPLICATE_ID', 'id,office\nA,n\nB,n\nA,s\n', []],
      ['ALLOC_MISSING_STRATUM', 'id,office\nA,n\nB,\nC,s\n', []],
      ['ALLOC_BAD_RATIO', 'id,office\nA,n\n', ['--arms', 'control:0,whp:1']],
      ['ALLOC_BAD_RATIO', 'id,office\nA,n\n', ['--arms', 'control:1.5,whp:1']],
      ['ALLOC_BAD_BLOCK_SIZE', 'id,office\nA,n\n', ['--arms', 'control:2,whp:1', '--block-sizes', '4,6']],
      ['ALLOC_EMPTY_PARTICIPANTS', 'id,office\n', []],
      ['ALLOC_MISSING_CLUSTER', 'id,office,team\nA,n,t1\nB,n,\n', ['--scheme', 'cluster', '--cluster', 'team']],
      ['DATA_MISSING_COLUMN', 'id,office\nA,n\n', ['--strata', 'ofice']],
      ['CLI_BAD_CHOICE', 'id,office\nA,n\n', ['--scheme', 'lottery']],
    ];
    for (const [k, [code, content, extra]] of cases.entries()) {
      const { caseDir, args } = badCase(k, content, extra);
      const run = await runAllocationCommand(args);
      expect(run.stderr, code).toContain(`[${code}]`);
      expect(run.code, code).toBe(2);
      expect(readdirSync(caseDir).sort(), code).toEqual(['people.csv']);
    }
  });

  it('the real binary: a bad input exits 2 with the error on stderr, no stack trace, and no file written', async () => {
    const { caseDir, args } = badCase(99, 'id,office\nA,n\nB,n\nA,s\n', []);
    const run = await runCli(args);
    expect(run.stderr).toContain('[ALLOC_DUPLICATE_ID]');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
    expect(readdirSync(caseDir).sort()).toEqual(['people.csv']);
  }, 60_000);

  it('writes per-stratum sequence tables and warns when one could run out', async () => {
    const out = join(dir, 'tables.csv');
    const run = await runAllocationCommand(['allocate', '--participants', people, '--arms', 'control:1,whp:1', '--scheme', 'block', '--strata', 'office', '--per-stratum', '4', '--expected-recruitment', '12', '--seed', '5', '--out', out]);
    expect(run.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('stratum,sequence,arm');
    expect(lines).toHaveLength(1 + 8);
    expect(run.stdout).toContain('ALLOC_SEQUENCE_LIST_MAY_RUN_OUT');
    expect(run.stdout).toContain('"north"');
    expect(existsSync(join(dir, 'tables.meta.json'))).toBe(true);
  });
});

describe('trialkit verify --list', () => {
  it('regenerates a list from its metadata and the participants; an edited list fails with exit 3', async () => {
    const out = join(dir, 'verify-me.csv');
    // The real binary writes the list; verify passes in-process; the edited list fails in the real binary (exit 3).
    const made = await runCli(['allocate', '--participants', people, '--arms', 'control:1,whp:1', '--scheme', 'minimisation', '--strata', 'office,team', '--seed', '77', '--out', out]);
    expect(made.code).toBe(0);
    const ok = await runAllocationCommand(['verify', '--list', out, '--participants', people]);
    expect(ok.stdout).toContain('Verified: the list regenerates exactly');
    expect(ok.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    writeFileSync(out, text.replace(/^(P3,[^,]+,\d+,)(control|whp)$/m, (_m, head: string, arm: string) => `${head}${arm === 'control' ? 'whp' : 'control'}`));
    const bad = await runCli(['verify', '--list', out, '--participants', people]);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain('problem [LIST_FILE_CHANGED]');
    expect(bad.stdout).toMatch(/P3 is (control|whp) in the list but the seed gives/);
  }, 60_000);
});

describe('trialkit allocate --conceal-seed', () => {
  it('keeps the seed out of the metadata, in a 0600 file that is never overwritten', async () => {
    const caseDir = mkdtempSync(join(dir, 'conceal-'));
    const out = join(caseDir, 'list.csv');
    const args = ['allocate', '--participants', people, '--arms', 'control:1,whp:1', '--scheme', 'complete', '--conceal-seed', '--out', out];
    const first = await runAllocationCommand(args);
    expect(first.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(caseDir, 'list.meta.json'), 'utf8')) as { seed?: string; seedCommitment: string };
    expect(meta.seed).toBeUndefined();
    const { statSync } = await import('node:fs');
    const { sha256Hex } = await import('@trialkit/core');
    expect(statSync(join(caseDir, 'list.seed')).mode & 0o777).toBe(0o600);
    expect(sha256Hex(readFileSync(join(caseDir, 'list.seed'), 'utf8').trim())).toBe(meta.seedCommitment);
    const listBefore = readFileSync(out, 'utf8');
    const again = await runAllocationCommand(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe(listBefore);
  });
});
