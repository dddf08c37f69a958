/**
 * The SageMaker Model Card of a version, with the dossier's content: what the model is for, how it was trained
 * (lineage), how it was judged (gates, bias, SHAP, with the hashes of the reports) and how it was approved. Pure.
 *
 * Field names follow the model card JSON schema as the SageMaker Python SDK writes it (sagemaker.model_card:
 * ModelOverview, IntendedUses, TrainingDetails/TrainingJobDetails, EvaluationJob/MetricGroup/Metric,
 * AdditionalInformation, ModelPackage). Limits verified in the CloudFormation reference of AWS::SageMaker::ModelCard:
 * evaluation name ≤ 63 chars, evaluation_observation ≤ 2096, ethical_considerations and caveats_and_recommendations
 * ≤ 2048, metadata and custom_details keys `[a-zA-Z_][a-zA-Z0-9_]*` with values ≤ 1024; the whole content ≤ 100,000
 * chars (CreateModelCard). UNVERIFIED: the limits of the other free-text fields (capped at 1024 here to be safe),
 * and whether the service checks `model_package_details` against the registry.
 */
import type { Dossier } from './dossier';

/** Model card risk ratings (sagemaker.model_card.RiskRatingEnum). */
export type RiskRating = 'High' | 'Medium' | 'Low' | 'Unknown';

/** A metric of a metric group; only `number` metrics are written (MetricTypeEnum.NUMBER). */
interface CardMetric {
  name: string;
  type: 'number';
  value: number;
  notes?: string;
}

export interface ModelCardContent {
  model_overview: {
    model_description: string;
    model_version: number;
    problem_type: string;
    model_creator: string;
  };
  intended_uses: {
    purpose_of_model: string;
    intended_uses: string;
    factors_affecting_model_efficiency: string;
    risk_rating: RiskRating;
    explanations_for_risk_rating: string;
  };
  training_details: {
    objective_function: { function: { function: 'Maximize'; facet: 'AUC'; condition?: string } };
    training_observations: string;
    training_job_details: {
      training_datasets?: string[];
      hyper_parameters?: { name: string; value: string }[];
    };
  };
  evaluation_details: {
    name: string;
    evaluation_observation: string;
    datasets?: string[];
    metadata?: Record<string, string>;
    metric_groups: { name: string; metric_data: CardMetric[] }[];
  }[];
  additional_information: {
    ethical_considerations: string;
    caveats_and_recommendations: string;
    custom_details: Record<string, string>;
  };
  model_package_details: {
    model_package_arn: string;
    model_package_group_name: string;
    model_package_version: number;
  };
}

export interface ModelCardOptions {
  /** What the positive class means (`default_90d`). */
  label?: string;
  /** The protected attribute the fairness gates hold the model against (`age_group`). */
  protectedAttribute?: string;
  riskRating?: RiskRating;
}

/** CreateModelCard's limit on the content string. */
export const MAX_CONTENT_CHARS = 100_000;
const MAX_TEXT = 1024;
const MAX_LONG_TEXT = 2048;
const MAX_OBSERVATION = 2096;
const MAX_EVALUATION_NAME = 63;
const ENTITY_NAME_MAX = 63;

/** Text cut to `max` characters (code points), with an ellipsis when cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A metric group name, as evaluation job names are limited: `.{1,63}`. */
const shortName = (text: string): string => cut(text, MAX_EVALUATION_NAME);

/**
 * The model card's name for a version: `<group>-v<version>`; a group too long for the 63-character limit is cut
 * and a hash of the whole name keeps two long groups apart. Matches EntityName `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
 */
