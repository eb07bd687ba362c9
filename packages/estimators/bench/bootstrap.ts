/**
 * Bootstrap speed (not a test: vitest only runs *.test.ts). Run: npx tsx bench/bootstrap.ts (also part of npm run bench)
 * N = 1e5 rows (TRIALKIT_BOOT_N), 2,000 replicates (TRIALKIT_BOOT_REPS); CPU time of each call via process.cpuUsage.
 * With Rscript and boot installed, the same replicates by R's boot (strata = arm, the statistic a difference in
 * means on the resampled rows; no interval: boot.ci's BCa needs R > n for its regression influence, or n refits for
 * the jackknife) on the same columns, TRIALKIT_BOOT_R_REPS (default 200) replicates timed with system.time and
 * scaled to R, beside trialkit's engine on the same task, as a ratio.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@trialkit/core';
import { bootstrap, bootstrapCi, bootstrapItt, bootstrapRatio } from '../src/bootstrap/index.js';
import { makeTrial } from '../test/bootstrap/helpers.js';

const n = Number(process.env['TRIALKIT_BOOT_N'] ?? 100_000);
const reps = Number(process.env['TRIALKIT_BOOT_REPS'] ?? 2000);
const rng = createRng('bootstrap-bench');
const z = Array.from({ length: n }, (_, i) => i % 2);
const y = z.map((a) => 10 + 2 * a + 3 * (rng.nextDouble() + rng.nextDouble() - 1));
const job = z.map((a) => (rng.nextDouble() < (a === 1 ? 0.5 : 0.3) ? 1 : 0));
const block = z.map((_, i) => `b${Math.floor((i * 20) / n)}`); // 20 blocks of 5,000, both arms in each
const cluster = z.map((_, i) => `c${Math.floor(i / 200) * 2 + (i % 2)}`); // 1,000 clusters of 100, arm constant

function time(label: string, run: () => unknown): number {
  const start = process.cpuUsage();
  const wall = performance.now();
  const out = run();
  const cpu = process.cpuUsage(start);
  const interval = out as { confLow?: number; confHigh?: number };
  const summary = typeof interval.confLow === 'number' && typeof interval.confHigh === 'number' ? ` [${interval.confLow.toFixed(4)}, ${interval.confHigh.toFixed(4)}]` : '';
  const seconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${label.padEnd(58)} ${seconds.toFixed(2)} s CPU, ${((performance.now() - wall) / 1000).toFixed(2)} s wall${summary}`);
  return seconds;
}

/** R boot's CPU seconds for the same ITT with BCa, scaled to `reps` replicates, or null without R and boot. */
function timeR(): number | null {
  if (spawnSync('Rscript', ['-e', 'quit(status = if (requireNamespace("boot", quietly = TRUE)) 0 else 1)']).status !== 0) return null;
  const rReps = Number(process.env['TRIALKIT_BOOT_R_REPS'] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'trialkit-boot-bench-'));
  try {
    writeFileSync(join(dir, 'y.bin'), new Uint8Array(Float64Array.from(y).buffer));
    writeFileSync(join(dir, 'z.bin'), new Uint8Array(Float64Array.from(z).buffer));
    const script = [
      'args <- commandArgs(TRUE); n <- as.integer(args[2]); R <- as.integer(args[3])',
      'y <- readBin(file.path(args[1], "y.bin"), "double", n); z <- readBin(file.path(args[1], "z.bin"), "double", n)',
      'suppressMessages(library(boot)); set.seed(1)',
      '# vectors indexed directly (not data-frame rows): the fast way to write the statistic in R',
      'stat <- function(v, i) { zi <- z[i]; yi <- v[i]; mean(yi[zi == 1]) - mean(yi[zi == 0]) }',
      't <- system.time(b <- boot(y, stat, R = R, strata = z))',
      'cat(t[["user.self"]] + t[["sys.self"]], "\\n")',
    ].join('\n');
    writeFileSync(join(dir, 'boot.R'), script);
    const run = spawnSync('Rscript', [join(dir, 'boot.R'), dir, String(n), String(rReps)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`R failed: ${run.stderr}`);
    return (Number(run.stdout.trim()) * reps) / rReps;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const yf = Float64Array.from(y);
const zf = Float64Array.from(z);
const dim = (rows: Int32Array): number => {
  let s1 = 0, n1 = 0, s0 = 0, n0 = 0;
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j]!;
    if (zf[i] === 1) { s1 += yf[i]!; n1++; } else { s0 += yf[i]!; n0++; }
  }
  return s1 / n1 - s0 / n0;
};

console.log(`N = ${n}, R = ${reps}, node ${process.version}`);
const engine = time('engine: difference in means, rows, within arms (no CI)', () => bootstrap({ n, reps, seed: 1, statistic: dim, strata: Int32Array.from(z) }));
time('engine: difference in means, rows, unstratified (no CI)', () => bootstrap({ n, reps, seed: 1, statistic: dim }));
time('bootstrapItt: rows within arms, BCa (closed-form jackknife)', () => bootstrapItt(makeTrial({ y, z }), { reps, seed: 1 }));
time('bootstrapItt: 20 blocks × arm, BCa', () => bootstrapItt(makeTrial({ y, z, block }), { reps, seed: 1 }));
time('bootstrapItt: 1,000 clusters of 100 within arms, BCa', () => bootstrapItt(makeTrial({ y, z, cluster }), { reps, seed: 1 }));
time('bootstrapRatio: cost per job (two outcomes), BCa', () =>
  bootstrapRatio(makeTrial({ y, z, outcomeName: 'cost', covariates: [{ name: 'job', values: Float64Array.from(job) }] }), { denominator: 'job', reps, seed: 1 }));
const small = 5000;
time(`engine + generic O(n²) jackknife for BCa, n = ${small}`, () =>
  bootstrapCi(bootstrap({ n: small, reps, seed: 1, statistic: dim, strata: Int32Array.from(z.slice(0, small)) })));
const r = timeR();
if (r !== null) {
  console.log(`\n| case | trialkit (s) | R (s) | ratio |\n|---|---|---|---|\n| N = ${n}, ${reps} replicates: difference in means, rows within arms | ${engine.toFixed(2)} | ${r.toFixed(1)} | ${(engine / r).toFixed(3)} |`);
  console.log('(R: boot(strata = arm), timed at TRIALKIT_BOOT_R_REPS replicates and scaled; CPU seconds)');
}
