/**
 * creditai-training, the SageMaker pipeline that trains a credit-scoring model and registers it for the control
 * plane, defined once here: the pipeline definition, the step scripts' configuration (features, split,
 * hyperparameters) and the Clarify analysis configuration all derive from the constants below.
 * `scripts/pipeline/generate.ts` writes them to `pipeline/`; Terraform deploys what it wrote.
 *
 * Steps: Prep → Train → ClarifyModel → Evaluate → Clarify → Gate → Register | Fail.
 * - Prep (scikit-learn image, pipeline/steps/prep.py): validates the applications CSV, one-hot encodes, splits
 *   train/validation/test (seeded, stratified), writes XGBoost CSVs (label first, no header), the test set with
 *   the protected attribute for Clarify, lineage.json (data URI, SHA-256, hyperparameters) and the training
 *   split's baseline statistics.json (Model Monitor layout) for the drift check.
 * - Train: built-in XGBoost, binary:logistic, hyperparameters fixed here.
 * - ClarifyModel: a SageMaker model of the trained artifact, for Clarify's shadow endpoint.
 * - Evaluate (XGBoost image, pipeline/steps/evaluate.py): AUC and KS on the test set → evaluation.json; completes
 *   the Clarify analysis configuration with the run's model name and a SHAP baseline; fits the explainer (a
 *   linear surrogate of the booster in log-odds, with its fidelity) → explainer.json.
 * - Clarify: pre-training CI/DPL, post-training DI/DPPL per age group and Kernel SHAP → analysis.json.
 * - Gate: AUC ≥ MinAuc and every age group's DI within [MinDisparateImpact, MaxDisparateImpact].
 * - Register: a PendingManualApproval model package with its reports, lineage, drift baseline
 *   (DriftCheckBaselines.ModelDataQuality.Statistics) and explainer (`explainer:uri`); Fail otherwise, naming figures.
 *
 * Account-specific values are `${...}` placeholders (PLACEHOLDERS) that Terraform's `templatefile()` fills. The
 * step code is a parameter (CodeUri): a push trains with its own scripts without touching the definition, which
 * stays Terraform's.
 */
import { EXPLAINER_METADATA_KEY } from '../../shared/contracts/explainer';
import {
  execution,
  get,
  join,
  jsonGet,
  modelArtifacts,
  outputUri,
  param,
  type Comparison,
  type Parameter,
  type PipelineDefinition,
  type ProcessingInput,
  type ProcessingOutput,
  type ProcessingStep,
  type PropertyFile,
  type Str,
  type Value,
} from './schema';

/** What the pipeline is called in the README and the control plane's messages; Terraform names it `<name>-training`. */
export const PIPELINE_NAME = 'creditai-training';

/**
 * Placeholders Terraform fills (`templatefile()` variables of terraform/modules/pipeline): nothing else in the
 * definition is account- or region-specific. The data bucket is not one: InputDataUri, the only thing that names
 * it, has no default.
 */
export const PLACEHOLDERS = {
  roleArn: '${role_arn}',
  artifactsBucket: '${artifacts_bucket}',
  kmsKeyArn: '${kms_key_arn}',
  sklearnImage: '${sklearn_image}',
  xgboostImage: '${xgboost_image}',
  clarifyImage: '${clarify_image}',
} as const;

/**
 * Where the steps read and write. The execution role may read exactly these prefixes and write only the
 * executions prefix (terraform/modules/pipeline/main.tf; tests/pipeline checks that they agree).
 */
export const S3_LAYOUT = {
  /**
   * Data bucket: the raw applications CSVs, one folder per model group (`applications/<group>/`, what the build
   * passes as InputDataUri; see groupInputPrefix). The InputDataUri parameter must stay under this prefix.
   */
  inputPrefix: 'applications/',
  /**
   * Artifacts bucket: the step scripts and their configuration, one folder per version of them — `<commit>/`,
   * uploaded by the build of every push (buildspec.yml), and defaultCodePrefix. The CodeUri parameter must stay under it.
   */
  codePrefix: 'pipeline/code/',
  /**
   * Artifacts bucket: the scripts of the last `terraform apply` (pipeline/steps/), the CodeUri default. A folder of
   * its own, not codePrefix itself: a prefix input downloads everything under it, every commit's folder included.
   */
  defaultCodePrefix: 'pipeline/code/default/',
  /** Artifacts bucket: every step output, under `<execution id>/<step>/<output>`. */
  executionsPrefix: 'pipeline/executions/',
} as const;

