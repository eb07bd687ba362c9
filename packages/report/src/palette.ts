/**
 * Colours. The Government Analysis Function's categorical palette, in its order (afcharts; AF guidance
 * "Data visualisation: colours"), and WCAG 2.2 relative-luminance contrast to check marks (SC 1.4.11, ≥ 3:1 against
 * the background) and text (SC 1.4.3, ≥ 4.5:1) — axe-core cannot see colours inside SVG.
 */
export const AF_PALETTE = ['#12436D', '#28A197', '#801650', '#F46A25', '#3D3D3D', '#A285D1'] as const;

/** Second encodings that go with the palette (SC 1.4.1: colour is never the only cue). */
export const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down'] as const;
export const DASHES: readonly (readonly number[])[] = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4]];

export const PAGE_BACKGROUND = '#FFFFFF';
export const TEXT_COLOUR = '#0B0C0C';
export const MUTED_TEXT_COLOUR = '#505A5F';
export const GRID_COLOUR = '#D9D9D9';

function channel(hex: string, offset: number): number {
  const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  // WCAG 2.2, "relative luminance": sRGB linearisation.
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #RRGGBB colour. */
export function relativeLuminance(hex: string): number {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) throw new RangeError(`not a #RRGGBB colour: ${hex}`);
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter. */
export function contrastRatio(first: string, second: string): number {
  const a = relativeLuminance(first);
  const b = relativeLuminance(second);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
