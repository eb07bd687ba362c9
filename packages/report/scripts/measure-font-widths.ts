/// <reference lib="dom" />
/**
 * Measures Liberation Sans (regular and bold) in Chromium once and writes src/font-metrics-table.ts.
 *
 *   Chromium canvas measureText at 1000 px ──► advance width per character (units of 1/1000 em)
 *                                           ──► kerning per adjacent pair = width("ab") − width("a") − width("b")
 *
 * Vega, without the `canvas` package, guesses 0.8 em per character; the table lets chart.ts measure text as the
 * browser will draw it. Liberation Sans is metric-compatible with Arial and Helvetica, so the same table holds
 * where those fonts stand in for it. Run: npx tsx packages/report/scripts/measure-font-widths.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const characters: string[] = [];
for (let code = 32; code <= 126; code++) characters.push(String.fromCharCode(code));
for (let code = 160; code <= 255; code++) characters.push(String.fromCharCode(code));
for (const extra of '\u2013\u2014\u2018\u2019\u201C\u201D\u2026\u2022\u2212\u2264\u2265\u03C4\u03BB\u03B1\u03B2\u20AC\u2009\u202F\u2248\u2260\u2192')
  characters.push(extra);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const measured = await page.evaluate(
  async ({ characters }) => {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d')!;
    const out: Record<string, { widths: Record<string, number>; kerning: Record<string, number>; isLiberation: boolean }> = {};
    for (const weight of ['normal', 'bold']) {
      const fontSpec = `${weight} 1000px "Liberation Sans"`;
      await document.fonts.load(fontSpec);
      const isLiberation = document.fonts.check(fontSpec);
      context.font = fontSpec;
      const widths: Record<string, number> = {};
      for (const character of characters) widths[character] = Math.round(context.measureText(character).width);
      const kerning: Record<string, number> = {};
      const ascii = characters.filter((c) => c.charCodeAt(0) < 127 && c !== ' ');
      for (const first of ascii)
        for (const second of ascii) {
          const pairWidth = Math.round(context.measureText(first + second).width);
          const kern = pairWidth - (widths[first]! + widths[second]!);
          if (kern !== 0) kerning[first + second] = kern;
        }
      out[weight] = { widths, kerning, isLiberation };
    }
    return out;
  },
  { characters },
);
const version = browser.version();
await browser.close();

const target = fileURLToPath(new URL('../src/font-metrics-table.ts', import.meta.url));
const lines = [
  '/**',
  ' * Advance widths of Liberation Sans in 1/1000 em, measured in Chromium ' + version + ' by',
  ' * scripts/measure-font-widths.ts (canvas measureText at 1000 px). Generated: do not edit by hand.',
  ' * `kerning` holds the non-zero pair adjustments between printable ASCII characters.',
  ' */',
  `export const liberationSansMetrics = ${JSON.stringify(
    { regular: { widths: measured['normal']!.widths, kerning: measured['normal']!.kerning }, bold: { widths: measured['bold']!.widths, kerning: measured['bold']!.kerning } },
    null,
    0,
  )} as const;`,
  '',
];
writeFileSync(target, lines.join('\n'));
console.log(
  `wrote ${target}: ${characters.length} characters; kerning pairs regular ${Object.keys(measured['normal']!.kerning).length}, bold ${Object.keys(measured['bold']!.kerning).length}; Liberation available: ${measured['normal']!.isLiberation}`,
);