/** `applications/<group>/`: where a model group's training data goes (the build's InputDataUri for the group). */
export function groupInputPrefix(group: string): string {
  return `${S3_LAYOUT.inputPrefix}${group}/`;
}

/** `pipeline/code/<commit>/`: where the build uploads a commit's step code (the build's CodeUri). */
export function commitCodePrefix(commit: string): string {
  return `${S3_LAYOUT.codePrefix}${commit}/`;
}

/**
 * Files the steps run or read from CodeUri (prep.py and evaluate.py read config.json, evaluate.py
 * analysis_config.json): what Terraform uploads to the default prefix and the build to the commit's.
 */
export const CODE_FILES = ['prep.py', 'evaluate.py', 'config.json', 'analysis_config.json'] as const;

/** The applications data set: columns, categorical vocabularies, the protected attribute and the label. */
export const DATA = {
  label: 'default_90d',
  /** Used only for the fairness analysis, never as a model input. */
  protectedAttribute: 'age_group',
  protectedValues: ['18-25', '26-40', '41-60', '61+'],
  /** The model input the protected attribute's bands are of: production's bias re-check derives it from this. */
  protectedSource: 'age',
  numeric: ['annual_income', 'employment_years', 'age', 'debt_to_income', 'credit_lines', 'delinquencies', 'loan_amount'],
  /** One-hot encoded in this order; a value outside the vocabulary fails the prep step. */
  categorical: {
    home_ownership: ['rent', 'mortgage', 'own', 'other'],
    purpose: ['debt_consolidation', 'credit_card', 'home_improvement', 'car', 'medical', 'education', 'business', 'other'],
  },
  /** Fractions of the rows, stratified by the label, shuffled with the seed. */
  split: { train: 0.7, validation: 0.15, test: 0.15, seed: 20240601 },
} as const;

/** Model inputs in the order of the CSV columns after the label: numeric, then `<column>_<value>` one-hot columns. */
export function encodedFeatures(): string[] {
  return [...DATA.numeric, ...Object.entries(DATA.categorical).flatMap(([column, values]) => values.map((v) => `${column}_${v}`))];
}

/** Built-in XGBoost hyperparameters (all strings, as CreateTrainingJob takes them); registered as lineage too. */
export const HYPERPARAMETERS: Readonly<Record<string, string>> = {
  objective: 'binary:logistic',
  eval_metric: 'auc',
  num_round: '200',
  max_depth: '4',
  eta: '0.1',
  subsample: '0.8',
  colsample_bytree: '0.8',
  min_child_weight: '5',
  seed: '42',
};

/** Bias metrics Clarify computes. DI leads the post-training list: the Gate reads `metrics[0]` of each facet value. */
export const BIAS_METHODS = { preTraining: ['CI', 'DPL'], postTraining: ['DI', 'DPPL'] } as const;

/** Prefix of the shadow endpoints Clarify creates (the execution role may create and delete only these). */
export const CLARIFY_ENDPOINT_PREFIX = 'creditai-clarify';

/** Score above which an application is predicted to default (the approval decision Clarify's DI compares). */
export const DECISION_THRESHOLD = 0.5;

const STEP = {
  prep: 'Prep',
  train: 'Train',
  model: 'ClarifyModel',
  evaluate: 'Evaluate',
  clarify: 'Clarify',
  gate: 'Gate',
  register: 'Register',
  fail: 'Fail',
} as const;

const PROPERTY_FILES = { lineage: 'Lineage', evaluation: 'EvaluationReport', bias: 'BiasReport' } as const;

const PROCESSING = '/opt/ml/processing';
/** Where a processing step finds its code: the CodeUri prefix, downloaded. */
export const CODE_DIR = `${PROCESSING}/input/code`;

