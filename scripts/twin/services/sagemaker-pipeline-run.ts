/**
 * A run of the creditai-training pipeline in the twin, step by step on the virtual clock, as
 * scripts/pipeline/definition.ts defines it: Prep → Train → ClarifyModel → Evaluate → Clarify → Gate → Register |
 * Fail. Each step does its real work at its end (scripts/twin/ml: parse and split the applications read from S3,
 * train a logistic regression, compute AUC/KS, bias and SHAP), writes its outputs under
 * `s3://<artifacts>/pipeline/executions/<id>/<step>/<output>/`, and the Gate fails the execution with the Fail
 * step's figures, or Register creates the model package with its reports and lineage, as the real pipeline does.
 */
import { createHash } from 'node:crypto';
import type { DriftCheckBaselines, PipelineExecutionStatus, PipelineExecutionStepMetadata, StepStatus } from '@aws-sdk/client-sagemaker';
import { EXPLAINER_METADATA_KEY } from '../../../shared/contracts/explainer';
import { PARAMETERS, PIPELINE_NAME, S3_LAYOUT } from '../../pipeline/definition';
import { DataError, parseApplications, type LabelledApplication } from '../ml/dataset';
import { hyperparametersOf, type LogisticModel, type TrainingOptions } from '../ml/logistic';
import { prepare, type PreparedData } from '../ml/prepare';
import { clarifyStep, evaluateStep, trainStep } from '../ml/training-run';
import type { ServiceContext } from '../core/types';
import { resourceNotFound, validationError } from './sagemaker-common';
import { parseS3Uri, type PipelineStorage, type RolePermissions } from './sagemaker-pipeline-storage';
import type { PackageSeed } from './sagemaker-registry';

/** How the pipelines part lets a run move its execution along. */
export interface ExecutionControl {
  startStep(ctx: ServiceContext, executionArn: string, name: string): void;
  endStep(ctx: ServiceContext, executionArn: string, name: string, outcome: { status: StepStatus; failureReason?: string; metadata?: PipelineExecutionStepMetadata }): void;
  finish(ctx: ServiceContext, executionArn: string, status: PipelineExecutionStatus, failureReason?: string): void;
}

/** What StartPipelineExecution hands a started execution to. */
export interface PipelineRunner {
  /** The execution's parameters, defaults filled in; throws as SageMaker refuses a bad start. */
  resolveParameters(pipelineName: string, given: readonly { Name?: string; Value?: string }[]): Record<string, string>;
  /** Schedules the execution's steps on the virtual clock. */
  run(ctx: ServiceContext, executionArn: string, parameters: Record<string, string>, control: ExecutionControl): void;
}

/** Virtual duration of each step, in milliseconds. */
export interface StepTimings {
  prep: number;
  train: number;
  model: number;
  evaluate: number;
  clarify: number;
  gate: number;
  register: number;
  fail: number;
}

/** Processing a few thousand rows takes minutes, training ~10 min, Clarify's shadow endpoint ~12 min. */
export const DEFAULT_STEP_TIMINGS: StepTimings = {
  prep: 4 * 60_000,
  train: 10 * 60_000,
  model: 20_000,
  evaluate: 3 * 60_000,
  clarify: 12 * 60_000,
  gate: 5_000,
  register: 10_000,
  fail: 1_000,
};

/**
 * The place for the drift baseline (Model Monitor `statistics.json`, optionally `constraints.json`) built from the
 * training split's raw applications. When given, Prep writes them under `Prep/baseline/` and Register records them
 * as the package's DriftCheckBaselines.ModelDataQuality.
 */
export type DriftBaselineBuilder = (training: PreparedData['train']['applications']) => { statistics: unknown; constraints?: unknown };

export interface PipelineRunnerOptions {
  storage: PipelineStorage;
  /** Creates the model package (the registry's registerPackage). */
  register(ctx: ServiceContext, group: string, seed: PackageSeed): string;
  permissions: RolePermissions;
  /** How the step code of a commit trains a group (default: the full model). */
  codeBehaviour(commitId: string, group: string): TrainingOptions;
  timings?: Partial<StepTimings>;
  /** The artifacts bucket (Terraform's `${artifacts_bucket}`); default `creditai-artifacts`. */
  artifactsBucket?: string;
  driftBaseline?: DriftBaselineBuilder;
}

