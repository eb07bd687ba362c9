import { describe, expect, it } from 'vitest';
import { allocate, deriveHex, schemeRedraw } from '../src/index.js';

describe('schemeRedraw', () => {
  const request = { ids: Array.from({ length: 60 }, (_, i) => `P${i}`), strata: Array.from({ length: 60 }, (_, i) => `s${i % 3}`), arms: 'control:1,whp:1', scheme: 'block' as const, blockSizes: [2, 4], seed: 'list' };

  it('redraw r is the scheme re-run with seed deriveHex(seed, "ri:" + r), coded 1 for the treatment arm', () => {
    const redraw = schemeRedraw(request, 'whp', 'ri-seed');
    for (const r of [1, 2, 17]) {
      const out = new Uint8Array(60);
      redraw(r, out);
      const list = allocate({ ...request, seed: deriveHex('ri-seed', `ri:${r}`) });
      expect([...out]).toEqual(list.rows.map((row) => (row.arm === 'whp' ? 1 : 0)));
      // permuted blocks within stratum: each stratum's 20 split 10/10
      for (const s of ['s0', 's1', 's2']) expect(list.rows.filter((row) => row.stratum === s && row.arm === 'whp')).toHaveLength(10);
    }
    const a = new Uint8Array(60);
    const b = new Uint8Array(60);
    redraw(1, a);
    redraw(2, b);
    expect([...a]).not.toEqual([...b]);
  });

  it('refuses a treatment arm the allocation does not have', () => {
    expect(() => schemeRedraw(request, 'ips', 1)).toThrow(/no arm "ips"/);
  });
});