/** Pipeline parameters; the three without a default must be passed by whoever starts an execution. */
export const PARAMETERS: Parameter[] = [
  // shared/ingress/pipeline-execution.ts (GROUP_PARAMETER) reads it to know which group to reconcile.
  { Name: 'ModelPackageGroupName', Type: 'String' },
  // No default: a model without its commit would fail the lineage gate anyway, better to refuse to start.
  { Name: 'CommitId', Type: 'String' },
  // No default: every group's data sits under applications/<group>/, so the only possible default, the whole
  // prefix, would train one group's model on every group's data (prep reads every CSV under the URI).
  { Name: 'InputDataUri', Type: 'String' },
  // The step code: a prefix holding CODE_FILES, with its trailing slash. The build passes the pushed commit's
  // (pipeline/code/<commit>/); without it, the scripts of the last terraform apply run.
  { Name: 'CodeUri', Type: 'String', DefaultValue: `s3://${PLACEHOLDERS.artifactsBucket}/${S3_LAYOUT.defaultCodePrefix}` },
  { Name: 'MinAuc', Type: 'Float', DefaultValue: 0.85 },
  { Name: 'MinDisparateImpact', Type: 'Float', DefaultValue: 0.8 },
  { Name: 'MaxDisparateImpact', Type: 'Float', DefaultValue: 1.25 },
  { Name: 'ProcessingInstanceType', Type: 'String', DefaultValue: 'ml.m5.large' },
  { Name: 'TrainingInstanceType', Type: 'String', DefaultValue: 'ml.m5.large' },
  // Why the run was started, recorded with it: `push` from the build, `drift:<report URI>` from the control plane's
  // retraining (shared/reconcile/execute.ts), so the execution itself names the drift report that caused it.
  { Name: 'Trigger', Type: 'String', DefaultValue: 'push' },
];

/** `s3://<artifacts>/pipeline/executions/<execution id>/<step>/<output>`. */
function executionUri(step: string, output: string): Str {
  return join([`s3://${PLACEHOLDERS.artifactsBucket}/${S3_LAYOUT.executionsPrefix}`, execution('PipelineExecutionId'), `/${step}/${output}`]);
}

function input(name: string, source: Str, localPath: string): ProcessingInput {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: { S3Uri: source, LocalPath: localPath, S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' },
  };
}

function output(step: string, name: string, localPath = `${PROCESSING}/output/${name}`): ProcessingOutput {
  return { OutputName: name, AppManaged: false, S3Output: { S3Uri: executionUri(step, name), LocalPath: localPath, S3UploadMode: 'EndOfJob' } };
}

// Every processing step that runs our scripts reads them from CodeUri: the pushed commit's code, or Terraform's.
const codeInput = () => input('code', param('CodeUri'), CODE_DIR);

function processing(spec: {
  name: string;
  description: string;
  image: Str;
  entrypoint?: Str[];
  args?: Str[];
  inputs: ProcessingInput[];
  outputs: ProcessingOutput[];
  propertyFiles?: PropertyFile[];
  maxRuntimeSeconds: number;
  /** No network for our own scripts; Clarify must reach its shadow endpoint. */
  networkIsolation: boolean;
}): ProcessingStep {
  return {
    Name: spec.name,
    Type: 'Processing',
    Description: spec.description,
    Arguments: {
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 1, InstanceType: param('ProcessingInstanceType'), VolumeSizeInGB: 30, VolumeKmsKeyId: PLACEHOLDERS.kmsKeyArn },
      },
      AppSpecification: {
        ImageUri: spec.image,
        ...(spec.entrypoint ? { ContainerEntrypoint: spec.entrypoint } : {}),
        ...(spec.args ? { ContainerArguments: spec.args } : {}),
      },
      RoleArn: PLACEHOLDERS.roleArn,
      ProcessingInputs: spec.inputs,
      ProcessingOutputConfig: { Outputs: spec.outputs, KmsKeyId: PLACEHOLDERS.kmsKeyArn },
      StoppingCondition: { MaxRuntimeInSeconds: spec.maxRuntimeSeconds },
      NetworkConfig: { EnableNetworkIsolation: spec.networkIsolation },
    },
    ...(spec.propertyFiles ? { PropertyFiles: spec.propertyFiles } : {}),
  };
}

