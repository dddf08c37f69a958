/**
 * A seeded random source for the twin's synthetic data and splits: mulberry32 for uniforms, and the few
 * distributions synthetic.py draws from (normal, gamma, beta, Poisson, a weighted choice), so the same seed gives
 * the same applications on every run and machine. Not numpy's streams: the intent of the distributions is
 * mirrored, not their exact draws.
 */

/** Draws from one seeded stream. */
export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Normal(mean, sd), by Box–Muller. */
  normal(mean: number, sd: number): number;
  /** Gamma(shape, scale), shape ≥ 1 (Marsaglia–Tsang). */
  gamma(shape: number, scale: number): number;
  /** Beta(a, b), a, b ≥ 1, as X / (X + Y) of two gammas. */
  beta(a: number, b: number): number;
  /** Poisson(λ) for the small rates synthetic data uses (Knuth's product of uniforms). */
  poisson(lambda: number): number;
  /** One of `values`, with probabilities `weights` (normalised). */
  choice<T>(values: readonly T[], weights: readonly number[]): T;
  /** `values` shuffled (Fisher–Yates), as a new array. */
  shuffle<T>(values: readonly T[]): T[];
}

/** mulberry32: 32-bit state, full period, plenty for simulations of thousands of rows (and the twin's other draws). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded {@link Random}.
 * @example
 * const random = seededRandom(7);
 * random.gamma(9, 4.6); // the same value on every run
 */
export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  let spare: number | undefined;

  const standardNormal = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    // 1 − u keeps the logarithm finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };

  const gamma = (shape: number, scale: number): number => {
    if (!(shape >= 1)) throw new RangeError(`gamma: shape ${shape} must be at least 1`);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = standardNormal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = next();
      if (Math.log(1 - u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };

  return {
    uniform: next,
    normal: (mean, sd) => mean + sd * standardNormal(),
    gamma,
    beta(a, b) {
      const x = gamma(a, 1);
      return x / (x + gamma(b, 1));
    },
    poisson(lambda) {
      if (!(lambda >= 0) || lambda > 30) throw new RangeError(`poisson: rate ${lambda} outside [0, 30]`);
      const limit = Math.exp(-lambda);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
    choice(values, weights) {
      const total = weights.reduce((s, w) => s + w, 0);
      let u = next() * total;
      for (let i = 0; i < values.length; i++) {
        u -= weights[i]!;
        if (u < 0) return values[i]!;
      }
      return values[values.length - 1]!;
    },
    shuffle(values) {
      const out = [...values];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}
