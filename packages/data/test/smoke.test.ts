import { describe, expect, it } from 'vitest';
import { prepareTrial, readData } from '@trialkit/data';
import { tempDir } from './helpers.js';

const files = tempDir();

describe('readData + prepareTrial on a simple file', () => {
  it('reads typed columns and prepares the trial', async () => {
    const path = files.write('simple.csv', 'id,z,y\n1,0,1.5\n2,1,2.5\n3,0,\n4,1,4\n');
    const data = await readData(path);
    expect(data.nRows).toBe(4);
    expect(data.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'number'],
      ['z', 'number'],
      ['y', 'number'],
    ]);
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z' });
    expect(trial.n).toBe(3);
    expect(Array.from(trial.outcome.values)).toEqual([1.5, 2.5, 4]);
    expect(Array.from(trial.assignment.values)).toEqual([0, 1, 1]);
    expect(Array.from(trial.sourceRows)).toEqual([1, 2, 4]);
    expect(trial.missing).toMatchObject({ total: 1, control: 1, treatment: 0, unknownArm: 0 });
    expect(trial.arms).toEqual({ control: '0', treatment: '1' });
  });
});
