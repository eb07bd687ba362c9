/** Arms and their integer allocation ratios: parsing, checking, and the target probability of each arm. */
import { allocationErrors } from './errors.js';

export interface ArmRatio {
  readonly name: string;
  readonly ratio: number;
}

const ARM_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/**
 * Parse "control:1,treatment:1" or "control:2,ips:1,ips_plus:1" (a name without ":ratio" has ratio 1).
 * Names: letters, digits, `_ . + -`; unique. Ratios: whole numbers ≥ 1.
 */
export function parseArms(text: string): ArmRatio[] {
  if (typeof text !== 'string' || text.trim() === '') throw allocationErrors.badArms(text, 'No arms were given');
  const arms = text.split(',').map((part) => {
    const piece = part.trim();
    const colon = piece.lastIndexOf(':');
    const name = (colon < 0 ? piece : piece.slice(0, colon)).trim();
    const ratioText = colon < 0 ? '1' : piece.slice(colon + 1).trim();
    if (!/^[0-9]+$/.test(ratioText)) throw allocationErrors.badRatio(name, ratioText);
    return { name, ratio: Number(ratioText) };
  });
  return checkArms(arms);
}

/** Check a list of arms (from `parseArms` or given directly) and return it frozen. */
export function checkArms(arms: readonly ArmRatio[] | string): ArmRatio[] {
  if (typeof arms === 'string') return parseArms(arms);
  if (!Array.isArray(arms) || arms.length < 2) {
    throw allocationErrors.badArms(arms, 'A trial needs at least two arms');
  }
  const seen = new Set<string>();
  const out: ArmRatio[] = [];
  for (const arm of arms) {
    const name = arm?.name;
    if (typeof name !== 'string' || !ARM_NAME.test(name)) {
      throw allocationErrors.badArms(name, `The arm name ${JSON.stringify(name)} is empty or has characters other than letters, digits, "_", ".", "+" and "-"`);
    }
    if (seen.has(name)) throw allocationErrors.badArms(name, `The arm "${name}" is named twice`);
    seen.add(name);
    const ratio = arm.ratio;
    if (typeof ratio !== 'number' || !Number.isInteger(ratio) || ratio < 1 || ratio > 1000) {
      throw allocationErrors.badRatio(name, ratio);
    }
    out.push(Object.freeze({ name, ratio }));
  }
  return out;
}

export function ratioSum(arms: readonly ArmRatio[]): number {
  let sum = 0;
  for (const arm of arms) sum += arm.ratio;
  return sum;
}

/** "control:1,treatment:1" — the canonical text of a list of arms (recorded in metadata). */
export function armsToText(arms: readonly ArmRatio[]): string {
  return arms.map((a) => `${a.name}:${a.ratio}`).join(',');
}

/** Index of the arm an integer draw u ∈ [0, ratio sum) falls on, arms laid out in declared order. */
export function armOfDraw(arms: readonly ArmRatio[], draw: number): number {
  let cumulative = 0;
  for (let a = 0; a < arms.length; a++) {
    cumulative += (arms[a] as ArmRatio).ratio;
    if (draw < cumulative) return a;
  }
  return arms.length - 1;
}