/** The execution role's name (terraform/modules/pipeline: `<name>-training-exec`). */
export const PIPELINE_ROLE_NAME = 'creditai-mlops-training-exec';

/** A step failed with SageMaker's FailureReason text. */
class StepFailure extends Error {}

/** Everything a run carries from one step to the next. */
interface RunState {
  applications?: LabelledApplication[];
  data?: PreparedData;
  dataHash?: string;
  model?: LogisticModel;
  baselineUris?: { statistics: string; constraints?: string };
  auc?: number;
  disparateImpacts?: { value: string; di: number | null }[];
}

const JSON_TYPE = 'application/json';

/** sha256:<hex> of the data as Prep records it: one file's hash, or the hash of the `sha256sum` listing of several. */
function dataHashOf(files: { path: string; bytes: Uint8Array }[]): string {
  const hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
  if (files.length === 1) return `sha256:${hex(files[0]!.bytes)}`;
  return `sha256:${hex(files.map((f) => `${hex(f.bytes)}  ${f.path}\n`).join(''))}`;
}

/**
 * The runner of creditai-training.
 * @example
 * const runner = createPipelineRunner({ storage: s3PipelineStorage(s3), register, permissions, codeBehaviour: () => ({}) });
 */
export function createPipelineRunner(options: PipelineRunnerOptions): PipelineRunner {
  const timings = { ...DEFAULT_STEP_TIMINGS, ...options.timings };
  const bucket = options.artifactsBucket ?? 'creditai-artifacts';
  const declared = new Map(PARAMETERS.map((p) => [p.Name, p]));

  function resolveParameters(pipelineName: string, given: readonly { Name?: string; Value?: string }[]): Record<string, string> {
    // UNVERIFIED wording; the error is the modelled ResourceNotFound (aws-facts §4.9).
    if (pipelineName.toLowerCase() !== PIPELINE_NAME) throw resourceNotFound(`Pipeline '${pipelineName}' does not exist.`);
    const values: Record<string, string> = {};
    for (const p of given) {
      const spec = declared.get(p.Name ?? '');
      // UNVERIFIED wording: "names must exist in the definition" (aws-facts §4.9).
      if (!spec) throw validationError(`Parameter '${p.Name}' is not defined in the pipeline definition.`);
      if (spec.Type === 'Float' && !Number.isFinite(Number(p.Value))) throw validationError(`Parameter '${p.Name}' value '${p.Value}' is not a Float.`);
      values[p.Name!] = p.Value ?? '';
    }
    for (const spec of PARAMETERS) {
      if (values[spec.Name] !== undefined) continue;
      if (spec.DefaultValue === undefined) throw validationError(`Parameter '${spec.Name}' has no default value and must be provided.`);
      values[spec.Name] = String(spec.DefaultValue).replace('${artifacts_bucket}', bucket);
    }
    return values;
  }

  function run(ctx: ServiceContext, executionArn: string, parameters: Record<string, string>, control: ExecutionControl): void {
    const id = executionArn.split('/').pop()!;
    const group = parameters.ModelPackageGroupName!;
    const commit = parameters.CommitId!;
    const training = options.codeBehaviour(commit, group);
    const roleSession = `arn:aws:sts::${ctx.account}:assumed-role/${PIPELINE_ROLE_NAME}/SageMaker`;
    const uri = (step: string, output: string, file: string) => `s3://${bucket}/${S3_LAYOUT.executionsPrefix}${id}/${step}/${output}/${file}`;
    const jobArn = (kind: string, step: string) =>
      `arn:aws:sagemaker:${ctx.region}:${ctx.account}:${kind}/pipelines-${id}-${step.toLowerCase()}-${createHash('sha1').update(`${id}/${step}`).digest('hex').slice(0, 10)}`;
    const state: RunState = {};
    const put = (target: string, value: unknown) => options.storage.put(ctx, target, JSON.stringify(value, null, 2), JSON_TYPE);
    const urisOf = {
      model: uri('Train', 'model', 'model.json'),
      evaluation: uri('Evaluate', 'evaluation', 'evaluation.json'),
      explainer: uri('Evaluate', 'explainer', 'explainer.json'),
      analysis: uri('Clarify', 'analysis_result', 'analysis.json'),
    };

    async function readInput(): Promise<{ path: string; bytes: Uint8Array }[]> {
      const input = parameters.InputDataUri!;
      let objects: string[] = [];
      try {
        objects = (await options.storage.list(ctx, input)).filter((o) => o.endsWith('.csv'));
      } catch {
        objects = [];
      }
      if (objects.length === 0) {
        // UNVERIFIED wording, after the message SageMaker jobs give for an empty S3Prefix input.
        const { bucket: dataBucket } = parseS3Uri(input);
        throw new StepFailure(
          `ClientError: No S3 objects found under S3 URL "${input}" given in input data source. Please ensure that the bucket exists in the selected region (${ctx.region}), that objects exist under that S3 prefix, and that the role arn:aws:iam::${ctx.account}:role/${PIPELINE_ROLE_NAME} has "s3:ListBucket" permissions on bucket "${dataBucket}".`,
        );
      }
      const files: { path: string; bytes: Uint8Array }[] = [];
      for (const object of objects) {
        if (!options.permissions.allows('s3:GetObject', object)) {
          const { bucket: b, key } = parseS3Uri(object);
          // The processing container's download error with S3's AccessDenied text (which names the principal, the
          // action and the resource): what shared/lifecycle/pipeline-failure.ts diagnoses. UNVERIFIED framing.
          throw new StepFailure(
            `ClientError: Failed to download data. AccessDenied (403): User: ${roleSession} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${b}/${key}" because no identity-based policy allows the s3:GetObject action`,
          );
        }
        files.push({ path: object.slice(input.length).replace(/^\//, '') || object.split('/').pop()!, bytes: await options.storage.get(ctx, object) });
      }
      return files;
    }

    const steps: Record<string, { ms: number; metadata: PipelineExecutionStepMetadata; work: () => Promise<string | void> }> = {
      Prep: {
        ms: timings.prep,
        metadata: { ProcessingJob: { Arn: jobArn('processing-job', 'Prep') } },
        async work() {
          const files = await readInput();
          try {
            state.applications = files.flatMap((f) => parseApplications(new TextDecoder().decode(f.bytes)));
          } catch (error) {
            if (error instanceof DataError) throw new StepFailure(`AlgorithmError: See job logs for more information. DataError: ${error.message}`);
            throw error;
          }
          state.data = prepare(state.applications);
          state.dataHash = dataHashOf(files);
          await put(uri('Prep', 'lineage', 'lineage.json'), {
            training_data_uri: parameters.InputDataUri,
            training_data_hash: state.dataHash,
            files: files.map((f) => f.path),
            hyperparameters: hyperparametersOf(training),
            rows: { total: state.applications.length, train: state.data.train.rows.length, validation: state.data.validation.rows.length, test: state.data.test.rows.length },
          });
          if (options.driftBaseline) {
            const baseline = options.driftBaseline(state.data.train.applications);
            state.baselineUris = { statistics: uri('Prep', 'baseline', 'statistics.json') };
            await put(state.baselineUris.statistics, baseline.statistics);
            if (baseline.constraints !== undefined) {
              state.baselineUris.constraints = uri('Prep', 'baseline', 'constraints.json');
              await put(state.baselineUris.constraints, baseline.constraints);
            }
          }
        },
      },
      Train: {
        ms: timings.train,
        metadata: { TrainingJob: { Arn: jobArn('training-job', 'Train') } },
        async work() {
          state.model = trainStep(state.data!, training);
          await put(urisOf.model, state.model);
        },
      },
      ClarifyModel: {
        ms: timings.model,
        metadata: { Model: { Arn: `arn:aws:sagemaker:${ctx.region}:${ctx.account}:model/pipelines-${id}-clarifymodel` } },
        async work() {},
      },
      Evaluate: {
        ms: timings.evaluate,
        metadata: { ProcessingJob: { Arn: jobArn('processing-job', 'Evaluate') } },
        async work() {
          const { evaluation, explainer } = evaluateStep(state.data!, state.model!);
          state.auc = evaluation.binary_classification_metrics.auc.value;
          await put(urisOf.evaluation, evaluation);
          await put(urisOf.explainer, explainer);
        },
      },
      Clarify: {
        ms: timings.clarify,
        metadata: { ProcessingJob: { Arn: jobArn('processing-job', 'Clarify') } },
        async work() {
          const analysis = clarifyStep(state.data!, state.model!);
          state.disparateImpacts = (analysis.post_training_bias_metrics.facets.age_group ?? []).map((f) => ({ value: f.value_or_threshold, di: f.metrics[0]!.value }));
          await put(urisOf.analysis, analysis);
        },
      },
      Register: {
        ms: timings.register,
        metadata: {},
        async work() {
          const drift: DriftCheckBaselines | undefined = state.baselineUris
            ? {
                ModelDataQuality: {
                  Statistics: { ContentType: JSON_TYPE, S3Uri: state.baselineUris.statistics },
                  ...(state.baselineUris.constraints ? { Constraints: { ContentType: JSON_TYPE, S3Uri: state.baselineUris.constraints } } : {}),
                },
              }
            : undefined;
          const arn = options.register(ctx, group, {
            description: `${PIPELINE_NAME} execution ${id}, commit ${commit}`,
            reports: { evaluation: urisOf.evaluation, bias: urisOf.analysis, explainability: urisOf.analysis },
            lineage: { trainingDataUri: parameters.InputDataUri, trainingDataHash: state.dataHash, commitId: commit, pipelineExecutionArn: executionArn, hyperparameters: hyperparametersOf(training) },
            customerMetadata: { [EXPLAINER_METADATA_KEY]: urisOf.explainer },
            inference: { modelDataUrl: urisOf.model },
            principal: roleSession,
            ...(drift ? { driftCheckBaselines: drift } : {}),
          });
          steps.Register!.metadata = { RegisterModel: { Arn: arn } };
        },
      },
    };

    /** The Gate's conditions, as definition.ts writes them: AUC ≥ MinAuc, every DI within the band. */
    function gatePasses(): boolean {
      const [min, max] = [Number(parameters.MinDisparateImpact), Number(parameters.MaxDisparateImpact)];
      const diOk = (state.disparateImpacts ?? []).every(({ di }) => di !== null && di >= min && di <= max);
      return state.auc !== undefined && state.auc >= Number(parameters.MinAuc) && diOk;
    }

    /** The Fail step's ErrorMessage: definition.ts's text with this run's figures. */
    function failMessage(): string {
      const groups = (state.disparateImpacts ?? []).map(({ value, di }, i) => `${i === 0 ? ' ' : ', '}${value} ${di}`).join('');
      return `FailStep reached: the model did not meet the training policy. AUC ${state.auc} (minimum ${parameters.MinAuc}); disparate impact by age group (band ${parameters.MinDisparateImpact} to ${parameters.MaxDisparateImpact}):${groups}.`;
    }

    const fail = (name: string, reason: string) => {
      control.endStep(ctx, executionArn, name, { status: 'Failed', failureReason: reason, metadata: steps[name]?.metadata });
      // UNVERIFIED wording of DescribePipelineExecution.FailureReason for a failed step; the control plane reads the step's.
      control.finish(ctx, executionArn, 'Failed', 'Step failure: One or multiple steps failed.');
    };

    const schedule = (ms: number, fn: () => Promise<void> | void) => ctx.clock.at(ctx.clock.nowMs() + ms, fn);

    function runStep(order: string[], index: number): void {
      const name = order[index];
      if (name === undefined) {
        control.finish(ctx, executionArn, 'Succeeded');
        return;
      }
      if (name === 'Gate') {
        control.startStep(ctx, executionArn, 'Gate');
        schedule(timings.gate, () => {
          const passed = gatePasses();
          control.endStep(ctx, executionArn, 'Gate', { status: 'Succeeded', metadata: { Condition: { Outcome: passed ? 'True' : 'False' } } });
          if (passed) return runStep(['Register'], 0);
          const message = failMessage();
          control.startStep(ctx, executionArn, 'Fail');
          schedule(timings.fail, () => {
            control.endStep(ctx, executionArn, 'Fail', { status: 'Failed', failureReason: message, metadata: { Fail: { ErrorMessage: message } } });
            control.finish(ctx, executionArn, 'Failed', message);
          });
        });
        return;
      }
      const step = steps[name]!;
      control.startStep(ctx, executionArn, name);
      schedule(step.ms, async () => {
        try {
          await step.work();
        } catch (error) {
          // A bug in the twin's own code is the job's crash, not the scenario's: report it as the container would.
          return fail(name, error instanceof StepFailure ? error.message : `AlgorithmError: ${(error as Error).message}`);
        }
        control.endStep(ctx, executionArn, name, { status: 'Succeeded', metadata: step.metadata });
        runStep(order, index + 1);
      });
    }

    runStep(['Prep', 'Train', 'ClarifyModel', 'Evaluate', 'Clarify', 'Gate'], 0);
  }

  return { resolveParameters, run };
}
