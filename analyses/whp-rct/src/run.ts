/** `npm run analysis -w @trialkit/analysis-whp-rct`: run the WHP-style RCT analysis and print its summary. */
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import { runWhpRct } from './whp.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const reportPath = fileURLToPath(new URL('../../../reports/whp-rct.html', import.meta.url));
const dataDir = fileURLToPath(new URL('../../../datasets/generated/', import.meta.url));
await mkdir(fileURLToPath(new URL('../../../reports/', import.meta.url)), { recursive: true });

try {
  const started = performance.now();
  const result = await runWhpRct({ dataDir, reportPath });
  process.stdout.write(`${result.summary.replaceAll(root, '')}\n`);
  process.stdout.write(`\n  done in ${((performance.now() - started) / 1000).toFixed(1)} s — open ${relative(root, reportPath)} in a browser\n`);
} catch (error) {
  process.stderr.write(`whp-rct failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
