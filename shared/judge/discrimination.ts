/**
 * How well a score separates defaulters from the rest: ROC AUC (the Mann–Whitney statistic, ties counted as half
 * through midranks) and the Kolmogorov–Smirnov separation (largest gap between the two classes' score CDFs, what
 * sklearn's `max |TPR − FPR|` over the ROC curve gives). Pure; labels are 1 for the positive class (a default) and
 * 0 otherwise, and a higher score means "more likely positive".
 */

/** The positives' and negatives' counts, refusing inputs on which neither statistic is defined. */
function classCounts(scores: readonly number[], labels: readonly number[]): { positives: number; negatives: number } {
  if (scores.length !== labels.length) throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label !== 0 && label !== 1) throw new RangeError(`label ${label} at ${i} is neither 0 nor 1`);
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`score ${scores[i]} at ${i} is not a finite number`);
    positives += label;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) throw new RangeError('AUC and KS need at least one positive and one negative label');
  return { positives, negatives };
}

/** Indices of `scores` in ascending score order (stable, so the result does not depend on the sort's engine). */
function ascending(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]! || a - b);
}

/**
 * Midranks (1-based) of `scores`: tied scores share the mean of the ranks they span.
 * @example midranks([0.1, 0.4, 0.4, 0.9]) // [1, 2.5, 2.5, 4]
 */
export function midranks(scores: readonly number[]): number[] {
  const order = ascending(scores);
  const ranks = new Array<number>(scores.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * ROC AUC = P(score of a positive > score of a negative) + ½ P(tie), from midranks:
 * (Σ ranks of positives − n₁(n₁+1)/2) / (n₁ n₀).
 * @example auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const { positives, negatives } = classCounts(scores, labels);
  const ranks = midranks(scores);
  let positiveRanks = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positiveRanks += ranks[i]!;
  return (positiveRanks - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * KS = max over thresholds t of |P(score ≥ t | positive) − P(score ≥ t | negative)|, evaluated only between
 * distinct scores (tied scores move together, as on a ROC curve).
 * @example ks([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.5
 */
export function ks(scores: readonly number[], labels: readonly number[]): number {
  const { positives, negatives } = classCounts(scores, labels);
  // Walk from the highest score down, as a ROC curve does: TPR and FPR after each group of tied scores.
  const order = ascending(scores).reverse();
  let truePositives = 0;
  let falsePositives = 0;
  let best = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) truePositives++;
    else falsePositives++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    best = Math.max(best, Math.abs(truePositives / positives - falsePositives / negatives));
  }
  return best;
}
