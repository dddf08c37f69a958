/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) so every simulation, test and bench run
 * draws the same numbers from the same seed. Not for anything secret.
 */

/** A source of uniform draws in [0, 1). */
export type Random = () => number;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A uniform generator on [0, 1) fully determined by `seed` (any 32-bit integer). */
export function seededRandom(seed: number): Random {
  const seedWord = splitmix32(seed);
  let a = seedWord();
  let b = seedWord();
  let c = seedWord();
  let d = seedWord();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is the one xoshiro cannot leave
  return () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotateLeft(d, 11);
    return result / 4294967296;
  };
}

function rotateLeft(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}
