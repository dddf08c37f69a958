/**
 * Types of a SageMaker pipeline definition (JSON schema version "2020-12-01") as far as creditai-training uses it,
 * with the expression helpers (`Get`, `Std:Join`, `Std:JsonGet`) and the table of properties each step type
 * exposes to `Get` references.
 *
 * Step arguments mirror the SageMaker API requests the pipeline service sends for them, minus the job name it
 * generates: Processing → CreateProcessingJob, Training → CreateTrainingJob, Model → CreateModel, RegisterModel →
 * CreateModelPackage (member names and enums from the API model, aws-models/sagemaker). Any string or number
 * argument may be an expression resolved at run time.
 *
 * Sources: the public pipeline-definition JSON schema (aws-sagemaker-mlops/sagemaker-model-building-pipeline-
 * definition-JSON-schema) and the SageMaker Python SDK's `sagemaker.workflow` serialisation (`Get`, `Std:Join`,
 * `Std:JsonGet`, `PropertyFiles`, `IfSteps`/`ElseSteps` holding whole step definitions).
 */

/** A run-time reference: `Parameters.<name>`, `Execution.<variable>` or `Steps.<step>.<property path>`. */
export interface Get {
  Get: string;
}

/** Values joined with a separator at run time. */
export interface Join {
  'Std:Join': { On: string; Values: Value[] };
}

/** A value read from a property file a processing step wrote (JsonPath). */
export interface JsonGet {
  'Std:JsonGet': { PropertyFile: Get; Path: string };
}

export type Expression = Get | Join | JsonGet;
/** A string argument: literal or resolved at run time. */
export type Str = string | Expression;
/** A numeric argument. */
export type Num = number | Get | JsonGet;
/** Any argument value. */
export type Value = string | number | boolean | Expression;

export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

