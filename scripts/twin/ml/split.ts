/**
 * Prep's train / validation / test split: stratified by the label (each class shuffled with the seed, then cut by
 * the fractions), so every part keeps the base rate. Rows keep their original order inside each part.
 */
import { seededRandom } from './random';

export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Indices of each part.
 * @example splitIndices([0, 1, 0, 0], { train: 0.5, validation: 0.25, test: 0.25, seed: 1 })
 */
export function splitIndices(labels: readonly number[], fractions: { train: number; validation: number; seed: number }): SplitIndices {
  const random = seededRandom(fractions.seed);
  const parts: SplitIndices = { train: [], validation: [], test: [] };
  for (const cls of [0, 1]) {
    const members = random.shuffle(labels.flatMap((l, i) => (l === cls ? [i] : [])));
    const nTrain = Math.round(members.length * fractions.train);
    const nValidation = Math.round(members.length * fractions.validation);
    parts.train.push(...members.slice(0, nTrain));
    parts.validation.push(...members.slice(nTrain, nTrain + nValidation));
    parts.test.push(...members.slice(nTrain + nValidation));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: parts.train.sort(ascending), validation: parts.validation.sort(ascending), test: parts.test.sort(ascending) };
}