/** The JsonPath of an age group's DI in Clarify's analysis.json (`facets.<attribute>[i].metrics[0]`, BIAS_METHODS). */
export function disparateImpactPath(index: number, field: 'value' | 'value_or_threshold' = 'value'): string {
  const facet = `post_training_bias_metrics.facets.${DATA.protectedAttribute}[${index}]`;
  return field === 'value' ? `${facet}.metrics[0].value` : `${facet}.value_or_threshold`;
}

/** JsonPath of the AUC in evaluation.json (shared/contracts/reports.ts `evaluationReportSchema`). */
export const AUC_PATH = 'binary_classification_metrics.auc.value';

/** The pipeline definition, with `${...}` placeholders for Terraform. */
export function pipelineDefinition(): PipelineDefinition {
  const prep = processing({
    name: STEP.prep,
    description: 'Validate the applications CSV, one-hot encode, split train/validation/test, hash the input for lineage.',
    image: PLACEHOLDERS.sklearnImage,
    entrypoint: ['python3', `${CODE_DIR}/prep.py`],
    args: ['--input-uri', param('InputDataUri')],
    inputs: [input('applications', param('InputDataUri'), `${PROCESSING}/input/data`), codeInput()],
    outputs: ['train', 'validation', 'test', 'clarify', 'lineage', 'baseline'].map((o) => output(STEP.prep, o)),
    propertyFiles: [{ PropertyFileName: PROPERTY_FILES.lineage, OutputName: 'lineage', FilePath: 'lineage.json' }],
    maxRuntimeSeconds: 3600,
    networkIsolation: true,
  });

  const channel = (name: 'train' | 'validation') => ({
    ChannelName: name,
    ContentType: 'text/csv',
    CompressionType: 'None' as const,
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: outputUri(STEP.prep, name), S3DataDistributionType: 'FullyReplicated' as const } },
  });

  const train = {
    Name: STEP.train,
    Type: 'Training' as const,
    Description: 'Built-in XGBoost, binary:logistic, on the prep step train/validation CSVs.',
    Arguments: {
      AlgorithmSpecification: { TrainingImage: PLACEHOLDERS.xgboostImage, TrainingInputMode: 'File' as const },
      HyperParameters: { ...HYPERPARAMETERS },
      InputDataConfig: [channel('train'), channel('validation')],
      OutputDataConfig: { S3OutputPath: executionUri(STEP.train, 'model'), KmsKeyId: PLACEHOLDERS.kmsKeyArn },
      ResourceConfig: { InstanceType: param('TrainingInstanceType'), InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: PLACEHOLDERS.kmsKeyArn },
      RoleArn: PLACEHOLDERS.roleArn,
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      EnableNetworkIsolation: true,
    },
  };

  const model = {
    Name: STEP.model,
    Type: 'Model' as const,
    Description: "The trained artifact as a SageMaker model: Clarify's shadow endpoint serves it.",
    Arguments: {
      ExecutionRoleArn: PLACEHOLDERS.roleArn,
      PrimaryContainer: { Image: PLACEHOLDERS.xgboostImage, ModelDataUrl: modelArtifacts(STEP.train) },
      EnableNetworkIsolation: true,
    },
  };

  const evaluate = processing({
    name: STEP.evaluate,
    description: 'AUC and KS of the trained model on the test set; completes the Clarify configuration (model name, SHAP baseline); fits the explainer.',
    image: PLACEHOLDERS.xgboostImage,
    entrypoint: ['python3', `${CODE_DIR}/evaluate.py`],
    args: ['--model-name', get(`Steps.${STEP.model}.ModelName`)],
    inputs: [
      input('model', modelArtifacts(STEP.train), `${PROCESSING}/input/model`),
      input('test', outputUri(STEP.prep, 'test'), `${PROCESSING}/input/test`),
      codeInput(),
      // The explainer's surrogate is fitted on the training split (its means are the SHAP reference point).
      input('train', outputUri(STEP.prep, 'train'), `${PROCESSING}/input/train`),
    ],
    outputs: [output(STEP.evaluate, 'evaluation'), output(STEP.evaluate, 'clarify_config'), output(STEP.evaluate, 'explainer')],
    propertyFiles: [{ PropertyFileName: PROPERTY_FILES.evaluation, OutputName: 'evaluation', FilePath: 'evaluation.json' }],
    maxRuntimeSeconds: 3600,
    networkIsolation: true,
  });

  // The Clarify container's own entrypoint; its input names and paths are fixed by the container.
  const clarify = processing({
    name: STEP.clarify,
    description: 'SageMaker Clarify: pre-training CI/DPL, post-training DI/DPPL per age group, Kernel SHAP.',
    image: PLACEHOLDERS.clarifyImage,
    inputs: [
      input('analysis_config', outputUri(STEP.evaluate, 'clarify_config'), `${PROCESSING}/input/config`),
      input('dataset', outputUri(STEP.prep, 'clarify'), `${PROCESSING}/input/data`),
    ],
    outputs: [output(STEP.clarify, 'analysis_result', `${PROCESSING}/output`)],
    propertyFiles: [{ PropertyFileName: PROPERTY_FILES.bias, OutputName: 'analysis_result', FilePath: 'analysis.json' }],
    maxRuntimeSeconds: 7200,
    networkIsolation: false,
  });

  const auc = jsonGet(STEP.evaluate, PROPERTY_FILES.evaluation, AUC_PATH);
  const groups = DATA.protectedValues.map((_, i) => ({
    di: jsonGet(STEP.clarify, PROPERTY_FILES.bias, disparateImpactPath(i)),
    value: jsonGet(STEP.clarify, PROPERTY_FILES.bias, disparateImpactPath(i, 'value_or_threshold')),
  }));
  const conditions: Comparison[] = [
    { Type: 'GreaterThanOrEqualTo', LeftValue: auc, RightValue: param('MinAuc') },
    ...groups.flatMap(({ di }): Comparison[] => [
      { Type: 'GreaterThanOrEqualTo', LeftValue: di, RightValue: param('MinDisparateImpact') },
      { Type: 'LessThanOrEqualTo', LeftValue: di, RightValue: param('MaxDisparateImpact') },
    ]),
  ];

  const evaluationUri = join([outputUri(STEP.evaluate, 'evaluation'), '/evaluation.json']);
  const analysisUri = join([outputUri(STEP.clarify, 'analysis_result'), '/analysis.json']);
  const statisticsUri = join([outputUri(STEP.prep, 'baseline'), '/statistics.json']);
  const explainerUri = join([outputUri(STEP.evaluate, 'explainer'), '/explainer.json']);
  const register = {
    Name: STEP.register,
    Type: 'RegisterModel' as const,
    Description: 'Register the model package (pending approval) with its reports and lineage for the control plane.',
    Arguments: {
      ModelPackageGroupName: param('ModelPackageGroupName'),
      ModelPackageDescription: join([`${PIPELINE_NAME} execution `, execution('PipelineExecutionId'), ', commit ', param('CommitId')]),
      ModelApprovalStatus: 'PendingManualApproval' as const,
      InferenceSpecification: {
        Containers: [{ Image: PLACEHOLDERS.xgboostImage, ModelDataUrl: modelArtifacts(STEP.train) }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
        SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge', 'ml.m5.2xlarge'],
        SupportedTransformInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
      },
      ModelMetrics: {
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: evaluationUri } },
        Bias: { Report: { ContentType: 'application/json', S3Uri: analysisUri } },
        Explainability: { Report: { ContentType: 'application/json', S3Uri: analysisUri } },
      },
      // The drift check (shared/judge/drift) compares live traffic with the training split's statistics.
      DriftCheckBaselines: { ModelDataQuality: { Statistics: { ContentType: 'application/json', S3Uri: statisticsUri } } },
      CustomerMetadataProperties: { ...lineageProperties(), [EXPLAINER_METADATA_KEY]: explainerUri },
      MetadataProperties: { CommitId: param('CommitId'), GeneratedBy: execution('PipelineExecutionArn') },
    },
  };

  const figures: Value[] = [
    'FailStep reached: the model did not meet the training policy. AUC ',
    auc,
    ' (minimum ',
    param('MinAuc'),
    '); disparate impact by age group (band ',
    param('MinDisparateImpact'),
    ' to ',
    param('MaxDisparateImpact'),
    '):',
    ...groups.flatMap(({ di, value }, i): Value[] => [i === 0 ? ' ' : ', ', value, ' ', di]),
    '.',
  ];
  const fail = { Name: STEP.fail, Type: 'Fail' as const, Description: 'The quality or fairness gate refused the model.', Arguments: { ErrorMessage: join(figures) } };

  const gate = {
    Name: STEP.gate,
    Type: 'Condition' as const,
    Description: 'AUC at least MinAuc and the disparate impact of every age group within [MinDisparateImpact, MaxDisparateImpact].',
    Arguments: { Conditions: conditions, IfSteps: [register], ElseSteps: [fail] },
  };

  return { Version: '2020-12-01', Parameters: PARAMETERS, Steps: [prep, train, model, evaluate, clarify, gate] };
}

