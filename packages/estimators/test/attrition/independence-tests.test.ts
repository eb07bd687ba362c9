/**
 * Pearson χ² and Fisher's exact test against R (fixtures/attrition/make-fixtures.R, `tables`): symmetric tables
 * where Fisher's 1e-7 tie tolerance decides which tables count, a zero margin, and a wide support.
 */
import { describe, expect, it } from 'vitest';
import { fisherExact, pearsonChiSquare } from '../../src/attrition/index.js';
import { expectClose } from '../fixtures.js';
import { readAttritionFixture } from './helpers.js';

const { tables } = readAttritionFixture();

describe('2×2 tests of arm × response match R', () => {
  for (const t of tables) {
    const [a, b, c, d] = t.cells;
    const table = { controlNonResponders: a, controlResponders: b, treatmentNonResponders: c, treatmentResponders: d };
    it(`[${t.cells.join(', ')}]`, () => {
      expectClose(fisherExact(table).pValue, t.fisher_p, 1e-8, 1e-15, 'fisher');
      const chi = pearsonChiSquare(table);
      if (t.chisq_statistic === null) {
        expect(chi.statistic).toBeNull();
        expect(chi.pValue).toBeNull();
      } else {
        expectClose(chi.statistic!, t.chisq_statistic, 1e-8, 1e-14, 'X2');
        expectClose(chi.pValue!, t.chisq_p, 1e-8, 1e-15, 'chisq p');
      }
    });
  }

  it('counts both equally likely tails of a symmetric table (R\'s tolerance makes mirror tables count whatever their rounding)', () => {
    const p = fisherExact({ controlNonResponders: 7, controlResponders: 1, treatmentNonResponders: 1, treatmentResponders: 7 }).pValue;
    // Both tails: P(x ≤ 1) + P(x ≥ 7) for Hyper(8, 8, 8) = 2 · (1 + 64) / 12870.
    expect(p).toBeCloseTo((2 * 65) / 12870, 14);
  });
});
