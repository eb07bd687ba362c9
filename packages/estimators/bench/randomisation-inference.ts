/**
 * Speed of randomisation inference (issue 7: "10,000 draws at N = 1e5 in under 10 s"):
 *
 *   data: seeded (createRng) N = 1e5 rows, outcome normal + 0.05 effect; complete (half treated), blocked (50
 *         blocks), clustered (2,000 clusters), block-clustered (2,000 clusters in 50 blocks)
 *   trialkit: randomisationInference with 10,000 draws (difference in means), after one untimed warm-up call with
 *             200 draws; CPU seconds (user + system) of the call, as the estimators bench reports, because the shared
 *             2-core machine inflates wall time under load; TRIALKIT_BENCH_WALL=1 for wall-clock seconds
 *   R (when Rscript exists): ri2 is not installable here, so the reference is the base-R loop an evaluator would
 *      write — per draw `sample` the assignment (within blocks, or of clusters) and take the difference in means
 *      (blocked: block-size-weighted) — on the same columns (readBin), R_DRAWS draws (default 1,000) timed with
 *      system.time and scaled to DRAWS; the ratio is trialkit / R
 *
 *   npx tsx packages/estimators/bench/randomisation-inference.ts   (TRIALKIT_RI_DRAWS, TRIALKIT_RI_N to change)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng } from '@trialkit/core';
import type { PreparedTrial } from '@trialkit/data';
import { randomisationInference, type RiDesignKind } from '../src/randomisation-inference/index.js';

const N = Number(process.env['TRIALKIT_RI_N'] ?? 100_000);
const DRAWS = Number(process.env['TRIALKIT_RI_DRAWS'] ?? 10_000);
const N_BLOCKS = 50;
const N_CLUSTERS = 2_000;

function trialFor(design: RiDesignKind): PreparedTrial {
  const rng = createRng(20261124);
  const normal = (): number => {
    const u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  };
  const blocked = design === 'blocked' || design === 'block-clustered';
  const clustered = design === 'clustered' || design === 'block-clustered';
  const cluster = new Int32Array(N);
  const block = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    cluster[i] = Math.floor((i * N_CLUSTERS) / N);
    block[i] = clustered ? Math.floor((cluster[i]! * N_BLOCKS) / N_CLUSTERS) : Math.floor((i * N_BLOCKS) / N);
  }
  // Assignment: half of the units (clusters) of each block (or overall) treated, at random.
  const z = new Float64Array(N);
  const unitsPerBlock = (clustered ? N_CLUSTERS : N) / (blocked ? N_BLOCKS : 1);
  const unitTreated = new Uint8Array(clustered ? N_CLUSTERS : N);
  for (let b = 0; b < (blocked ? N_BLOCKS : 1); b++) {
    const perm = rng.permutation(unitsPerBlock);
    for (let i = 0; i < unitsPerBlock / 2; i++) unitTreated[b * unitsPerBlock + perm[i]!] = 1;
  }
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    z[i] = unitTreated[clustered ? cluster[i]! : i]!;
    y[i] = normal() + 0.01 * z[i]!;
  }
  const labels = (k: number): string[] => Array.from({ length: k }, (_, i) => `g${i}`);
  return {
    n: N,
    roles: { outcome: 'y', assignment: 'z' },
    arms: { control: '0', treatment: '1' },
    outcome: { name: 'y', values: y },
    assignment: { name: 'z', values: z },
    covariates: [],
    ...(blocked ? { blocks: { name: 'block', codes: block, labels: labels(N_BLOCKS) } } : {}),
    ...(clustered ? { cluster: { name: 'cluster', codes: cluster, labels: labels(N_CLUSTERS) } } : {}),
    sourceRows: Uint32Array.from({ length: N }, (_, i) => i + 1),
    missing: { total: 0, control: 0, treatment: 0, unknownArm: 0, byColumn: {} },
    diagnostics: [],
  };
}

const R_DRAWS = Number(process.env['TRIALKIT_RI_R_DRAWS'] ?? 1_000);
const R_SCRIPT = `
args <- commandArgs(TRUE); dir <- args[1]; n <- as.integer(args[2]); draws <- as.integer(args[3]); design <- args[4]
rd <- function(name, what = "double") readBin(file.path(dir, name), what, n = n, size = if (what == "double") 8 else 4)
y <- rd("y.bin"); z <- rd("z.bin"); block <- rd("block.bin", "integer"); cluster <- rd("cluster.bin", "integer")
blocked <- design %in% c("blocked", "block-clustered"); clustered <- design %in% c("clustered", "block-clustered")
if (!blocked) block[] <- 0L
nb <- tabulate(block + 1L); w <- nb / n
if (clustered) {
  zc <- tapply(z, cluster, function(v) v[1]); bc <- tapply(block, cluster, function(v) v[1])
  redraw <- function() { s <- zc; for (b in unique(bc)) { i <- which(bc == b); s[i] <- s[i][sample.int(length(i))] }; s[cluster + 1L] }
} else {
  idx <- split(seq_len(n), block)
  redraw <- function() { s <- z; for (i in idx) s[i] <- s[i][sample.int(length(i))]; s }
}
stat <- function(zz) sum(w * (tapply(y * zz, block, sum) / tapply(zz, block, sum) - tapply(y * (1 - zz), block, sum) / tapply(1 - zz, block, sum)))
set.seed(1)
t <- system.time(for (d in seq_len(draws)) stat(redraw()))
cat(t[["user.self"]] + t[["sys.self"]], "\n")
`;
const rAvailable = spawnSync('Rscript', ['--version']).status === 0;

/** CPU seconds of the base-R loop for DRAWS draws (timed on R_DRAWS and scaled), or null without R. */
function timeR(trial: PreparedTrial, design: RiDesignKind): number | null {
  if (!rAvailable) return null;
  const dir = mkdtempSync(join(tmpdir(), 'trialkit-ri-bench-'));
  try {
    writeFileSync(join(dir, 'y.bin'), new Uint8Array(trial.outcome.values.buffer));
    writeFileSync(join(dir, 'z.bin'), new Uint8Array(Float64Array.from(trial.assignment.values).buffer));
    writeFileSync(join(dir, 'block.bin'), new Uint8Array((trial.blocks?.codes ?? new Int32Array(N)).buffer));
    writeFileSync(join(dir, 'cluster.bin'), new Uint8Array((trial.cluster?.codes ?? Int32Array.from({ length: N }, (_, i) => i)).buffer));
    writeFileSync(join(dir, 'ri.R'), R_SCRIPT);
    const run = spawnSync('Rscript', [join(dir, 'ri.R'), dir, String(N), String(R_DRAWS), design], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`R failed: ${run.stderr}`);
    return (Number(run.stdout.trim()) * DRAWS) / R_DRAWS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[] = ['| case | trialkit (s) | R (s) | ratio |', '|---|---|---|---|'];
for (const design of ['complete', 'blocked', 'clustered', 'block-clustered'] as const) {
  const trial = trialFor(design);
  randomisationInference(trial, { draws: 200, seed: 1, design });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = randomisationInference(trial, { draws: DRAWS, seed: 2026, design });
  const used = process.cpuUsage(cpu);
  const seconds = process.env['TRIALKIT_BENCH_WALL'] === '1' ? (performance.now() - start) / 1000 : (used.user + used.system) / 1e6;
  const r = timeR(trial, design);
  rows.push(
    `| N = ${N.toExponential(0).replace('e+', 'e')}, ${DRAWS.toLocaleString('en-GB')} draws: ${design} (p = ${result.riPValue.toFixed(4)}) | ${seconds.toFixed(2)} | ${r === null ? '—' : r.toFixed(1)} | ${r === null ? '—' : (seconds / r).toFixed(3)} |`,
  );
}
if (rAvailable) rows.push(`(R: base-R sample() + difference in means, ${R_DRAWS.toLocaleString('en-GB')} draws timed and scaled to ${DRAWS.toLocaleString('en-GB')})`);
process.stdout.write(`${rows.join('\n')}\n(load average ${loadavg().map((x) => x.toFixed(1)).join(', ')}; ${process.env['TRIALKIT_BENCH_WALL'] === '1' ? 'wall-clock' : 'CPU'} seconds)\n`);
