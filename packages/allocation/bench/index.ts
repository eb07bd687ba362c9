/**
 * Allocation benchmarks (npm run bench): prints | case | trialkit (s) | R (s) | ratio |.
 * R comparisons (when Rscript exists) do the same work in base R on the same sizes: permuted blocks per stratum with
 * sample(), and a Pocock–Simon loop; enrolment has no R counterpart (it is fsync-bound file I/O).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocate, enrol, initTrial } from '../src/index.js';

function seconds(action: () => void): number {
  const start = performance.now();
  action();
  return (performance.now() - start) / 1000;
}

function hasR(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function rSeconds(code: string): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'trialkit-bench-r-'));
  try {
    const file = join(dir, 'bench.R');
    writeFileSync(file, `${code}\ncat(sprintf("%.6f", elapsed))\n`);
    return Number(execFileSync('Rscript', [file], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[][] = [];
const withR = hasR();
function report(name: string, ours: number, theirs: number | undefined, note = ''): void {
  rows.push([name, ours.toFixed(3), theirs === undefined ? '—' : theirs.toFixed(3), theirs === undefined ? '—' : `${(ours / theirs).toFixed(2)}`, note]);
}

// 1. 1,000,000-row stratified permuted-block list (24 strata, block sizes 4/6/8), including the CSV and hashes.
{
  const n = 1_000_000;
  const strataLabels = Array.from({ length: 24 }, (_, s) => `office${s}`);
  const ids = Array.from({ length: n }, (_, i) => `P${i}`);
  const strata = ids.map((_, i) => strataLabels[(i * 7919) % 24] as string);
  // Warm-up (JIT) on a tenth of the rows, then time the full list.
  allocate({ ids: ids.slice(0, 100_000), strata: strata.slice(0, 100_000), arms: 'control:1,whp:1', scheme: 'block', seed: 1 });
  const ours = seconds(() => {
    allocate({ ids, strata, arms: 'control:1,whp:1', scheme: 'block', blockSizes: [4, 6, 8], seed: 2026 });
  });
  const r = withR
    ? rSeconds(`
set.seed(1); n <- 1e6; strata <- ((0:(n-1)) * 7919) %% 24
t0 <- proc.time()[["elapsed"]]
arm <- character(n)
for (s in 0:23) {
  idx <- which(strata == s); m <- length(idx); out <- character(0)
  while (length(out) < m) { size <- sample(c(4, 6, 8), 1); out <- c(out, sample(rep(c("control", "whp"), size / 2))) }
  arm[idx] <- out[seq_len(m)]
}
elapsed <- proc.time()[["elapsed"]] - t0`)
    : undefined;
  report('stratified permuted-block list, 1,000,000 rows, 24 strata', ours, r, 'target < 1 s');
}

// 2. Minimisation of 10,000 people on 4 factors (2, 3, 4, 5 levels), range imbalance, p = 0.8.
{
  const n = 10_000;
  const levels = [2, 3, 4, 5];
  const ids = Array.from({ length: n }, (_, i) => `M${i}`);
  const factors = levels.map((k, f) => ({ name: `f${f}`, values: ids.map((_, i) => `L${(i * (f * 2 + 3) + Math.floor(i / 7)) % k}`) }));
  // Warm-up (JIT) with another seed, then time.
  allocate({ ids, arms: 'control:1,whp:1', scheme: 'minimisation', seed: 1, factors });
  const ours = seconds(() => {
    allocate({ ids, arms: 'control:1,whp:1', scheme: 'minimisation', seed: 7, factors });
  });
  const r = withR
    ? rSeconds(`
set.seed(1); n <- 1e4; lv <- c(2, 3, 4, 5)
x <- sapply(0:3, function(f) ((0:(n-1)) * (f * 2 + 3) + (0:(n-1)) %/% 7) %% lv[f + 1]) + 1
t0 <- proc.time()[["elapsed"]]
counts <- lapply(lv, function(k) matrix(0, k, 2)); arm <- integer(n)
for (i in 1:n) {
  G <- c(0, 0)
  for (k in 1:2) for (f in 1:4) { r <- counts[[f]][x[i, f], ]; r[k] <- r[k] + 1; G[k] <- G[k] + max(r) - min(r) }
  if (G[1] == G[2]) a <- sample(1:2, 1) else { best <- which.min(G); a <- if (runif(1) < 0.8) best else 3 - best }
  arm[i] <- a
  for (f in 1:4) counts[[f]][x[i, f], a] <- counts[[f]][x[i, f], a] + 1
}
elapsed <- proc.time()[["elapsed"]] - t0`)
    : undefined;
  report('minimisation, 10,000 people, 4 factors', ours, r, 'target < 1 s');
}

// 3. Live enrolment throughput with fsync (one process; each enrolment locks, checks the state against the log,
// appends, fdatasyncs the line and the head). 2,000 people; the note compares the first and last 500 (the cost must
// not grow with the log).
{
  const root = mkdtempSync(join(tmpdir(), 'trialkit-bench-enrol-'));
  const dir = join(root, 'trial');
  initTrial({ dir, arms: 'control:1,whp:1', scheme: 'block', strata: ['office'], seed: 'bench' });
  const count = 2000;
  const quarter: number[] = [];
  const ours = seconds(() => {
    for (let q = 0; q < 4; q++) {
      quarter.push(seconds(() => {
        for (let i = q * 500; i < (q + 1) * 500; i++) enrol({ dir, id: `E${i}`, inputs: { office: `o${i % 6}` } });
      }));
    }
  });
  rmSync(root, { recursive: true, force: true });
  const rate = (s: number | undefined): string => (500 / (s as number)).toFixed(0);
  report(`live enrolment with fsync, ${count} people`, ours, undefined, `${(count / ours).toFixed(0)} enrolments/s (first 500: ${rate(quarter[0])}/s, last 500: ${rate(quarter[3])}/s; target ≥ 200/s)`);
}

process.stdout.write(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
process.stdout.write('\n| case | trialkit (s) | R (s) | ratio | note |\n|---|---|---|---|---|\n');
for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
