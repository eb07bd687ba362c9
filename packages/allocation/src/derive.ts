/**
 * Deriving independent random streams from one seed.
 *
 * Every scheme draws from `deriveRng(seed, label)`: the xoshiro256** state (256 bits) is HMAC-SHA256(key = the
 * seed's text, message = label), taken as 64 hex digits (RFC 2104 HMAC; FIPS 180-4 SHA-256). Streams with different
 * labels are independent, and without the seed a stream cannot be predicted from any number of its outputs or from
 * other streams (the pseudo-random-function property of HMAC-SHA256) — this is what conceals live allocations.
 * Labels name the scheme and its version, so a new scheme version never shares draws with an old one.
 *
 * The seed's text: integers (number, bigint, or a string of decimal digits) in decimal without leading zeros;
 * any other string as written (UTF-8).
 */
import { createHmac } from 'node:crypto';
import { Rng, seedToBigInt } from '@trialkit/core';
import type { Seed } from '@trialkit/core';

/** The canonical text of a seed (checked by core's rules: non-negative integer < 2^64 or non-empty text). */
export function seedText(seed: Seed): string {
  const value = seedToBigInt(seed); // throws CORE_BAD_SEED on bad seeds
  if (typeof seed === 'string' && !/^[0-9]+$/.test(seed)) return seed;
  return value.toString(10);
}

/** HMAC-SHA256(seed text, label) as 64 hex digits. */
export function deriveHex(seed: Seed, label: string): string {
  return createHmac('sha256', Buffer.from(seedText(seed), 'utf8')).update(label, 'utf8').digest('hex');
}

/** A generator whose whole state is HMAC-SHA256(seed, label). */
export function deriveRng(seed: Seed, label: string): Rng {
  let hex = deriveHex(seed, label);
  // An all-zero state has probability 2^-256; re-derive rather than fail, deterministically.
  if (/^0+$/.test(hex)) hex = deriveHex(seed, `${label}\u0000`);
  return Rng.fromState(hex);
}
