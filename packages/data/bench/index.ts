/**
 * Speed of reading a large trial file: 1,000,000 rows × 12 numeric columns (payroll-linked outcomes for a whole
 * programme). The CSV is generated once, seeded (xoshiro256** via createRng), in os.tmpdir(), and reused.
 *
 *   readData CSV (DuckDB, typed Float64Array columns, with SHA-256)   median of 3
 *   readData Parquet (the same data written by writeData)             median of 3
 *   prepareTrial on the loaded data (outcome, assignment, received, 3 covariates, cluster, id)  median of 3
 *   arquero loadCSV (for comparison: what analysis scripts would use)  one run
 *   R: data.table::fread on the same CSV (median of 3) when Rscript and data.table exist
 *
 * Prints `| case | trialkit (s) | R (s) | ratio |` (ratio = trialkit / R).
 *
 *   npm run bench -w @trialkit/data
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCSV } from 'arquero';
import { createRng } from '@trialkit/core';
import { prepareTrial, readData, writeData } from '../src/index.js';

const N_ROWS = 1_000_000;
const SEED = 20261124;
const COLUMNS = ['id', 'assignment', 'received', 'job', 'earnings', 'age', 'weeks_unemployed', 'prior_earnings', 'x1', 'x2', 'x3', 'x4'];

/** One data row: id, 1:1 assignment, take-up, binary job outcome, skewed earnings with zeros, and covariates. */
function row(rng: ReturnType<typeof createRng>, id: number): string {
  const assignment = rng.nextDouble() < 0.5 ? 0 : 1;
  const received = assignment === 1 ? (rng.nextDouble() < 0.6 ? 1 : 0) : rng.nextDouble() < 0.15 ? 1 : 0;
  const job = rng.nextDouble() < 0.12 + 0.05 * received ? 1 : 0;
  const earnings = job === 1 ? (-Math.log(1 - rng.nextDouble()) * 9000).toFixed(2) : '0';
  const age = 18 + rng.nextInt(47);
  const weeks = rng.nextInt(260);
  const prior = (rng.nextDouble() * 30000).toFixed(2);
  const xs = [0, 1, 2, 3].map(() => (rng.nextDouble() * 2 - 1).toFixed(6));
  return `${id},${assignment},${received},${job},${earnings},${age},${weeks},${prior},${xs.join(',')}\n`;
}

async function generateCsv(path: string): Promise<void> {
  if (existsSync(path) && statSync(path).size > 0) return;
  const rng = createRng(SEED);
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  try {
    await handle.write(`${COLUMNS.join(',')}\n`);
    const batch: string[] = [];
    for (let id = 1; id <= N_ROWS; id++) {
      batch.push(row(rng, id));
      if (batch.length === 50_000) {
        await handle.write(batch.join(''));
        batch.length = 0;
      }
    }
    await handle.write(batch.join(''));
  } finally {
    await handle.close();
  }
  renameSync(partial, path);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeMedian(run: () => Promise<unknown>, repeats = 3): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    await run();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

function rFread(path: string): number | undefined {
  const script = `
if (!requireNamespace("data.table", quietly = TRUE)) quit(status = 3)
f <- commandArgs(TRUE)[1]
t <- sapply(1:3, function(i) system.time(data.table::fread(f, nThread = 2, showProgress = FALSE))[["elapsed"]])
cat(median(t), "\\n")`;
  try {
    const scriptPath = join(tmpdir(), 'trialkit-data-bench-fread.R');
    writeFileSync(scriptPath, script);
    return Number(execFileSync('Rscript', [scriptPath, path], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

const fmt = (seconds: number | undefined): string => (seconds === undefined ? '—' : seconds.toFixed(2));

const csvPath = join(tmpdir(), `trialkit-bench-${N_ROWS}x12-seed${SEED}.csv`);
const parquetPath = join(tmpdir(), `trialkit-bench-${N_ROWS}x12-seed${SEED}.parquet`);
await generateCsv(csvPath);
if (!existsSync(parquetPath)) await writeData(parquetPath, await readData(csvPath, { hash: false }));

const check = await readData(csvPath);
if (check.nRows !== N_ROWS || check.columns.some((c) => c.kind !== 'number')) {
  throw new Error(`bench file read wrongly: ${check.nRows} rows, kinds ${check.columns.map((c) => c.kind).join(',')}`);
}

const csvSeconds = await timeMedian(() => readData(csvPath));
const csvNoHashSeconds = await timeMedian(() => readData(csvPath, { hash: false }));
const parquetSeconds = await timeMedian(() => readData(parquetPath));
const roles = {
  outcome: 'earnings',
  assignment: 'assignment',
  received: 'received',
  covariates: ['age', 'x1', 'x2'],
  cluster: 'weeks_unemployed',
  id: 'id',
};
const prepareSeconds = await timeMedian(async () => prepareTrial(check, roles));
const arqueroStart = performance.now();
await loadCSV(csvPath);
const arqueroSeconds = (performance.now() - arqueroStart) / 1000;
const rSeconds = rFread(csvPath);

const sizeMb = (statSync(csvPath).size / 1e6).toFixed(0);
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ');
console.log(`\n@trialkit/data — ${N_ROWS.toLocaleString('en-GB')} rows × 12 numeric columns (CSV ${sizeMb} MB); load average ${load}\n`);
console.log('| case | trialkit (s) | R (s) | ratio |');
console.log('|---|---|---|---|');
const ratio = (ours: number, r: number | undefined): string => (r === undefined ? '—' : (ours / r).toFixed(2));
console.log(`| readData CSV 1M×12 → Float64Array, with SHA-256 (R: data.table::fread) | ${fmt(csvSeconds)} | ${fmt(rSeconds)} | ${ratio(csvSeconds, rSeconds)} |`);
console.log(`| readData CSV 1M×12, no hash | ${fmt(csvNoHashSeconds)} | ${fmt(rSeconds)} | ${ratio(csvNoHashSeconds, rSeconds)} |`);
console.log(`| readData Parquet 1M×12, with SHA-256 | ${fmt(parquetSeconds)} | — | — |`);
console.log(`| prepareTrial 1M rows (received, 3 covariates, cluster, id) | ${fmt(prepareSeconds)} | — | — |`);
console.log(`| arquero loadCSV 1M×12 (comparison, one run) | ${fmt(arqueroSeconds)} | — | — |`);
