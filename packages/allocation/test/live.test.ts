/** Live enrolment in one process: init, enrol, re-enrol, reveal, verify, tampering, torn lines, bad input. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrialkitError, sha256Hex } from '@trialkit/core';
import { AllocationErrorCode, allocate, enrol, initTrial, reveal, verifyTrial } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'trialkit-live-'));
let counter = 0;
const freshDir = (): string => join(root, `trial-${++counter}`);
const fixedClock = (): (() => Date) => {
  let t = Date.UTC(2026, 10, 24, 9, 0, 0);
  return () => new Date((t += 1000));
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TrialkitError ? error.code : `not a TrialkitError: ${String(error)}`;
  }
  return undefined;
}

const offices = ['north', 'south', 'east'];

describe('initTrial', () => {
  it('writes a 0600 secret seed, its SHA-256 commitment, the design and an empty log', () => {
    const dir = freshDir();
    const info = initTrial({ dir, arms: 'control:1,ips:1', scheme: 'block', strata: ['office'] });
    expect(statSync(join(dir, 'seed.secret')).mode & 0o777).toBe(0o600);
    const seed = readFileSync(join(dir, 'seed.secret'), 'utf8').trim();
    expect(seed).toMatch(/^trialkit-[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'commitment.txt'), 'utf8').trim()).toBe(sha256Hex(seed));
    expect(info.commitment).toBe(sha256Hex(seed));
    expect(info.config.schemeVersion).toBe('block@1');
    expect(readFileSync(join(dir, 'log.jsonl'), 'utf8')).toBe('');
  });

  it('refuses bad designs and existing trials, writing nothing', () => {
    const dir = freshDir();
    expect(codeOf(() => initTrial({ dir, arms: 'control:0,ips:1', scheme: 'block' }))).toBe(AllocationErrorCode.badRatio);
    expect(codeOf(() => initTrial({ dir, arms: 'control:2,ips:1', scheme: 'block', blockSizes: [4] }))).toBe(AllocationErrorCode.badBlockSize);
    expect(codeOf(() => initTrial({ dir, arms: 'control:1,ips:1', scheme: 'complete' }))).toBe(AllocationErrorCode.schemeNotLive);
    expect(codeOf(() => initTrial({ dir, arms: 'control:1,ips:1', scheme: 'minimisation' }))).toBe(AllocationErrorCode.badOption);
    expect(existsSync(dir)).toBe(false);
    initTrial({ dir, arms: 'control:1,ips:1', scheme: 'simple' });
    expect(codeOf(() => initTrial({ dir, arms: 'control:1,ips:1', scheme: 'simple' }))).toBe(AllocationErrorCode.trialExists);
  });
});

describe('enrol', () => {
  it('allocates exactly as the block list for the same seed and order; re-enrolling returns the original', () => {
    const dir = freshDir();
    initTrial({ dir, arms: 'control:1,ips:1', scheme: 'block', strata: ['office'], seed: 'live-block-1', now: fixedClock() });
    const ids = Array.from({ length: 40 }, (_, i) => `P${i + 1}`);
    const strata = ids.map((_, i) => offices[(i * 7) % 3] as string);
    const clock = fixedClock();
    const live = ids.map((id, i) => enrol({ dir, id, inputs: { office: strata[i] as string }, now: clock }));
    const list = allocate({ ids, strata, arms: 'control:1,ips:1', scheme: 'block', seed: 'live-block-1' });
    expect(live.map((r) => r.arm)).toEqual(list.rows.map((r) => r.arm));
    expect(live.map((r) => r.stratumSeq)).toEqual(list.rows.map((r) => r.sequence));
    const linesBefore = readFileSync(join(dir, 'log.jsonl'), 'utf8');
    const again = enrol({ dir, id: 'P7', inputs: { office: strata[6] as string } });
    expect(again.existing).toBe(true);
    expect(again.arm).toBe(live[6]!.arm);
    expect(again.seq).toBe(7);
    expect(readFileSync(join(dir, 'log.jsonl'), 'utf8')).toBe(linesBefore);
    const report = verifyTrial({ dir });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks).toEqual({ chain: true, head: true, commitment: true, regenerated: true, data: null });
    expect(report.allocations).toBe(40);
  });

  it('minimisation live equals the minimisation list and logs the state', () => {
    const dir = freshDir();
    initTrial({ dir, arms: 'control:2,ips:1', scheme: 'minimisation', strata: ['office', 'sex'], factors: [{ name: 'office', weight: 2 }, { name: 'sex', weight: 1 }], seed: 99 });
    const ids = Array.from({ length: 30 }, (_, i) => `M${i + 1}`);
    const office = ids.map((_, i) => offices[(i * 5) % 3] as string);
    const sex = ids.map((_, i) => (i % 4 === 0 ? 'f' : 'm'));
    const live = ids.map((id, i) => enrol({ dir, id, inputs: { office: office[i] as string, sex: sex[i] as string } }));
    const list = allocate({
      ids,
      arms: 'control:2,ips:1',
      scheme: 'minimisation',
      seed: 99,
      factors: [{ name: 'office', values: office, weight: 2 }, { name: 'sex', values: sex, weight: 1 }],
    });
    expect(live.map((r) => r.arm)).toEqual(list.rows.map((r) => r.arm));
    const second = JSON.parse(readFileSync(join(dir, 'log.jsonl'), 'utf8').split('\n')[1] as string) as { minimisation: { scores: Record<string, number> } };
    expect(Object.keys(second.minimisation.scores).sort()).toEqual(['control', 'ips']);
    expect(verifyTrial({ dir }).ok).toBe(true);
  });

  it('refuses a missing directory, a missing or unknown stratum, and a corrupt log, writing nothing', () => {
    expect(codeOf(() => enrol({ dir: join(root, 'nope'), id: 'A' }))).toBe(AllocationErrorCode.trialNotFound);
    expect(existsSync(join(root, 'nope'))).toBe(false);
    const empty = freshDir();
    mkdirSync(empty);
    expect(codeOf(() => enrol({ dir: empty, id: 'A' }))).toBe(AllocationErrorCode.trialNotFound);
    const dir = freshDir();
    initTrial({ dir, arms: 'a:1,b:1', scheme: 'block', strata: ['office'], seed: 1 });
    expect(codeOf(() => enrol({ dir, id: 'A' }))).toBe(AllocationErrorCode.badEnrolInput);
    expect(codeOf(() => enrol({ dir, id: 'A', inputs: { office: 'n', region: 'x' } }))).toBe(AllocationErrorCode.badEnrolInput);
    expect(codeOf(() => enrol({ dir, id: '', inputs: { office: 'n' } }))).toBe(AllocationErrorCode.badEnrolInput);
    enrol({ dir, id: 'A', inputs: { office: 'n' } });
    enrol({ dir, id: 'B', inputs: { office: 'n' } });
    const logPath = join(dir, 'log.jsonl');
    const good = readFileSync(logPath, 'utf8');
    writeFileSync(logPath, good.replace('"arm":"a"', '"arm":"b"').replace('"arm":"b"', '"arm":"a"').replace('"id":"A"', '"id":"Z"'));
    const corrupt = readFileSync(logPath, 'utf8');
    expect(codeOf(() => enrol({ dir, id: 'C', inputs: { office: 'n' } }))).toBe(AllocationErrorCode.logCorrupt);
    expect(readFileSync(logPath, 'utf8')).toBe(corrupt);
    // The log and its head are untouched; the state cache (log.state, index-*) is as the last good enrolment left it.
    expect(readdirSync(dir).filter((name) => !name.startsWith('index-')).sort()).toEqual(['commitment.txt', 'log.head', 'log.jsonl', 'log.state', 'seed.secret', 'trial.json']);
    // An edit that keeps the log's length is also refused: the log's mtime/ctime no longer match the state, so enrol
    // checks the whole chain. (Set mtime explicitly: an edit within the same clock tick is left to verify.)
    const sameLength = freshDir();
    initTrial({ dir: sameLength, arms: 'a:1,b:1', scheme: 'block', strata: ['office'], seed: 1 });
    for (const id of ['A', 'B', 'C']) enrol({ dir: sameLength, id, inputs: { office: 'n' } });
    const sameLengthLog = join(sameLength, 'log.jsonl');
    const before = readFileSync(sameLengthLog, 'utf8');
    writeFileSync(sameLengthLog, before.replace('"id":"B"', '"id":"Q"'));
    utimesSync(sameLengthLog, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    expect(codeOf(() => enrol({ dir: sameLength, id: 'D', inputs: { office: 'n' } }))).toBe(AllocationErrorCode.logCorrupt);
    expect(codeOf(() => enrol({ dir: sameLength, id: 'B', inputs: { office: 'n' } }))).toBe(AllocationErrorCode.logCorrupt);
  });

  it('keeps its state across processes and rebuilds a stale or damaged state and index from the log', () => {
    const dir = freshDir();
    initTrial({ dir, arms: 'a:2,b:1,c:1', scheme: 'minimisation', strata: ['office', 'route'], seed: 'state' });
    const clock = fixedClock();
    const first = Array.from({ length: 30 }, (_, i) => enrol({ dir, id: `S${i}`, inputs: { office: offices[i % 3] as string, route: `r${i % 2}` }, now: clock }));
    // Re-enrolment through the index returns the original line (same receipt), writing nothing.
    const logBefore = readFileSync(join(dir, 'log.jsonl'));
    expect(enrol({ dir, id: 'S7', inputs: { office: offices[7 % 3] as string, route: 'r1' } })).toEqual({ ...first[7], existing: true });
    expect(readFileSync(join(dir, 'log.jsonl')).equals(logBefore)).toBe(true);
    // A missing state, a garbled state, an emptied index: each is rebuilt from the checked log, and the allocations
    // continue exactly as if the state had been kept (verify regenerates every one from the seed).
    rmSync(join(dir, 'log.state'));
    enrol({ dir, id: 'S30', inputs: { office: 'north', route: 'r0' }, now: clock });
    writeFileSync(join(dir, 'log.state'), '{"format":"trialkit-log-state@1"');
    enrol({ dir, id: 'S31', inputs: { office: 'south', route: 'r1' }, now: clock });
    const index = readdirSync(dir).find((name) => name.startsWith('index-')) as string;
    for (const bucket of readdirSync(join(dir, index))) writeFileSync(join(dir, index, bucket), '0 5 "S3"\n');
    expect(enrol({ dir, id: 'S3', inputs: { office: offices[0] as string, route: 'r1' } }).arm).toBe(first[3]!.arm);
    expect(enrol({ dir, id: 'S3', inputs: { office: offices[0] as string, route: 'r1' } }).existing).toBe(true);
    // A state that is one enrolment behind (a process killed after its append): the changed log sends enrol down
    // the full path.
    const stateText = readFileSync(join(dir, 'log.state'), 'utf8');
    enrol({ dir, id: 'S32', inputs: { office: 'east', route: 'r0' }, now: clock });
    writeFileSync(join(dir, 'log.state'), stateText);
    expect(enrol({ dir, id: 'S33', inputs: { office: 'east', route: 'r1' }, now: clock }).seq).toBe(34);
    expect(enrol({ dir, id: 'S32', inputs: { office: 'east', route: 'r0' } }).seq).toBe(33);
    const report = verifyTrial({ dir });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.allocations).toBe(34);
  });

  it('cuts a torn last line off, records the repair, and verify reports a torn line without using it', () => {
    const dir = freshDir();
    initTrial({ dir, arms: 'a:1,b:1', scheme: 'simple', seed: 3 });
    enrol({ dir, id: 'A' });
    appendFileSync(join(dir, 'log.jsonl'), '{"arm":"b","id":"GHOST"');
    const report = verifyTrial({ dir });
    expect(report.notes.map((n) => n.code)).toContain('LOG_TORN_LINE');
    expect(report.allocations).toBe(1);
    expect(report.ok).toBe(true);
    const next = enrol({ dir, id: 'B' });
    expect(next.seq).toBe(2);
    expect(next.diagnostics.map((d) => d.code)).toEqual(['TRIAL_TORN_LINE_REPAIRED']);
    const lines = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; tornBase64?: string });
    expect(lines.map((l) => l.type)).toEqual(['allocation', 'repair', 'allocation']);
    expect(Buffer.from(lines[1]!.tornBase64!, 'base64').toString()).toBe('{"arm":"b","id":"GHOST"');
    expect(verifyTrial({ dir }).ok).toBe(true);
  });
});

describe('verify detects tampering', () => {
  function trialWithLog(n: number): { dir: string; lines: string[] } {
    const dir = freshDir();
    initTrial({ dir, arms: 'a:1,b:1', scheme: 'block', strata: ['office'], seed: 'tamper', now: fixedClock() });
    const clock = fixedClock();
    for (let i = 0; i < n; i++) enrol({ dir, id: `T${i}`, inputs: { office: offices[i % 3] as string }, now: clock });
    return { dir, lines: readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n') };
  }
  const write = (dir: string, lines: string[]): void => writeFileSync(join(dir, 'log.jsonl'), lines.map((l) => `${l}\n`).join(''));

  it('an edited arm, id or time on any line (first, middle, last)', () => {
    for (const k of [0, 4, 9]) {
      for (const edit of [(l: string) => l.replace(/"arm":"(a|b)"/, (_m, a: string) => `"arm":"${a === 'a' ? 'b' : 'a'}"`), (l: string) => l.replace(/"id":"T\d+"/, '"id":"X"'), (l: string) => l.replace(/"time":"[^"]+"/, '"time":"2020-01-01T00:00:00.000Z"')]) {
        const { dir, lines } = trialWithLog(10);
        lines[k] = edit(lines[k] as string);
        write(dir, lines);
        const report = verifyTrial({ dir });
        expect(report.ok, `line ${k + 1}`).toBe(false);
        expect(report.problems.length).toBeGreaterThan(0);
      }
    }
  });

  it('a deleted line (first, middle, last), reordered lines, and an edited commitment', () => {
    for (const k of [0, 5, 9]) {
      const { dir, lines } = trialWithLog(10);
      lines.splice(k, 1);
      write(dir, lines);
      expect(verifyTrial({ dir }).ok, `delete ${k + 1}`).toBe(false);
    }
    for (const [i, j] of [[0, 1], [4, 7], [8, 9]] as const) {
      const { dir, lines } = trialWithLog(10);
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      write(dir, lines);
      expect(verifyTrial({ dir }).ok, `swap ${i},${j}`).toBe(false);
    }
    const { dir } = trialWithLog(3);
    writeFileSync(join(dir, 'commitment.txt'), `${sha256Hex('other')}\n`);
    const report = verifyTrial({ dir });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toContain('COMMITMENT_MISMATCH');
  });

  it('an allocation rewritten consistently (chain recomputed) is caught by regenerating from the seed', async () => {
    const { dir, lines } = trialWithLog(6);
    const { canonicalJson } = await import('@trialkit/core');
    const genesis = sha256Hex(readFileSync(join(dir, 'trial.json'), 'utf8'));
    let prev = genesis;
    const forged = lines.map((line, k) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (k === 2) record['arm'] = record['arm'] === 'a' ? 'b' : 'a';
      record['prev'] = prev;
      const text = canonicalJson(record);
      prev = sha256Hex(text);
      return text;
    });
    write(dir, forged);
    const logText = forged.map((l) => `${l}\n`).join('');
    writeFileSync(join(dir, 'log.head'), `${canonicalJson({ lines: forged.length, sha256: prev, bytes: Buffer.byteLength(logText), logSha256: sha256Hex(logText) })}\n`);
    const report = verifyTrial({ dir });
    expect(report.checks.chain).toBe(true);
    expect(report.checks.regenerated).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['REGENERATE_ARM']);
    expect(report.problems[0]!.line).toBe(3);
  });
});

describe('reveal and verify against an analysis dataset', () => {
  it('publishes the seed, closes enrolment, and lists mismatches, missing and extra ids', () => {
    const dir = freshDir();
    initTrial({ dir, arms: 'control:1,ips:1', scheme: 'simple' });
    const results = ['A', 'B', 'C', 'D'].map((id) => enrol({ dir, id }));
    const revealed = reveal({ dir });
    expect(sha256Hex(revealed.seed)).toBe(revealed.commitment);
    expect(readFileSync(join(dir, 'seed.revealed'), 'utf8').trim()).toBe(revealed.seed);
    expect(codeOf(() => enrol({ dir, id: 'E' }))).toBe(AllocationErrorCode.trialRevealed);
    const flip = (arm: string): string => (arm === 'control' ? 'ips' : 'control');
    const report = verifyTrial({
      dir,
      data: { ids: ['A', 'B', 'C', 'X'], assignments: [results[0]!.arm, flip(results[1]!.arm), results[2]!.arm, 'control'], assignmentColumn: 'arm' },
    });
    expect(report.checks.regenerated).toBe(true);
    expect(report.seedSource).toBe('revealed');
    expect(report.ok).toBe(false);
    expect(report.data!.mismatches).toEqual([{ id: 'B', logged: results[1]!.arm, data: flip(results[1]!.arm), row: 2 }]);
    expect(report.data!.missing).toEqual(['D']);
    expect(report.data!.extra).toEqual([{ id: 'X', row: 4 }]);
    const clean = verifyTrial({ dir, data: { ids: ['A', 'B', 'C', 'D'], assignments: results.map((r) => r.arm) } });
    expect(clean.ok).toBe(true);
    expect(codeOf(() => verifyTrial({ dir, data: { ids: ['A'], assignments: ['treatment'], assignmentColumn: 'arm' } }))).toBe(AllocationErrorCode.unknownArm);
  });
});
