import { describe, expect, it } from 'vitest';
import { AF_PALETTE, GRID_COLOUR, MUTED_TEXT_COLOUR, PAGE_BACKGROUND, TEXT_COLOUR, contrastRatio, relativeLuminance } from '../src/palette.js';

describe('WCAG contrast (closed forms from the WCAG 2.2 definitions)', () => {
  it('black on white is 21:1, a colour on itself 1:1', () => {
    expect(relativeLuminance('#FFFFFF')).toBe(1);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 12);
    expect(contrastRatio('#12436D', '#12436D')).toBe(1);
  });
  it('mid grey #777777 is just under 4.5:1 on white (a known WCAG borderline)', () => {
    // L = ((0x77/255 + 0.055)/1.055)^2.4 = 0.18447 → (1.05)/(0.23447) = 4.478
    expect(contrastRatio('#777777', '#FFFFFF')).toBeCloseTo(4.478, 3);
  });
  it('refuses anything but #RRGGBB', () => {
    expect(() => relativeLuminance('red')).toThrow(RangeError);
  });
});

describe('the report palette', () => {
  it('is the AF categorical palette in its order', () => {
    expect(AF_PALETTE).toEqual(['#12436D', '#28A197', '#801650', '#F46A25', '#3D3D3D', '#A285D1']);
  });
  it('every mark colour has ≥ 3:1 against the page (SC 1.4.11)', () => {
    for (const colour of AF_PALETTE) expect(contrastRatio(colour, PAGE_BACKGROUND)).toBeGreaterThanOrEqual(3);
  });
  it('neighbouring palette colours have ≥ 3:1 against each other, so adjacent bars stay distinct', () => {
    for (let index = 1; index < AF_PALETTE.length; index++)
      expect(contrastRatio(AF_PALETTE[index - 1]!, AF_PALETTE[index]!)).toBeGreaterThanOrEqual(3);
  });
  it('text colours have ≥ 4.5:1 (SC 1.4.3); grid lines are decorative and deliberately faint', () => {
    expect(contrastRatio(TEXT_COLOUR, PAGE_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(MUTED_TEXT_COLOUR, PAGE_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(GRID_COLOUR, PAGE_BACKGROUND)).toBeLessThan(3);
  });
});
