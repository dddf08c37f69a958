/**
 * Buckets of a numeric feature: edges at the baseline's quantiles (equal-frequency buckets resolve the CDF where
 * the data is, which equal-width buckets over a skewed income would not), and where a value falls among them.
 * Bucket i holds lower_i ≤ x < upper_i; the last bucket also holds its upper bound (Model Monitor's KLL buckets).
 */

/** Quantile of sorted values, linear between order statistics (numpy's default, so prep.py computes the same). */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/**
 * Edges of at most `buckets` equal-frequency buckets over sorted values: the quantiles at i/buckets, duplicates
 * dropped (a discrete feature with many zeros gets fewer, wider buckets). A constant gives [v, v], one bucket.
 */
export function quantileEdges(sorted: readonly number[], buckets: number): number[] {
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  for (let i = 0; i <= buckets; i += 1) {
    const q = quantileOfSorted(sorted, i / buckets);
    if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
  }
  return edges.length === 1 ? [edges[0]!, edges[0]!] : edges;
}

/**
 * Which of the window's bins a value falls in, for `edges` e0 < … < ek of k baseline buckets: 0 below e0 (underflow),
 * 1 + i for bucket i, k + 1 above ek (overflow). Binary search: O(log k) per value.
 */
export function binIndex(edges: readonly number[], x: number): number {
  const k = edges.length - 1;
  if (x < edges[0]!) return 0;
  if (x > edges[k]!) return k + 1;
  if (x === edges[k]) return k;
  let lo = 0;
  let hi = k - 1;
  // Largest i with edges[i] ≤ x.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Counts of values per bin of `edges` (underflow, each bucket, overflow). */
export function countBins(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of values) counts[binIndex(edges, x)]! += 1;
  return counts;
}
