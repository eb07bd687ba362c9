/** `npm run analysis -w @trialkit/analysis-ips-contamination`: run the IPS contamination analysis and print its summary. */
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import { runIpsAnalysis } from './ips.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const reportPath = fileURLToPath(new URL('../../../reports/ips-contamination.html', import.meta.url));
const clusteredReportPath = fileURLToPath(new URL('../../../reports/ips-contamination-clustered.html', import.meta.url));
const dataDir = fileURLToPath(new URL('../../../datasets/generated/', import.meta.url));
await mkdir(fileURLToPath(new URL('../../../reports/', import.meta.url)), { recursive: true });

try {
  const started = performance.now();
  const result = await runIpsAnalysis({ dataDir, reportPath, clusteredReportPath });
  process.stdout.write(`${result.summary.replaceAll(root, '')}\n`);
  process.stdout.write(`\n  done in ${((performance.now() - started) / 1000).toFixed(1)} s — open ${relative(root, reportPath)} and ${relative(root, clusteredReportPath)} in a browser\n`);
} catch (error) {
  process.stderr.write(`ips-contamination failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
