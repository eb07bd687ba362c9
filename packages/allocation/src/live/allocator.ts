/**
 * The live allocation rule, shared by `enrol` (the next participant) and `verify` (regenerating every logged one).
 * Participants are processed in log order; the rule for participant number `seq` (1-based, all strata) whose
 * stratum label is `stratum` and who is number `stratumSeq` in it:
 *   simple        arm = armOfDraw(deriveRng(seed, "simple-live@1:" + seq).nextInt(R))
 *   block         the stratumSeq-th arm of the stratum's permuted-block stream (schemes/block.ts) — the same arm
 *                 an allocation list with this seed gives the stratumSeq-th participant of that stratum
 *   minimisation  minimisationStep over the counts of everyone before, with minimisationRng(seed, seq)
 *                 (schemes/minimisation.ts) — the same as the list for the same participants in the same order
 * Every draw is a function of the secret seed through HMAC-SHA256, so without the seed the next allocation cannot
 * be predicted from the log, the commitment, or any earlier allocation (beyond what the scheme itself implies, e.g.
 * the last place of a permuted block).
 */
import type { Seed } from '@trialkit/core';
import type { ArmRatio } from '../arms.js';
import { armOfDraw, ratioSum } from '../arms.js';
import { deriveRng } from '../derive.js';
import { BlockStream } from '../schemes/block.js';
import { minimisationRng, minimisationStep } from '../schemes/minimisation.js';
import type { MinimisationDecision } from '../schemes/minimisation.js';
import type { TrialConfig } from './config.js';

export const SIMPLE_LIVE_VERSION = 'simple-live@1';

export interface LiveDecision {
  readonly arm: number;
  readonly minimisation?: MinimisationDecision;
}

export class LiveAllocator {
  private readonly streams = new Map<string, { stream: BlockStream; position: number; last: number }>();
  /** factor → level → counts per arm */
  private readonly counts = new Map<string, Map<string, number[]>>();

  constructor(
    private readonly config: TrialConfig,
    private readonly arms: readonly ArmRatio[],
    private readonly seed: Seed,
  ) {}

  decide(seq: number, stratum: string, stratumSeq: number, inputs: Readonly<Record<string, string>>): LiveDecision {
    switch (this.config.scheme) {
      case 'simple':
        return { arm: armOfDraw(this.arms, deriveRng(this.seed, `${SIMPLE_LIVE_VERSION}:${seq}`).nextInt(ratioSum(this.arms))) };
      case 'block': {
        let entry = this.streams.get(stratum);
        if (entry === undefined || entry.position > stratumSeq) {
          entry = { stream: BlockStream.forStratum(this.seed, stratum, this.arms, this.config.blockSizes ?? []), position: 0, last: -1 };
          this.streams.set(stratum, entry);
        }
        while (entry.position < stratumSeq) {
          entry.last = entry.stream.next();
          entry.position++;
        }
        return { arm: entry.last };
      }
      case 'minimisation': {
        const factors = this.config.factors ?? [];
        const levelCounts = factors.map((f) => this.levelCounts(f.name, inputs[f.name] as string));
        const decision = minimisationStep(
          levelCounts,
          factors.map((f) => f.weight),
          this.arms,
          { imbalance: this.config.imbalance ?? 'range', bestProbability: this.config.bestProbability ?? 0.8 },
          minimisationRng(this.seed, seq),
        );
        return { arm: decision.arm, minimisation: decision };
      }
    }
  }

  /** Start from minimisation counts (factor → level → allocations per arm) kept in the enrolment state. */
  restoreCounts(counts: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>): void {
    for (const [factor, levels] of Object.entries(counts)) {
      for (const [level, perArm] of Object.entries(levels)) {
        const target = this.levelCounts(factor, level);
        for (let k = 0; k < target.length; k++) target[k] = perArm[k] ?? 0;
      }
    }
  }

  /** Record an allocation (in log order) so later decisions see it. */
  observe(inputs: Readonly<Record<string, string>>, arm: number): void {
    if (this.config.scheme !== 'minimisation') return;
    for (const f of this.config.factors ?? []) {
      const counts = this.levelCounts(f.name, inputs[f.name] as string);
      counts[arm] = (counts[arm] as number) + 1;
    }
  }

  private levelCounts(factor: string, level: string): number[] {
    let byLevel = this.counts.get(factor);
    if (byLevel === undefined) {
      byLevel = new Map();
      this.counts.set(factor, byLevel);
    }
    let counts = byLevel.get(level);
    if (counts === undefined) {
      counts = this.arms.map(() => 0);
      byLevel.set(level, counts);
    }
    return counts;
  }
}
