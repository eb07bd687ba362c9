/**
 * Speed of randomisation inference (issue 7: "10,000 draws at N = 1e5 in under 10 s"):
 *
 *   data: seeded (createRng) N = 1e5 rows, outcome normal + 0.05 effect; complete (half treated), blocked (50
 *         blocks), clustered (2,000 clusters), block-clustered (2,000 clusters in 50 blocks)
 *   trialkit: randomisationInference with 10,000 draws (difference in means), after one untimed warm-up call with
 *             200 draws; CPU seconds (user + system) of the call, as the estimators bench reports, because the shared
 *             2-core machine inflates wall time under load; TRIALKIT_BENCH_WALL=1 for wall-clock seconds
 *   R: no R package is timed here (ri2 is not installed); the column is "—"
 *
 *   npx tsx packages/estimators/bench/randomisation-inference.ts   (TRIALKIT_RI_DRAWS, TRIALKIT_RI_N to change)
 */
import { loadavg } from 'node:os';
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

const rows: string[] = ['| case | trialkit (s) | R (s) | ratio |', '|---|---|---|---|'];
for (const design of ['complete', 'blocked', 'clustered', 'block-clustered'] as const) {
  const trial = trialFor(design);
  randomisationInference(trial, { draws: 200, seed: 1, design });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = randomisationInference(trial, { draws: DRAWS, seed: 2026, design });
  const used = process.cpuUsage(cpu);
  const seconds = process.env['TRIALKIT_BENCH_WALL'] === '1' ? (performance.now() - start) / 1000 : (used.user + used.system) / 1e6;
  rows.push(`| N = ${N.toExponential(0).replace('e+', 'e')}, ${DRAWS.toLocaleString('en-GB')} draws: ${design} (p = ${result.riPValue.toFixed(4)}) | ${seconds.toFixed(2)} | — | — |`);
}
process.stdout.write(`${rows.join('\n')}\n(load average ${loadavg().map((x) => x.toFixed(1)).join(', ')}; ${process.env['TRIALKIT_BENCH_WALL'] === '1' ? 'wall-clock' : 'CPU'} seconds)\n`);
