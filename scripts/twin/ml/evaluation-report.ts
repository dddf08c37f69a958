/**
 * evaluation.json: SageMaker model-quality statistics for a binary classifier (aws-facts §2.2: every metric as
 * `{value, standard_deviation}`, the confusion matrix, ROC and precision-recall curves, the best constant
 * classifier's figures) plus KS, which the pipeline adds. Standard deviations are bootstrap estimates (200
 * resamples, seeded, as evaluate.py does), null below 200 rows, where Model Monitor computes none.
 */
import { auc, ks } from '../../../shared/judge/discrimination';
import { seededRandom } from './random';

interface PointMetrics {
  auc: number;
  ks: number;
  accuracy: number;
  precision: number;
  recall: number;
  f0_5: number;
  f1: number;
  f2: number;
  true_positive_rate: number;
  true_negative_rate: number;
  false_positive_rate: number;
  false_negative_rate: number;
}

const BOOTSTRAP_RESAMPLES = 200;
const MIN_ROWS_FOR_DEVIATION = 200;
const safe = (a: number, b: number) => (b > 0 ? a / b : 0);
const fScore = (beta: number, precision: number, recall: number) => safe((1 + beta * beta) * precision * recall, beta * beta * precision + recall);

function confusion(scores: readonly number[], labels: readonly number[], threshold: number) {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const predicted = s > threshold;
    if (labels[i] === 1) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  });
  return { tp, fp, tn, fn };
}

function pointMetrics(scores: readonly number[], labels: readonly number[], threshold: number): PointMetrics {
  const { tp, fp, tn, fn } = confusion(scores, labels, threshold);
  const precision = safe(tp, tp + fp);
  const recall = safe(tp, tp + fn);
  return {
    auc: auc(scores, labels),
    ks: ks(scores, labels),
    accuracy: safe(tp + tn, labels.length),
    precision,
    recall,
    f0_5: fScore(0.5, precision, recall),
    f1: fScore(1, precision, recall),
    f2: fScore(2, precision, recall),
    true_positive_rate: recall,
    true_negative_rate: safe(tn, tn + fp),
    false_positive_rate: safe(fp, fp + tn),
    false_negative_rate: safe(fn, fn + tp),
  };
}

/** ROC and precision-recall points at every distinct score, from the highest down. */
function curves(scores: readonly number[], labels: readonly number[]) {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  const roc = { false_positive_rates: [0], true_positive_rates: [0] };
  const pr = { precisions: [] as number[], recalls: [] as number[] };
  let tp = 0;
  let fp = 0;
  order.forEach((i, k) => {
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) return;
    roc.false_positive_rates.push(fp / negatives);
    roc.true_positive_rates.push(tp / positives);
    pr.precisions.push(tp / (tp + fp));
    pr.recalls.push(tp / positives);
  });
  return { roc, pr };
}

function standardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

/**
 * The evaluation report of `scores` (probability of a default) against `labels` (1 = default) on the test set.
 * @example
 * const report = evaluationReport(scoreRows(model, test.rows), test.labels, 0.5);
 * report.binary_classification_metrics.auc.value; // e.g. 0.89
 */
export function evaluationReport(scores: readonly number[], labels: readonly number[], threshold: number, seed = 7) {
  const values = pointMetrics(scores, labels, threshold);
  const samples: Record<keyof PointMetrics, number[]> = Object.fromEntries(Object.keys(values).map((k) => [k, []])) as unknown as Record<keyof PointMetrics, number[]>;
  if (labels.length >= MIN_ROWS_FOR_DEVIATION) {
    const random = seededRandom(seed);
    for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
      const idx = labels.map(() => Math.floor(random.uniform() * labels.length));
      const y = idx.map((i) => labels[i]!);
      if (!y.includes(0) || !y.includes(1)) continue;
      const m = pointMetrics(idx.map((i) => scores[i]!), y, threshold);
      for (const key of Object.keys(m) as (keyof PointMetrics)[]) samples[key].push(m[key]);
    }
  }
  const metric = (key: keyof PointMetrics) => ({ value: values[key], standard_deviation: standardDeviation(samples[key]) });
  const { tp, fp, tn, fn } = confusion(scores, labels, threshold);
  const { roc, pr } = curves(scores, labels);
  const baseRate = safe(tp + fn, labels.length);
  // The best constant classifier: always "default" for recall / precision / F-scores, the majority for accuracy.
  const constant = (value: number) => ({ value, standard_deviation: null });
  return {
    version: 0.0,
    dataset: { item_count: labels.length, positive_label: 1, decision_threshold: threshold, base_rate: baseRate },
    binary_classification_metrics: {
      confusion_matrix: { '0': { '0': tn, '1': fp }, '1': { '0': fn, '1': tp } },
      recall: metric('recall'),
      precision: metric('precision'),
      accuracy: metric('accuracy'),
      recall_best_constant_classifier: constant(1),
      precision_best_constant_classifier: constant(baseRate),
      accuracy_best_constant_classifier: constant(Math.max(baseRate, 1 - baseRate)),
      true_positive_rate: metric('true_positive_rate'),
      true_negative_rate: metric('true_negative_rate'),
      false_positive_rate: metric('false_positive_rate'),
      false_negative_rate: metric('false_negative_rate'),
      receiver_operating_characteristic_curve: roc,
      precision_recall_curve: pr,
      auc: metric('auc'),
      f0_5: metric('f0_5'),
      f0_5_best_constant_classifier: constant(fScore(0.5, baseRate, 1)),
      f1: metric('f1'),
      f1_best_constant_classifier: constant(fScore(1, baseRate, 1)),
      f2: metric('f2'),
      f2_best_constant_classifier: constant(fScore(2, baseRate, 1)),
      ks: metric('ks'),
    },
  };
}

export type EvaluationReportJson = ReturnType<typeof evaluationReport>;
