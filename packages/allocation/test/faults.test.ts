/**
 * Faults and concurrency with real processes: 8 children enrolling 2,000 people at once never double-allocate or
 * interleave lines; a child killed with SIGKILL at random instants (many times) leaves a log in which every
 * reported allocation is present, the lock is recovered, and verify passes.
 *
 * The worker is bundled once into plain JavaScript (esbuild, which tsx already brings) so that a child starts in
 * ~0.1 s instead of the several seconds a tsx start-up takes on a loaded 2-core machine (eight at once took ~30 s);
 * without esbuild the children run through tsx as before. They are the same source either way.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import { enrol, initTrial, verifyTrial } from '../src/index.js';

const WORKER = fileURLToPath(new URL('./workers/enrol-worker.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'trialkit-faults-'));

interface Child {
  output: () => string;
  ready: Promise<void>;
  /** Resolves at the first reported allocation (or when the child exits). */
  enrolling: Promise<void>;
  done: Promise<number | null>;
  kill: () => void;
}

let workerCommand: string[] = ['--import', 'tsx', WORKER];
let bundle: string | undefined;
afterAll(() => {
  if (bundle !== undefined) rmSync(bundle, { force: true });
});
beforeAll(async () => {
  try {
    const esbuild = await import('esbuild');
    // Beside node_modules, so that the third-party packages left external (duckdb has native parts) resolve.
    const cache = fileURLToPath(new URL('../../../node_modules/.cache/trialkit-allocation-tests/', import.meta.url));
    mkdirSync(cache, { recursive: true });
    const outfile = join(cache, `enrol-worker-${process.pid}.mjs`);
    await esbuild.build({
      entryPoints: [WORKER],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      plugins: [
        {
          name: 'only-trialkit-sources',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@trialkit/') ? undefined : { path: args.path, external: true }));
          },
        },
      ],
    });
    workerCommand = [outfile];
    bundle = outfile;
  } catch {
    // esbuild unavailable: run the worker through tsx (slower start-up, same behaviour).
  }
}, 120_000);

function startWorker(args: string[]): Child {
  const child = spawn(process.execPath, [...workerCommand, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  let markEnrolling: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const enrolling = new Promise<void>((resolve) => (markEnrolling = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('READY\n')) markReady();
    if (/^OK /m.test(stdout)) markEnrolling();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      markReady();
      markEnrolling();
      if (code !== 0 && code !== null) stdout += `\nSTDERR ${stderr}`;
      resolve(code);
    }),
  );
  return { output: () => stdout, ready, enrolling, done, kill: () => child.kill('SIGKILL') };
}

function reported(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^OK (\S+) (\S+) (\d+)$/.exec(line);
    if (m !== null) out.set(m[1] as string, m[2] as string);
  }
  return out;
}

function loggedArms(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'log.jsonl'), 'utf8').split('\n')) {
    if (line === '') continue;
    const record = JSON.parse(line) as { type: string; id?: string; arm?: string };
    if (record.type === 'allocation') out.set(record.id as string, record.arm as string);
  }
  return out;
}

describe('concurrency', () => {
  it('8 processes enrolling 2,000 people: no duplicate or lost allocation, no interleaved line, verify passes', async () => {
    const dir = join(root, 'concurrent');
    initTrial({ dir, arms: 'control:1,ips:1', scheme: 'block', strata: ['office'], seed: 'concurrency' });
    const children = Array.from({ length: 8 }, (_, k) => startWorker([dir, `w${k}`, '250', 'office']));
    const codes = await Promise.all(children.map((c) => c.done));
    expect(codes, children.map((c) => c.output().slice(-500)).join('\n')).toEqual(new Array(8).fill(0));
    const log = readFileSync(join(dir, 'log.jsonl'), 'utf8');
    const lines = log.trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    const seqs = lines.map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    const logged = loggedArms(dir);
    expect(logged.size).toBe(2000);
    for (const child of children) {
      const mine = reported(child.output());
      expect(mine.size).toBe(250);
      for (const [id, arm] of mine) expect(logged.get(id)).toBe(arm);
    }
    const report = verifyTrial({ dir });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // Permuted blocks per office: each office's counts differ by at most half the largest block.
    expect(Math.abs(report.countsByArm['control']! - report.countsByArm['ips']!)).toBeLessThanOrEqual(4 * 4);
  }, 600_000);
});

describe('kill -9 at random instants', () => {
  it('every reported allocation survives, the lock is recovered, and verify passes', async () => {
    const dir = join(root, 'killed');
    initTrial({ dir, arms: 'control:2,ips:1', scheme: 'minimisation', strata: ['office'], seed: 'kill' });
    const rng = createRng('kill-schedule');
    const everReported = new Map<string, string>();
    let killedMidRun = 0;
    const rounds = 20;
    for (let round = 0; round < rounds; round++) {
      const child = startWorker([dir, `k${round}`, '100000', 'office']);
      await child.ready;
      // Odd rounds wait for the child's first reported allocation, so at least half the kills land mid-run however
      // slowly a loaded machine starts the child; even rounds may kill before its first enrolment completes.
      if (round % 2 === 1) await child.enrolling;
      // Let it run 0–150 ms (random, seeded), then SIGKILL: lands in lock waits, writes, fsyncs and head updates.
      await new Promise((resolve) => setTimeout(resolve, rng.nextInt(150)));
      child.kill();
      await child.done;
      const mine = reported(child.output());
      if (mine.size > 0) killedMidRun++;
      for (const [id, arm] of mine) everReported.set(id, arm);
      const report = verifyTrial({ dir });
      expect(report.problems, `round ${round}`).toEqual([]);
    }
    expect(killedMidRun, 'children killed while still enrolling').toBeGreaterThanOrEqual(rounds / 2);
    // A fresh enrolment succeeds (a lock left by a killed child is broken) and repairs any torn tail.
    const after = enrol({ dir, id: 'after-the-storm', inputs: { office: 'north' } });
    expect(after.existing).toBe(false);
    const logged = loggedArms(dir);
    expect(everReported.size).toBeGreaterThan(0);
    for (const [id, arm] of everReported) expect(logged.get(id), id).toBe(arm);
    const report = verifyTrial({ dir });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.regenerated).toBe(true);
  }, 600_000);
});
