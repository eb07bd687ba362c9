/**
 * A lock on a trial directory that is safe across processes (Node has no flock).
 *
 * Taking the lock = creating `<dir>/lock` with O_CREAT|O_EXCL (`open(path, 'wx')`), which the kernel makes atomic:
 * exactly one process succeeds. The file holds the owner's pid, host, a random nonce and the time. Releasing =
 * unlinking it, but only if it still holds our nonce.
 *
 * A process killed while holding the lock (kill -9) leaves the file behind. It is stale when its owner is on this
 * host and no longer exists (`process.kill(pid, 0)` fails with ESRCH), or when it is older than `staleMs` (default
 * 10 minutes; an enrolment holds the lock for milliseconds). Breaking a stale lock is itself serialised by a second
 * O_EXCL file, `<dir>/lock.break`: the breaker re-reads the lock under it and unlinks it only if it is still the
 * same stale owner (same nonce), so two waiters can never both break a lock, or break a fresh lock taken in between.
 * A breaker file left by a killed breaker is removed the same way (its owner is gone).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { allocationErrors } from '../errors.js';

export interface LockOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** A lock older than this is stale whatever its owner (default 10 minutes). */
  readonly staleMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  nonce: string;
  time: number;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function readOwner(path: string): Owner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Owner;
    return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? parsed : undefined;
  } catch {
    return undefined; // missing, or being written this instant
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(owner: Owner | undefined, path: string, staleMs: number): boolean {
  if (owner === undefined) {
    // Unreadable or empty: a process died between creating and writing it — stale once it is old enough to be sure.
    try {
      return Date.now() - statSync(path).mtimeMs > 2000;
    } catch {
      return false;
    }
  }
  if (owner.host === hostname() && !processExists(owner.pid)) return true;
  return Date.now() - owner.time > staleMs;
}

/** Create `path` exclusively with our owner record; false if it exists. */
function tryCreate(path: string, owner: Owner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    // No fsync: the lock only matters while its owner lives; after a crash the page cache still holds it, and an
    // empty lock file (power loss) is judged stale by its age.
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

function removeIfOwned(path: string, nonce: string): void {
  const owner = readOwner(path);
  if (owner?.nonce === nonce) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

function tryBreakStale(lockPath: string, staleMs: number, me: Owner): void {
  const breakPath = `${lockPath}.break`;
  if (!tryCreate(breakPath, me)) {
    const breaker = readOwner(breakPath);
    if (isStale(breaker, breakPath, staleMs)) {
      // The breaker died mid-break; remove its file only if it is still that breaker's.
      if (breaker !== undefined) removeIfOwned(breakPath, breaker.nonce);
      else {
        try {
          unlinkSync(breakPath);
        } catch {
          // gone
        }
      }
    }
    return;
  }
  try {
    const owner = readOwner(lockPath);
    if (isStale(owner, lockPath, staleMs)) {
      if (owner !== undefined) removeIfOwned(lockPath, owner.nonce);
      else {
        try {
          unlinkSync(lockPath);
        } catch {
          // gone
        }
      }
    }
  } finally {
    removeIfOwned(breakPath, me.nonce);
  }
}

/** Run `action` holding the directory's lock. */
export function withTrialLock<T>(dir: string, action: () => T, options: LockOptions = {}): T {
  const lockPath = join(dir, 'lock');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 600_000;
  const me: Owner = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString('hex'), time: Date.now() };
  const start = Date.now();
  let attempt = 0;
  for (;;) {
    me.time = Date.now();
    if (tryCreate(lockPath, me)) break;
    const owner = readOwner(lockPath);
    if (isStale(owner, lockPath, staleMs)) tryBreakStale(lockPath, staleMs, me);
    if (Date.now() - start > timeoutMs) throw allocationErrors.lockTimeout(lockPath, timeoutMs);
    attempt++;
    // Back off 1, 2, 4 … up to 16 ms, plus 0–3 ms varied by pid so that waiters do not retry in lock-step (no
    // Math.random in trialkit); polling more often only burns the CPU the lock holder needs.
    sleep(Math.min(16, 2 ** Math.min(attempt, 4)) + ((process.pid + attempt) % 4));
  }
  try {
    return action();
  } finally {
    removeIfOwned(lockPath, me.nonce);
  }
}
