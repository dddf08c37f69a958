/**
 * L2-regularised logistic regression, trained by Newton's method (iteratively reweighted least squares) on
 * standardised encoded features: deterministic (no random start, no mini-batches), converging in a handful of
 * steps on a few thousand rows. The penalty λ‖β‖²/2 applies to the standardised coefficients, not the intercept,
 * and keeps the Hessian positive definite even though each one-hot group sums to one. The artifact stores the
 * coefficients back in the raw encoded space, so scoring an encoded row is one dot product.
 */
import { solveSpd } from './linear-algebra';
import { seededRandom } from './random';
import { DECISION_THRESHOLD, MODEL_SCHEMA, rawFeatureOf } from './schema';

/** How the training step's code trains (a commit's code may differ: the A/B and gate scenarios use this). */
export interface TrainingOptions {
  /** L2 penalty on the standardised coefficients (default 1). */
  l2?: number;
  /** Raw features this code leaves out (their coefficients are 0): a weaker model. */
  dropFeatures?: readonly string[];
  /** Share (0–0.5) of the training labels flipped before fitting, seeded: a model trained on noisier labels. */
  labelNoise?: number;
  /** Seed of the label noise (default 42, the pipeline's training seed). */
  seed?: number;
}

/** The model artifact (`model.json`): what the twin's endpoints score with. */
export interface LogisticModel {
  kind: 'logistic-regression';
  /** Encoded feature names in model input order. */
  features: string[];
  intercept: number;
  /** Log-odds of a default per unit of each encoded feature (raw scale). */
  coefficients: number[];
  /** A score above this predicts a default. */
  threshold: number;
  training: {
    rows: number;
    iterations: number;
    converged: boolean;
    l2: number;
    droppedFeatures: string[];
    labelNoise: number;
  };
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-9;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Mean and standard deviation of each column (a constant column gets sd 1, so it standardises to 0). */
function columnMoments(rows: readonly (readonly number[])[], width: number): { mean: number[]; sd: number[] } {
  const mean = new Array<number>(width).fill(0);
  const sd = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) mean[j]! += row[j]! / rows.length;
  for (const row of rows) for (let j = 0; j < width; j++) sd[j]! += (row[j]! - mean[j]!) ** 2 / rows.length;
  return { mean, sd: sd.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/**
 * Fits the model on encoded rows (MODEL_SCHEMA.features order) and labels (1 = default).
 * @example
 * const model = trainLogistic(rows, labels, { dropFeatures: ['delinquencies'] });
 */
export function trainLogistic(rows: readonly (readonly number[])[], labels: readonly number[], options: TrainingOptions = {}): LogisticModel {
  const features = MODEL_SCHEMA.features;
  if (rows.length !== labels.length || rows.length === 0) throw new Error(`trainLogistic: ${rows.length} rows and ${labels.length} labels`);
  const l2 = options.l2 ?? 1;
  const dropped = [...(options.dropFeatures ?? [])];
  const used = features.map((_, j) => j).filter((j) => !dropped.includes(rawFeatureOf(features[j]!)));
  const noise = options.labelNoise ?? 0;
  const random = seededRandom(options.seed ?? 42);
  const y = labels.map((l) => (noise > 0 && random.uniform() < noise ? 1 - l : l));

  const { mean, sd } = columnMoments(rows, features.length);
  // Design matrix: intercept, then the used columns standardised.
  const x = rows.map((row) => [1, ...used.map((j) => (row[j]! - mean[j]!) / sd[j]!)]);
  const p = used.length + 1;
  let beta = new Array<number>(p).fill(0);
  let iterations = 0;
  let converged = false;
  while (iterations < MAX_ITERATIONS && !converged) {
    iterations++;
    const gradient = beta.map((b, k) => (k === 0 ? 0 : -l2 * b));
    const hessian = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, k) => (i === k && i > 0 ? l2 : 0)));
    for (let r = 0; r < x.length; r++) {
      const xr = x[r]!;
      const prob = sigmoid(xr.reduce((s, v, k) => s + v * beta[k]!, 0));
      const w = prob * (1 - prob);
      for (let i = 0; i < p; i++) {
        gradient[i]! += xr[i]! * (y[r]! - prob);
        for (let k = 0; k <= i; k++) hessian[i]![k]! += w * xr[i]! * xr[k]!;
      }
    }
    for (let i = 0; i < p; i++) for (let k = 0; k < i; k++) hessian[k]![i] = hessian[i]![k]!;
    const step = solveSpd(hessian, gradient);
    beta = beta.map((b, k) => b + step[k]!);
    converged = Math.max(...step.map(Math.abs)) < TOLERANCE;
  }

  // Back to the raw encoded scale: β_raw = β_std / sd, intercept absorbs the centring.
  const coefficients = new Array<number>(features.length).fill(0);
  let intercept = beta[0]!;
  used.forEach((j, k) => {
    coefficients[j] = beta[k + 1]! / sd[j]!;
    intercept -= (beta[k + 1]! * mean[j]!) / sd[j]!;
  });
  return {
    kind: 'logistic-regression',
    features: [...features],
    intercept,
    coefficients,
    threshold: DECISION_THRESHOLD,
    training: { rows: rows.length, iterations, converged, l2, droppedFeatures: dropped, labelNoise: noise },
  };
}

/** Log-odds of a default for each encoded row. */
export function logOdds(model: Pick<LogisticModel, 'intercept' | 'coefficients'>, rows: readonly (readonly number[])[]): number[] {
  return rows.map((row) => {
    if (row.length !== model.coefficients.length) throw new Error(`A row has ${row.length} columns; the model takes ${model.coefficients.length}`);
    return row.reduce((z, v, j) => z + v * model.coefficients[j]!, model.intercept);
  });
}

/** Probability of a default for each encoded row. */
export function scoreRows(model: Pick<LogisticModel, 'intercept' | 'coefficients'>, rows: readonly (readonly number[])[]): number[] {
  return logOdds(model, rows).map(sigmoid);
}

/**
 * The training step's hyperparameters as lineage records them (CustomerMetadataProperties values: no commas, so
 * dropped features are space-separated).
 */
export function hyperparametersOf(options: TrainingOptions = {}): Record<string, string> {
  return {
    algorithm: 'logistic-regression',
    solver: 'newton-irls',
    l2: String(options.l2 ?? 1),
    max_iterations: String(MAX_ITERATIONS),
    tolerance: String(TOLERANCE),
    standardise: 'true',
    decision_threshold: String(DECISION_THRESHOLD),
    ...(options.dropFeatures?.length ? { dropped_features: options.dropFeatures.join(' ') } : {}),
    ...(options.labelNoise ? { label_noise: String(options.labelNoise), seed: String(options.seed ?? 42) } : {}),
  };
}

/** A model artifact read back (model.json), or undefined when the bytes are not one. */
export function parseModelArtifact(bytes: Uint8Array): LogisticModel | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LogisticModel>;
    const valid = value.kind === 'logistic-regression' && typeof value.intercept === 'number' && Array.isArray(value.coefficients) && value.coefficients.every((c) => typeof c === 'number');
    return valid ? (value as LogisticModel) : undefined;
  } catch {
    return undefined;
  }
}
