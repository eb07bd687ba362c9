/**
 * `trialkit estimate --ri N --seed S --allocation-dir D`: randomisation inference by the trial's own allocation
 * scheme — the list made by `trialkit allocate` (permuted blocks of random size within office), re-run per redraw.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@trialkit/core';
import { runCli } from './run-cli.js';

describe('trialkit estimate --allocation-dir (spawned)', () => {
  let dir: string;
  let data: string;
  const alloc = (): string => join(dir, 'allocation');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialkit-ri-alloc-'));
    await mkdir(alloc());
    const people = ['id,office', ...Array.from({ length: 240 }, (_, i) => `P${String(i).padStart(4, '0')},office-${i % 4}`)];
    await writeFile(join(dir, 'people.csv'), `${people.join('\n')}\n`);
    const made = await runCli(['allocate', '--participants', join(dir, 'people.csv'), '--arms', 'control:1,whp:1', '--scheme', 'block', '--strata', 'office', '--block-sizes', '2,4,6', '--seed', '2026', '--out', join(alloc(), 'list.csv')]);
    expect(made.code).toBe(0);
    // The analysis data: the list's arm per person, take-up among the offered, an outcome with an effect.
    const list = (await readFile(join(alloc(), 'list.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const armOf = new Map(list.map(([id, , , arm]) => [id!, arm!]));
    const rng = createRng('alloc-dir-data');
    const rows = ['id,office,arm,started,score'];
    for (let i = 0; i < 240; i++) {
      const id = `P${String(i).padStart(4, '0')}`;
      const arm = armOf.get(id)!;
      const started = arm === 'whp' && rng.nextDouble() < 0.7 ? 1 : 0;
      rows.push(`${id},office-${i % 4},${arm},${started},${(rng.nextDouble() + 0.4 * started).toFixed(6)}`);
    }
    data = join(dir, 'data.csv');
    await writeFile(data, `${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const base = (): string[] => ['estimate', '--data', data, '--outcome', 'score', '--assignment', 'arm', '--blocks', 'office'];

  it('redraws by block@1 with derived seeds: reproducible, and says so', async () => {
    const args = [...base(), '--received', 'started', '--ri', '300', '--seed', '5', '--allocation-dir', alloc(), '--json'];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const out = JSON.parse(first.stdout) as { estimates: Record<string, unknown>[] };
    const itt = out.estimates[0]!;
    expect(itt['riDraws']).toBe(300);
    expect(itt['riExact']).toBe(false);
    expect(itt['riMechanism']).toMatch(/^block@1 re-run on the 240 participants/);
    expect(itt['riPValue'] as number).toBeLessThan(0.05); // a 0.28 effect on a uniform outcome, n = 240
    const cace = out.estimates.find((e) => e['estimand'] === 'CACE')!;
    expect(cace['riSet']).toMatchObject({ draws: 300, exact: false });
    // The list file itself names the same list (for a folder holding several lists): the same redraws.
    const table = await runCli([...base(), '--ri', '300', '--seed', '5', '--allocation-dir', join(alloc(), 'list.csv')]);
    expect(table.stdout).toMatch(/from 300 redraws of the assignment by the trial's own scheme \(block@1/);
    expect(table.stdout).toContain(`p = ${(itt['riPValue'] as number).toFixed(4)}`);
  });

  it('refuses --allocation-dir without --ri, a live trial directory, and data that contradict the list', async () => {
    const noRi = await runCli([...base(), '--allocation-dir', alloc()]);
    expect(noRi.code).toBe(2);
    expect(noRi.stderr).toMatch(/CLI_ALLOCATION_DIR_WITHOUT_RI/);

    const live = join(dir, 'live');
    await mkdir(live);
    await writeFile(join(live, 'trial.json'), '{}');
    await writeFile(join(live, 'log.jsonl'), '');
    const liveRun = await runCli([...base(), '--ri', '10', '--seed', '1', '--allocation-dir', live]);
    expect(liveRun.code).toBe(2);
    expect(liveRun.stderr).toMatch(/live enrolment trial/);

    const swapped = (await readFile(data, 'utf8')).replace(/^(P0003,office-3,)(whp|control)/m, (_m, head: string, arm: string) => `${head}${arm === 'whp' ? 'control' : 'whp'}`);
    const bad = join(dir, 'swapped.csv');
    await writeFile(bad, swapped);
    const mismatch = await runCli(['estimate', '--data', bad, '--outcome', 'score', '--assignment', 'arm', '--ri', '10', '--seed', '1', '--allocation-dir', alloc()]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/CLI_ALLOCATION_DATA_MISMATCH/);
    expect(mismatch.stderr).toMatch(/P0003/);
    expect(mismatch.stdout).toBe('');
  });
});