export interface Parameter {
  /** `^[A-Za-z0-9\-_]{1,64}$`; StartPipelineExecution passes values by this name. */
  Name: string;
  Type: ParameterType;
  /** No default: the value is required when an execution starts. */
  DefaultValue?: string | number | boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Processing (CreateProcessingJob)

export interface ProcessingInput {
  InputName: string;
  AppManaged?: boolean;
  S3Input: {
    S3Uri: Str;
    LocalPath: string;
    S3DataType: 'S3Prefix' | 'ManifestFile';
    S3InputMode: 'File' | 'Pipe';
    S3DataDistributionType: 'FullyReplicated' | 'ShardedByS3Key';
    S3CompressionType: 'None' | 'Gzip';
  };
}

export interface ProcessingOutput {
  OutputName: string;
  AppManaged?: boolean;
  S3Output: { S3Uri: Str; LocalPath: string; S3UploadMode: 'EndOfJob' | 'Continuous' };
}

export interface ProcessingArguments {
  ProcessingResources: { ClusterConfig: { InstanceCount: Num; InstanceType: Str; VolumeSizeInGB: Num; VolumeKmsKeyId?: Str } };
  AppSpecification: { ImageUri: Str; ContainerEntrypoint?: Str[]; ContainerArguments?: Str[] };
  RoleArn: Str;
  ProcessingInputs: ProcessingInput[];
  ProcessingOutputConfig: { Outputs: ProcessingOutput[]; KmsKeyId?: Str };
  StoppingCondition: { MaxRuntimeInSeconds: Num };
  Environment?: Record<string, Str>;
  NetworkConfig?: { EnableNetworkIsolation?: boolean; EnableInterContainerTrafficEncryption?: boolean };
}

/** A JSON file a processing step writes into one of its outputs, readable by `Std:JsonGet`. */
export interface PropertyFile {
  PropertyFileName: string;
  OutputName: string;
  FilePath: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Training (CreateTrainingJob)

export interface Channel {
  ChannelName: string;
  ContentType?: string;
  CompressionType?: 'None' | 'Gzip';
  InputMode?: 'File' | 'Pipe' | 'FastFile';
  DataSource: { S3DataSource: { S3DataType: 'S3Prefix' | 'ManifestFile'; S3Uri: Str; S3DataDistributionType: 'FullyReplicated' | 'ShardedByS3Key' } };
}

export interface TrainingArguments {
  AlgorithmSpecification: { TrainingImage: Str; TrainingInputMode: 'File' | 'Pipe' | 'FastFile' };
  /** Every value a string (the API's HyperParameters map). */
  HyperParameters: Record<string, Str>;
  InputDataConfig: Channel[];
  OutputDataConfig: { S3OutputPath: Str; KmsKeyId?: Str };
  ResourceConfig: { InstanceType: Str; InstanceCount: Num; VolumeSizeInGB: Num; VolumeKmsKeyId?: Str };
  RoleArn: Str;
  StoppingCondition: { MaxRuntimeInSeconds: Num };
  EnableNetworkIsolation?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Model (CreateModel)

export interface ModelArguments {
  ExecutionRoleArn: Str;
  PrimaryContainer: { Image: Str; ModelDataUrl: Str; Environment?: Record<string, Str> };
  EnableNetworkIsolation?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// RegisterModel (CreateModelPackage)

export interface MetricsSource {
  ContentType: string;
  S3Uri: Str;
}

export interface RegisterModelArguments {
  ModelPackageGroupName: Str;
  ModelPackageDescription?: Str;
  ModelApprovalStatus: 'PendingManualApproval' | 'Approved' | 'Rejected';
  InferenceSpecification: {
    Containers: { Image: Str; ModelDataUrl: Str; Environment?: Record<string, Str> }[];
    SupportedContentTypes: string[];
    SupportedResponseMIMETypes: string[];
    SupportedRealtimeInferenceInstanceTypes: string[];
    SupportedTransformInstanceTypes: string[];
  };
  ModelMetrics: {
    ModelQuality?: { Statistics?: MetricsSource; Constraints?: MetricsSource };
    Bias?: { Report?: MetricsSource; PreTrainingReport?: MetricsSource; PostTrainingReport?: MetricsSource };
    Explainability?: { Report?: MetricsSource };
  };
  /** Baselines drift checks compare against; ModelDataQuality.Statistics is Model Monitor's statistics.json. */
  DriftCheckBaselines?: {
    ModelDataQuality?: { Statistics?: MetricsSource; Constraints?: MetricsSource };
  };
  /** 1–50 entries; keys 1–128 and values 1–256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]` (aws-facts §4.2). */
  CustomerMetadataProperties: Record<string, Str>;
  MetadataProperties?: { CommitId?: Str; Repository?: Str; GeneratedBy?: Str; ProjectId?: Str };
}

// ---------------------------------------------------------------------------------------------------------------
// Condition and Fail

export type ComparisonType = 'Equals' | 'NotEquals' | 'GreaterThan' | 'GreaterThanOrEqualTo' | 'LessThan' | 'LessThanOrEqualTo';

/** One comparison; the conditions of a Condition step must all hold (AND). */
export interface Comparison {
  Type: ComparisonType;
  LeftValue: Value;
  RightValue: Value;
}

export interface ConditionArguments {
  Conditions: Comparison[];
  /** Whole step definitions, run when every condition holds. */
  IfSteps: Step[];
  /** Whole step definitions, run otherwise. */
  ElseSteps: Step[];
}

export interface FailArguments {
  ErrorMessage: Str;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

interface StepBase {
  /** `^[A-Za-z0-9\-_]{1,64}$`, unique in the pipeline (nested steps included). */
  Name: string;
  Description?: string;
  /** Explicit ordering on top of the order the step's `Get` references imply. */
  DependsOn?: string[];
}

export interface ProcessingStep extends StepBase {
  Type: 'Processing';
  Arguments: ProcessingArguments;
  PropertyFiles?: PropertyFile[];
}
export interface TrainingStep extends StepBase {
  Type: 'Training';
  Arguments: TrainingArguments;
}
export interface ModelStep extends StepBase {
  Type: 'Model';
  Arguments: ModelArguments;
}
export interface RegisterModelStep extends StepBase {
  Type: 'RegisterModel';
  Arguments: RegisterModelArguments;
}
export interface ConditionStep extends StepBase {
  Type: 'Condition';
  Arguments: ConditionArguments;
}
export interface FailStep extends StepBase {
  Type: 'Fail';
  Arguments: FailArguments;
}

export type Step = ProcessingStep | TrainingStep | ModelStep | RegisterModelStep | ConditionStep | FailStep;
export type StepType = Step['Type'];

export interface PipelineDefinition {
  Version: '2020-12-01';
  Parameters: Parameter[];
  Steps: Step[];
}

// ---------------------------------------------------------------------------------------------------------------
// What `Get` may reference

/** Execution variables every pipeline execution has (`{"Get": "Execution.<name>"}`). */
export const EXECUTION_VARIABLES = ['PipelineExecutionId', 'PipelineExecutionArn', 'PipelineArn', 'PipelineName', 'StartDateTime', 'CurrentDateTime'] as const;
export type ExecutionVariable = (typeof EXECUTION_VARIABLES)[number];

/**
 * Properties a step of each type exposes to `Get` (the Describe* response of what it created, as the SDK's
 * `properties` model it), as patterns over the path after `Steps.<name>.`. `<output>` must name one of the
 * step's ProcessingOutputs, `<file>` one of its PropertyFiles. Only what a reference can sensibly read is listed.
 */
export const STEP_PROPERTIES: Readonly<Record<StepType, readonly string[]>> = {
  Processing: [
    'ProcessingJobName',
    'ProcessingJobArn',
    'ProcessingJobStatus',
    "ProcessingOutputConfig.Outputs['<output>'].S3Output.S3Uri",
    'PropertyFiles.<file>',
  ],
  Training: ['TrainingJobName', 'TrainingJobArn', 'TrainingJobStatus', 'ModelArtifacts.S3ModelArtifacts', 'OutputDataConfig.S3OutputPath'],
  Model: ['ModelName', 'ModelArn'],
  RegisterModel: ['ModelPackageArn', 'ModelPackageName', 'ModelApprovalStatus'],
  Condition: ['Outcome'],
  Fail: [],
};

/** `{ Get: path }`. */
export const get = (path: string): Get => ({ Get: path });

/** A pipeline parameter's value. */
export const param = (name: string): Get => get(`Parameters.${name}`);

/** An execution variable's value. */
export const execution = (name: ExecutionVariable): Get => get(`Execution.${name}`);

/** Values joined at run time; adjacent literals are merged so the JSON stays readable. */
export function join(values: Value[], on = ''): Str {
  const merged: Value[] = [];
  for (const v of values) {
    const last = merged[merged.length - 1];
    if (typeof v === 'string' && typeof last === 'string' && on === '') merged[merged.length - 1] = last + v;
    else merged.push(v);
  }
  if (merged.length === 1 && typeof merged[0] === 'string') return merged[0];
  return { 'Std:Join': { On: on, Values: merged } };
}

/** A value from a step's property file. */
export const jsonGet = (step: string, file: string, path: string): JsonGet => ({
  'Std:JsonGet': { PropertyFile: get(`Steps.${step}.PropertyFiles.${file}`), Path: path },
});

/** The S3 URI of a processing step's output. */
export const outputUri = (step: string, output: string): Get => get(`Steps.${step}.ProcessingOutputConfig.Outputs['${output}'].S3Output.S3Uri`);

/** The model.tar.gz a training step produced. */
export const modelArtifacts = (step: string): Get => get(`Steps.${step}.ModelArtifacts.S3ModelArtifacts`);

/** Type guards over values. */
export const isGet = (v: unknown): v is Get => typeof v === 'object' && v !== null && typeof (v as Get).Get === 'string' && Object.keys(v).length === 1;
export const isJoin = (v: unknown): v is Join => typeof v === 'object' && v !== null && 'Std:Join' in v;
export const isJsonGet = (v: unknown): v is JsonGet => typeof v === 'object' && v !== null && 'Std:JsonGet' in v;
