/**
 * Writes every simulator's data to a folder: <name>.csv and <name>.parquet (writeData from @trialkit/data, each
 * written atomically: temporary file, then rename), <name>-truth.json (also atomic) and the allocation list the
 * assignment came from (<name>-allocation.csv + <name>-allocation.meta.json).
 *
 *   SIMULATED (name → simulator at its documented default seed) ──writeSimulated(dir)──► dir/<name>.{csv,parquet},
 *     dir/<name>-truth.json, dir/<name>-allocation.{csv,meta.json}
 *
 * `npm run simulate -w @trialkit/datasets` runs this file as a script and writes to datasets/generated/.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '@trialkit/core';
import { writeData } from '@trialkit/data';
import { listToCsv, metaToJson, type AllocationList } from '@trialkit/allocation';
import { simulateWhp } from './whp.js';
import { simulateIps } from './ips.js';

/** What every simulator returns that the writer needs. */
export interface SimulatedTrial {
  readonly data: Dataset;
  readonly truth: unknown;
  readonly allocation: AllocationList;
}

export interface SimulatedDataset {
  /** File stem: letters, digits and '-' only. */
  readonly name: string;
  readonly simulate: () => SimulatedTrial;
}

/** Every simulator at its default settings (n and seed as documented in datasets/README.md). */
export const SIMULATED: readonly SimulatedDataset[] = [
  { name: 'whp', simulate: () => simulateWhp() },
  { name: 'ips', simulate: () => simulateIps() },
  { name: 'ips-clustered', simulate: () => simulateIps({ clustered: true }) },
];

/** The folder the script writes to: datasets/generated/ (ignored by git). */
export const GENERATED_DIR = fileURLToPath(new URL('../generated/', import.meta.url));

export interface WrittenDataset {
  readonly name: string;
  readonly nRows: number;
  readonly csv: string;
  readonly parquet: string;
  readonly truth: string;
  readonly allocation: string;
  readonly allocationMeta: string;
}

/** Writes text to path atomically: a temporary file in the same folder, fsync'ed, then renamed over the target. */
async function writeTextAtomic(path: string, text: string): Promise<void> {
  const target = resolve(path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw cause;
  }
}

/**
 * Runs each simulator and writes its files into `dir` (created if missing). Returns the paths written, in the
 * order of `datasets`. Each file is replaced atomically, so a reader never sees a half-written file.
 */
export async function writeSimulated(
  dir: string,
  datasets: readonly SimulatedDataset[] = SIMULATED,
): Promise<WrittenDataset[]> {
  for (const { name } of datasets) {
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw new RangeError(`writeSimulated: dataset name "${name}" must be letters, digits and '-'`);
  }
  await mkdir(dir, { recursive: true });
  const written: WrittenDataset[] = [];
  for (const { name, simulate } of datasets) {
    const trial = simulate();
    const paths: WrittenDataset = {
      name,
      nRows: trial.data.nRows,
      csv: join(dir, `${name}.csv`),
      parquet: join(dir, `${name}.parquet`),
      truth: join(dir, `${name}-truth.json`),
      allocation: join(dir, `${name}-allocation.csv`),
      allocationMeta: join(dir, `${name}-allocation.meta.json`),
    };
    await writeData(paths.csv, trial.data);
    await writeData(paths.parquet, trial.data);
    await writeTextAtomic(paths.truth, `${JSON.stringify(trial.truth, null, 2)}\n`);
    await writeTextAtomic(paths.allocation, listToCsv(trial.allocation.rows));
    await writeTextAtomic(paths.allocationMeta, metaToJson(trial.allocation.meta));
    written.push(paths);
  }
  return written;
}

// Run as a script (tsx src/write.ts [dir]): write to datasets/generated/ unless a folder is given.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? GENERATED_DIR;
  writeSimulated(dir).then(
    (written) => {
      for (const w of written) console.log(`${w.name}: ${w.nRows.toLocaleString('en-GB')} rows → ${w.csv} (+ .parquet, truth, allocation list)`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
