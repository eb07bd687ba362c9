import { describe, expect, it } from 'vitest';
import { textWidth } from '../src/font-metrics.js';
import { liberationSansMetrics } from '../src/font-metrics-table.js';

describe('Liberation Sans metrics', () => {
  it('has Arial’s published advance widths (Liberation Sans is metric-compatible with Arial)', () => {
    // Arial / Helvetica AFM: digits 556, space 278, "m" 833, "i" 222, "W" 944 (units of 1/1000 em).
    const widths = liberationSansMetrics.regular.widths as Record<string, number>;
    expect([widths['0'], widths[' '], widths['m'], widths['i'], widths['W']]).toEqual([556, 278, 833, 222, 944]);
    // Helvetica-Bold AFM: "m" 889, "i" 278.
    const bold = liberationSansMetrics.bold.widths as Record<string, number>;
    expect([bold['m'], bold['i']]).toEqual([889, 278]);
  });
  it('sums advances (and kerning) scaled by font size', () => {
    expect(textWidth('000', 10)).toBeCloseTo((3 * 556 * 10) / 1000, 10);
    const kerning = liberationSansMetrics.regular.kerning as Record<string, number>;
    const pair = Object.keys(kerning)[0]!;
    const widths = liberationSansMetrics.regular.widths as Record<string, number>;
    expect(textWidth(pair, 1000)).toBe(widths[pair[0]!]! + widths[pair[1]!]! + kerning[pair]!);
  });
  it('measures bold wider, empty text and zero size as 0, unknown characters as 1 em', () => {
    expect(textWidth('Estimate', 12, 'bold')).toBeGreaterThan(textWidth('Estimate', 12));
    expect(textWidth('Estimate', 12, 700)).toBe(textWidth('Estimate', 12, 'bold'));
    expect(textWidth('', 12)).toBe(0);
    expect(textWidth('abc', 0)).toBe(0);
    expect(textWidth('\u4E2D', 10)).toBe(10);
  });
});
