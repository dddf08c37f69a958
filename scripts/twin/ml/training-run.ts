/**
 * The training pipeline's work, step by step, on data in memory: Prep (parse, encode, split), Train (logistic
 * regression), Evaluate (evaluation.json, explainer.json) and Clarify (analysis.json). The pipeline twin runs each
 * at its step's end on the virtual clock; `runTraining` runs them all at once for tests and tools.
 */
import { parseApplications } from './dataset';
import { clarifyAnalysis, type ClarifyAnalysisJson } from './clarify-report';
import { evaluationReport, type EvaluationReportJson } from './evaluation-report';
import { scoreRows, trainLogistic, type LogisticModel, type TrainingOptions } from './logistic';
import { prepare, type PreparedData } from './prepare';
import { DECISION_THRESHOLD, LABEL, PROTECTED_ATTRIBUTE, PROTECTED_VALUES } from './schema';
import { columnMeans, explainerOf, globalShap } from './shap';
import type { Explainer } from '../../../shared/contracts/explainer';

/** Prep: the applications CSV text → encoded parts. @throws DataError when the data cannot be trained on. */
export function prepStep(csvText: string): PreparedData {
  return prepare(parseApplications(csvText));
}

/** Train: the model on the train part. */
export function trainStep(data: PreparedData, options: TrainingOptions = {}): LogisticModel {
  return trainLogistic(data.train.rows, data.train.labels, options);
}

/** Evaluate: model quality on the test part, and the explainer (baseline: the training means). */
export function evaluateStep(data: PreparedData, model: LogisticModel): { evaluation: EvaluationReportJson; explainer: Explainer } {
  const scores = scoreRows(model, data.test.rows);
  return { evaluation: evaluationReport(scores, data.test.labels, DECISION_THRESHOLD), explainer: explainerOf(model, columnMeans(data.train.rows)) };
}

/** Clarify: bias per age group and global SHAP, on the test part (Prep's clarify.csv). */
export function clarifyStep(data: PreparedData, model: LogisticModel): ClarifyAnalysisJson {
  return clarifyAnalysis({
    label: LABEL,
    facet: PROTECTED_ATTRIBUTE,
    facetValues: PROTECTED_VALUES,
    labels: data.test.labels,
    scores: scoreRows(model, data.test.rows),
    facets: data.test.facets,
    threshold: DECISION_THRESHOLD,
    shap: globalShap(model, columnMeans(data.train.rows), data.test.rows),
  });
}

/** Everything one training run produces. */
export interface TrainingRun {
  data: PreparedData;
  model: LogisticModel;
  evaluation: EvaluationReportJson;
  analysis: ClarifyAnalysisJson;
  explainer: Explainer;
}

/**
 * Every step at once.
 * @example
 * const run = runTraining(applicationsToCsvText(syntheticApplications({ seed: 7 })));
 * run.evaluation.binary_classification_metrics.auc.value;
 */
export function runTraining(csvText: string, options: TrainingOptions = {}): TrainingRun {
  const data = prepStep(csvText);
  const model = trainStep(data, options);
  return { data, model, ...evaluateStep(data, model), analysis: clarifyStep(data, model) };
}
