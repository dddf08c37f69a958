/**
 * Prep: labelled applications → encoded train / validation / test parts (MODEL_SCHEMA.features order, the
 * protected attribute kept beside each row for the fairness analysis, never as a model input).
 */
import { encodeApplication } from '../../../shared/contracts/model-input';
import type { LabelledApplication } from './dataset';
import { MODEL_SCHEMA, SPLIT } from './schema';
import { splitIndices } from './split';

/** Encoded rows of one part, with their labels and protected-attribute values. */
export interface EncodedPart {
  /** The raw applications (what a drift baseline describes). */
  applications: LabelledApplication['features'][];
  rows: number[][];
  labels: (0 | 1)[];
  facets: string[];
}

export interface PreparedData {
  train: EncodedPart;
  validation: EncodedPart;
  test: EncodedPart;
}

/** One application as the model's numeric row. */
export function encodeNumeric(features: LabelledApplication['features']): number[] {
  return encodeApplication(MODEL_SCHEMA, features).map(Number);
}

/** Encodes and splits (stratified by the label, with the pipeline's split seed). */
export function prepare(applications: readonly LabelledApplication[]): PreparedData {
  const parts = splitIndices(
    applications.map((a) => a.label),
    SPLIT,
  );
  const part = (indices: number[]): EncodedPart => ({
    applications: indices.map((i) => applications[i]!.features),
    rows: indices.map((i) => encodeNumeric(applications[i]!.features)),
    labels: indices.map((i) => applications[i]!.label),
    facets: indices.map((i) => applications[i]!.facet),
  });
  return { train: part(parts.train), validation: part(parts.validation), test: part(parts.test) };
}
