/**
 * Each step's arguments are the request SageMaker Pipelines sends for it (CreateProcessingJob, CreateTrainingJob,
 * CreateModel, CreateModelPackage, minus the name it generates): checked against the AWS API models with run-time
 * expressions replaced by sample values, so an argument SageMaker would refuse (a wrong member name, an enum
 * value, a pattern) fails here rather than at the first execution.
 *
 * The extracted models (aws-models/) hold only the operations the code calls; an operation missing there is
 * reported as skipped with what to do (add it to scripts/aws-models/operations.json, `npm run models:extract`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveValue, stepsOf, type SampleValues } from '../../scripts/pipeline/check';
import { imageUri } from '../../scripts/pipeline/images';
import { isGet, isJoin, isJsonGet, type PipelineDefinition, type Step, type Value } from '../../scripts/pipeline/schema';
import { validateInput } from '../support/aws-model-validator';
import { REPO } from './python';

const definition = JSON.parse(readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8')) as PipelineDefinition;
const extracted = JSON.parse(readFileSync(join(REPO, 'aws-models', 'sagemaker.json'), 'utf8')) as { operations: Record<string, unknown> };

const SAMPLE: SampleValues = {
  placeholders: {
    role_arn: 'arn:aws:iam::123456789012:role/creditai-mlops-dev-training-exec',
    artifacts_bucket: 'creditai-mlops-dev-artifacts-123456789012',
    kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    sklearn_image: imageUri('sklearn', 'eu-west-1'),
    xgboost_image: imageUri('xgboost', 'eu-west-1'),
    clarify_image: imageUri('clarify', 'eu-west-1'),
  },
  execution: { PipelineExecutionId: 'k3xz9q1m2abc', PipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/creditai-mlops-dev-training/execution/k3xz9q1m2abc' },
  trainingJobName: 'pipelines-k3xz9q1m2abc-Train-AbCdEf1234',
  parameters: {
    ModelPackageGroupName: 'credit-risk-retail',
    CommitId: '3f2c9a1e7b5d4c8a9e0f1a2b3c4d5e6f7a8b9c0d',
    InputDataUri: 's3://creditai-mlops-dev-data-123456789012/applications/credit-risk-retail/',
    CodeUri: 's3://creditai-mlops-dev-artifacts-123456789012/pipeline/code/3f2c9a1e7b5d4c8a9e0f1a2b3c4d5e6f7a8b9c0d/',
  },
};

/** Values only a run knows (model names, property-file reads), as plausible samples. */
const RUN_TIME: Record<string, string> = {
  'Steps.ClarifyModel.ModelName': 'pipelines-k3xz9q1m2abc-ClarifyModel-x1y2z3',
  training_data_uri: 's3://creditai-mlops-dev-data-123456789012/applications/credit-risk-retail/',
  training_data_hash: 'sha256:e85d268fc985bc5797dfc073a3977cbb0d545f71e2394258cb70b91ebba324ab',
};

/** The arguments with every expression replaced by the string (or number) it becomes at run time. */
function materialise(value: unknown): unknown {
  if (isGet(value) || isJoin(value) || isJsonGet(value)) {
    if (isJsonGet(value)) return RUN_TIME[value['Std:JsonGet'].Path] ?? '0.9';
    if (isGet(value) && value.Get in RUN_TIME) return RUN_TIME[value.Get];
    return resolveValue(definition, value as Value, SAMPLE);
  }
  // Plain strings may hold ${...} placeholders Terraform fills.
  if (typeof value === 'string') return resolveValue(definition, value, SAMPLE);
  if (Array.isArray(value)) return value.map(materialise);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v)]));
  return value;
}

/** Step type → the API operation, and the name member the pipeline fills in. */
const OPERATIONS: Partial<Record<Step['Type'], { operation: string; name?: Record<string, string> }>> = {
  Processing: { operation: 'CreateProcessingJob', name: { ProcessingJobName: 'pipelines-k3xz9q1m2abc-Step-x1y2z3' } },
  Training: { operation: 'CreateTrainingJob', name: { TrainingJobName: SAMPLE.trainingJobName } },
  Model: { operation: 'CreateModel', name: { ModelName: RUN_TIME['Steps.ClarifyModel.ModelName']! } },
  RegisterModel: { operation: 'CreateModelPackage' },
};

const cases = stepsOf(definition)
  .map(({ step }) => ({ step, spec: OPERATIONS[step.Type] }))
  .filter((c): c is { step: Step; spec: NonNullable<(typeof OPERATIONS)[Step['Type']]> } => c.spec !== undefined);

describe('Pipeline definition: step arguments against the SageMaker API model', () => {
  it('covers every step that calls an API', () => {
    expect(cases.map((c) => c.step.Name)).toEqual(['Prep', 'Train', 'ClarifyModel', 'Evaluate', 'Clarify', 'Register']);
  });

  for (const { step, spec } of cases) {
    const available = spec.operation in extracted.operations;
    if (!available) {
      it.skip(`${step.Name} as ${spec.operation} (skipped: not in aws-models/sagemaker.json; add it to scripts/aws-models/operations.json and run npm run models:extract)`, () => undefined);
      continue;
    }
    it(`${step.Name} is a valid ${spec.operation} request`, () => {
      const request = { ...(materialise(step.Arguments) as object), ...spec.name };
      expect(validateInput('sagemaker', spec.operation, request)).toEqual([]);
    });
  }
});
