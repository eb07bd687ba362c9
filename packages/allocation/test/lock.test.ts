/** The cross-process lock: stale locks (dead owner) are broken, live ones are waited for and time out clearly. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrialkitError } from '@trialkit/core';
import { AllocationErrorCode, enrol, initTrial, withTrialLock } from '../src/index.js';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('withTrialLock', () => {
  it('breaks a lock left by a process that no longer exists', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'trialkit-lock-')), 'trial');
    initTrial({ dir, arms: 'a:1,b:1', scheme: 'simple', seed: 1 });
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), host: hostname(), nonce: 'dead', time: Date.now() }));
    const result = enrol({ dir, id: 'A', lock: { timeoutMs: 5000 } });
    expect(result.seq).toBe(1);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('waits for a live owner and then reports a timeout without writing', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'trialkit-lock-')), 'trial');
    initTrial({ dir, arms: 'a:1,b:1', scheme: 'simple', seed: 1 });
    // Held by this (live) process under another nonce, as a concurrent enrolment would.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'other', time: Date.now() }));
    try {
      enrol({ dir, id: 'A', lock: { timeoutMs: 200 } });
      expect.unreachable();
    } catch (error) {
      expect((error as TrialkitError).code).toBe(AllocationErrorCode.lockTimeout);
    }
    expect(existsSync(join(dir, 'lock'))).toBe(true);
  });

  it('treats a lock older than staleMs as stale even if its owner lives, and releases only its own lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trialkit-lock-'));
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'old', time: Date.now() - 60_000 }));
    expect(withTrialLock(dir, () => 42, { timeoutMs: 2000, staleMs: 30_000 })).toBe(42);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect(() => withTrialLock(dir, () => { throw new Error('inside'); })).toThrow('inside');
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});