/**
 * CustomerMetadataProperties the control plane reads (shared/aws/sagemaker-registry.ts LINEAGE_KEYS): the data
 * URI and hash as Prep recorded them, the commit, one entry per hyperparameter.
 */
function lineageProperties(): Record<string, Str> {
  return {
    'lineage:training-data-uri': jsonGet(STEP.prep, PROPERTY_FILES.lineage, 'training_data_uri'),
    'lineage:training-data-hash': jsonGet(STEP.prep, PROPERTY_FILES.lineage, 'training_data_hash'),
    'lineage:commit': param('CommitId'),
    ...Object.fromEntries(Object.entries(HYPERPARAMETERS).map(([k, v]) => [`hyperparameter:${k}`, v])),
  };
}

/** pipeline/steps/config.json: what prep.py, evaluate.py (and the tests' synthetic.py) read. */
export function stepConfig() {
  return {
    description: 'Generated by scripts/pipeline/generate.ts from scripts/pipeline/definition.ts. Do not edit.',
    label: DATA.label,
    protected_attribute: DATA.protectedAttribute,
    protected_values: DATA.protectedValues,
    protected_source: DATA.protectedSource,
    numeric: DATA.numeric,
    categorical: DATA.categorical,
    features: encodedFeatures(),
    split: DATA.split,
    hyperparameters: HYPERPARAMETERS,
    decision_threshold: DECISION_THRESHOLD,
  };
}

