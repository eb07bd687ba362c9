import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '@trialkit/core';
import { readData } from '@trialkit/data';
import { simulateWhp } from '../src/index.js';
import { SIMULATED, writeSimulated, type WrittenDataset } from '../src/write.js';

function sameData(a: Dataset, b: Dataset): void {
  expect(b.nRows).toBe(a.nRows);
  expect(b.columns.map((c) => c.name)).toEqual(a.columns.map((c) => c.name));
  for (const column of a.columns) {
    const other = b.columns.find((c) => c.name === column.name);
    expect(other?.kind, column.name).toBe(column.kind);
    const values = (c: Dataset['columns'][number] | undefined): unknown[] => (c === undefined ? [] : Array.from<unknown>(c.values));
    expect(values(other), column.name).toEqual(values(column));
  }
}

describe('writeSimulated', () => {
  let dir: string;
  let written: WrittenDataset[];
  const trial = simulateWhp({ n: 300, seed: 'write-test' });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialkit-datasets-'));
    written = await writeSimulated(join(dir, 'out'), [{ name: 'whp-small', simulate: () => trial }]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes CSV and Parquet that read back to the simulated data, value for value', async () => {
    expect(written).toHaveLength(1);
    sameData(trial.data, await readData(written[0]!.csv));
    sameData(trial.data, await readData(written[0]!.parquet));
  });

  it('writes the truth and the allocation list, and leaves no temporary file', async () => {
    const truth = JSON.parse(await readFile(written[0]!.truth, 'utf8')) as unknown;
    expect(truth).toEqual(JSON.parse(JSON.stringify(trial.truth)));
    const list = (await readFile(written[0]!.allocation, 'utf8')).trim().split('\n');
    expect(list).toHaveLength(301);
    expect(list[0]).toBe('id,stratum,sequence,arm');
    expect(JSON.parse(await readFile(written[0]!.allocationMeta, 'utf8'))).toMatchObject({ n: 300 });
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(
      ['whp-small-allocation.csv', 'whp-small-allocation.meta.json', 'whp-small-truth.json', 'whp-small.csv', 'whp-small.parquet'],
    );
  });

  it('lists every simulator under a distinct file name, and refuses a name that is not a plain stem', async () => {
    const names = SIMULATED.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['whp', 'ips', 'ips-clustered']);
    await expect(writeSimulated(join(dir, 'bad'), [{ name: '../escape', simulate: () => trial }])).rejects.toThrow(RangeError);
  });
});
