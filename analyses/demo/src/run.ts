/** `npm run demo`: run the demo from the repository root's folders and print its summary. */
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import { runDemo } from './demo.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const reportPath = fileURLToPath(new URL('../../../reports/demo.html', import.meta.url));
const dataDir = fileURLToPath(new URL('../../../datasets/generated/', import.meta.url));
await mkdir(fileURLToPath(new URL('../../../reports/', import.meta.url)), { recursive: true });

try {
  const started = performance.now();
  const result = await runDemo({ dataDir, reportPath });
  process.stdout.write(`${result.summary.replaceAll(root, '')}\n`);
  process.stdout.write(`\n  done in ${((performance.now() - started) / 1000).toFixed(1)} s — open ${relative(root, reportPath)} in a browser\n`);
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