export function modelCardName(group: string, version: number, hash: (text: string) => string): string {
  const name = `${group}-v${version}`;
  if (name.length <= ENTITY_NAME_MAX) return name;
  const suffix = `-${hash(name).slice(0, 8)}-v${version}`;
  return `${group.slice(0, ENTITY_NAME_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
}

function evaluation(d: Dossier): ModelCardContent['evaluation_details'] {
  return d.gates.map((g) => {
    const numeric = g.results.filter((r): r is typeof r & { observed: number } => typeof r.observed === 'number');
    const quality = numeric.filter((r) => r.gate === 'auc' || r.gate === 'ks').map((r) => ({ name: r.gate.toUpperCase(), type: 'number' as const, value: r.observed, ...(r.threshold ? { notes: `threshold ${r.threshold}` } : {}) }));
    const bias = d.bias.map((b) => ({
      name: shortName(`${b.stage} bias ${b.facet}=${b.value}`),
      metric_data: Object.entries(b.metrics)
        .filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
        .map(([name, value]) => ({ name, type: 'number' as const, value })),
    }));
    const shap = d.shap.map((s) => ({ name: shortName(`global SHAP ${s.label}`), metric_data: s.features.map((f) => ({ name: f.feature, type: 'number' as const, value: f.value })) }));
    const failed = g.results.filter((r) => !r.passed).map((r) => r.message);
    return {
      name: shortName(`Gates of v${d.subject.version} (ledger record ${g.sequence})`),
      evaluation_observation: cut(g.passed ? `Passed every gate of the group policy at ${g.at}.` : `Failed at ${g.at}: ${failed.join('; ')}`, MAX_OBSERVATION),
      ...(g.evidence.length > 0
        ? {
            datasets: g.evidence.map((e) => cut(e.uri, MAX_TEXT)),
            metadata: Object.fromEntries(g.evidence.map((e) => [`${e.report}_report_sha256`, e.sha256])),
          }
        : {}),
      metric_groups: [...(quality.length > 0 ? [{ name: 'quality', metric_data: quality }] : []), ...bias, ...shap].filter((m) => m.metric_data.length > 0),
    };
  });
}

function customDetails(d: Dossier): Record<string, string> {
  const approval = d.approvals.filter((a) => a.kind === 'approved').at(-1);
  const entries: [string, string | undefined][] = [
    ['model_package_arn', d.subject.packageArn],
    ['ledger_source', d.sources.ledger],
    ['ledger_verdict', d.ledger.whole ? `whole, ${d.ledger.recordsVerified} records` : `BROKEN at ${d.ledger.break?.key}: ${d.ledger.break?.reason}`],
    ['ledger_head_sha256', d.ledger.head?.sha256],
    ['approved_by', approval?.actor?.arn],
    ['approval_reason', approval?.reason],
    ['approved_at', approval?.at],
    ['training_data_hash', d.lineage.value?.trainingDataHash],
    ['code_commit', d.lineage.value?.commitId],
    ['pipeline_execution', d.lineage.value?.pipelineExecutionArn],
    ['image_digests', d.lineage.value?.imageDigests?.join(' ')],
    ['dossier_generated_at', d.generatedAt],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '').map(([k, v]) => [k, cut(v, MAX_TEXT)]));
}

/** The model card content of the dossier's version. */
export function modelCardContent(d: Dossier, options: ModelCardOptions = {}): ModelCardContent {
  const { label = 'default', protectedAttribute = 'the protected attributes', riskRating = 'High' } = options;
  const lineage = d.lineage.value;
  const minAuc = d.gates.at(-1)?.thresholds?.minAuc;
  const hyper = Object.entries(lineage?.hyperparameters ?? {}).map(([name, value]) => ({ name, value: cut(value, MAX_TEXT) }));
  return {
    model_overview: {
      model_description: cut(`Credit-scoring model ${d.subject.modelGroup}, version ${d.subject.version} (${d.subject.packageArn}), managed by the creditai-mlops control plane.`, MAX_TEXT),
      model_version: d.subject.version,
      problem_type: 'Binary Classification',
      model_creator: 'creditai-mlops training pipeline',
    },
    intended_uses: {
      purpose_of_model: cut(`Estimates the probability of ${label} for a credit application.`, MAX_TEXT),
      intended_uses: cut(`Scoring credit applications of the product ${d.subject.modelGroup} behind the control plane's endpoints, with reason codes from the version's explainer for each adverse decision.`, MAX_TEXT),
      factors_affecting_model_efficiency: 'Shifts in the applicant population (income, employment, debt) away from the training data; the control plane checks drift daily.',
      risk_rating: riskRating,
      explanations_for_risk_rating: 'Credit decisions about consumers are regulated and consequential: fairness, explainability and traceability are required of every version.',
    },
    training_details: {
      objective_function: { function: { function: 'Maximize', facet: 'AUC', ...(minAuc === undefined ? {} : { condition: `AUC >= ${minAuc} on the held-out set` }) } },
      training_observations: cut(
        lineage
          ? `Trained on ${lineage.trainingDataUri ?? 'an unrecorded data set'} (${lineage.trainingDataHash ?? 'no content hash'}) at commit ${lineage.commitId ?? 'unrecorded'}${lineage.pipelineExecutionArn ? ` by ${lineage.pipelineExecutionArn}` : ''}.`
          : 'No lineage is recorded for this version.',
        MAX_TEXT,
      ),
      training_job_details: {
        ...(lineage?.trainingDataUri ? { training_datasets: [cut(lineage.trainingDataUri, MAX_TEXT)] } : {}),
        ...(hyper.length > 0 ? { hyper_parameters: hyper } : {}),
      },
    },
    evaluation_details: evaluation(d),
    additional_information: {
      ethical_considerations: cut(
        `Fairness gates hold every version to disparate impact in the four-fifths band and a |DPPL| limit on ${protectedAttribute}, which is not a model input and never a reason code.`,
        MAX_LONG_TEXT,
      ),
      caveats_and_recommendations: cut(
        `Reason codes come from a linear explainer of the model's log-odds; its fidelity is recorded with it. The audit ledger of ${d.subject.modelGroup} was ${d.ledger.whole ? 'whole' : 'BROKEN'} when this card was written; ${d.sources.note}`,
        MAX_LONG_TEXT,
      ),
      custom_details: customDetails(d),
    },
    model_package_details: { model_package_arn: d.subject.packageArn, model_package_group_name: d.subject.modelGroup, model_package_version: d.subject.version },
  };
}

/**
 * The content as the `Content` string of CreateModelCard/UpdateModelCard: compact JSON (the API's pattern is `.*`,
 * so no line breaks).
 * @throws Error when it is longer than the API's 100,000 characters
 */
export function modelCardContentString(content: ModelCardContent): string {
  // JSON escapes \n and \r but not U+2028/U+2029, which `.*` does not match either.
  const text = JSON.stringify(content).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  if (text.length > MAX_CONTENT_CHARS) throw new Error(`The model card content is ${text.length} characters, over the ${MAX_CONTENT_CHARS} CreateModelCard accepts`);
  return text;
}