/**
 * pipeline/steps/analysis_config.json: the Clarify analysis configuration, except what only a run knows —
 * `predictor.model_name` (the ClarifyModel step's model) and `methods.shap.baseline`, which evaluate.py adds.
 * The dataset is Prep's clarify.csv: label, model features, protected attribute, no header row.
 */
export function clarifyAnalysisConfig() {
  return {
    version: '1.0',
    dataset_type: 'text/csv',
    headers: [DATA.label, ...encodedFeatures(), DATA.protectedAttribute],
    label: DATA.label,
    // The favourable outcome is "no default": DI compares approval rates.
    label_values_or_threshold: [0],
    facet: [{ name_or_index: DATA.protectedAttribute }],
    // The facet is not a model input: Clarify must not send it to the shadow endpoint.
    excluded_columns: [DATA.protectedAttribute],
    probability_threshold: DECISION_THRESHOLD,
    methods: {
      pre_training_bias: { methods: [...BIAS_METHODS.preTraining] },
      post_training_bias: { methods: [...BIAS_METHODS.postTraining] },
      shap: { num_samples: 100, agg_method: 'mean_abs', use_logit: false, save_local_shap_values: false, seed: 42 },
      report: { name: 'report', title: `${PIPELINE_NAME} bias and explainability` },
    },
    predictor: {
      instance_type: 'ml.m5.large',
      initial_instance_count: 1,
      content_type: 'text/csv',
      accept_type: 'text/csv',
      endpoint_name_prefix: CLARIFY_ENDPOINT_PREFIX,
    },
  };
}
