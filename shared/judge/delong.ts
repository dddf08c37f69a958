/**
 * Paired DeLong test for the difference of two models' ROC AUCs on the same labelled applications (DeLong, DeLong
 * & Clarke-Pearson 1988), with placements from midranks (Sun & Xu 2014), so O(n log n). Scores: higher means more
 * likely to default; label 1 is a default (a "case"), 0 a non-default (a "control").
 */

/** Midranks (1-based; ties share the mean of their ranks) of `values`, in their original order. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]!] === values[order[start]!]) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Per-model placements: for each case the share of controls it outscores, for each control the share of cases outscoring it (ties ½). */
export interface Placements {
  cases: Float64Array;
  controls: Float64Array;
  auc: number;
}

/** Placements of one model's scores, split by label (1 = case). */
export function placements(scores: ArrayLike<number>, labels: ArrayLike<number>): Placements {
  const caseScores: number[] = [];
  const controlScores: number[] = [];
  for (let i = 0; i < scores.length; i += 1) (labels[i] === 1 ? caseScores : controlScores).push(scores[i]!);
  const m = caseScores.length;
  const n = controlScores.length;
  if (m === 0 || n === 0) throw new RangeError(`DeLong needs both defaults and non-defaults (got ${m} and ${n})`);
  const all = midranks([...caseScores, ...controlScores]);
  const withinCases = midranks(caseScores);
  const withinControls = midranks(controlScores);
  const cases = new Float64Array(m);
  const controls = new Float64Array(n);
  // A case's rank among all minus its rank among cases = controls below it (ties ½).
  for (let i = 0; i < m; i += 1) cases[i] = (all[i]! - withinCases[i]!) / n;
  // A control's rank among all minus its rank among controls = cases below it; the rest outscore it.
  for (let j = 0; j < n; j += 1) controls[j] = 1 - (all[m + j]! - withinControls[j]!) / m;
  let sum = 0;
  for (const v of cases) sum += v;
  return { cases, controls, auc: sum / m };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample covariance (n − 1 denominator), as DeLong's estimator uses. */
function covariance(a: Float64Array, b: Float64Array): number {
  const ma = mean(a);
  const mb = mean(b);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i]! - ma) * (b[i]! - mb);
  return a.length > 1 ? sum / (a.length - 1) : 0;
}

export interface DeLongResult {
  cases: number;
  controls: number;
  championAuc: number;
  challengerAuc: number;
  /** AUC_challenger − AUC_champion. */
  difference: number;
  variance: number;
  /** difference / √variance (0 when the variance is 0: the models rank identically). */
  z: number;
  /** The 2×2 covariance components of the case and control placements: the look's sufficient statistics. */
  components: {
    cases: { champion: number; challenger: number; covariance: number };
    controls: { champion: number; challenger: number; covariance: number };
  };
}

/**
 * Var(AUC_B − AUC_A) = [s²(V10_A) + s²(V10_B) − 2cov(V10_A, V10_B)]/m + [same over control placements V01]/n.
 */
export function pairedDeLong(champion: ArrayLike<number>, challenger: ArrayLike<number>, labels: ArrayLike<number>): DeLongResult {
  if (champion.length !== labels.length || challenger.length !== labels.length) {
    throw new RangeError('paired scores need one champion and one challenger score per label');
  }
  const a = placements(champion, labels);
  const b = placements(challenger, labels);
  const casesTerm = { champion: covariance(a.cases, a.cases), challenger: covariance(b.cases, b.cases), covariance: covariance(a.cases, b.cases) };
  const controlsTerm = { champion: covariance(a.controls, a.controls), challenger: covariance(b.controls, b.controls), covariance: covariance(a.controls, b.controls) };
  const m = a.cases.length;
  const n = a.controls.length;
  const variance = Math.max(
    (casesTerm.champion + casesTerm.challenger - 2 * casesTerm.covariance) / m + (controlsTerm.champion + controlsTerm.challenger - 2 * controlsTerm.covariance) / n,
    0,
  );
  const difference = b.auc - a.auc;
  return {
    cases: m,
    controls: n,
    championAuc: a.auc,
    challengerAuc: b.auc,
    difference,
    variance,
    z: variance > 0 ? difference / Math.sqrt(variance) : 0,
    components: { cases: casesTerm, controls: controlsTerm },
  };
}
