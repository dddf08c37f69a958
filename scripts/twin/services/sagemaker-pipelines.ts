/**
 * Pipeline executions of the SageMaker twin, as the control plane reads them to diagnose a failure
 * (aws-facts §1.1, §4.9). Scenarios record finished executions with `recordExecution`; StartPipelineExecution
 * starts a real run of the training pipeline (sagemaker-pipeline-run.ts), whose steps move on the virtual clock.
 */
import type {
  DescribePipelineExecutionResponse,
  StartPipelineExecutionRequest,
  ListPipelineExecutionStepsRequest,
  ListPipelineParametersForExecutionRequest,
  PipelineExecutionStatus,
  PipelineExecutionStep,
  PipelineExecutionStepMetadata,
  StepStatus,
} from '@aws-sdk/client-sagemaker';
import type { ServiceContext } from '../core/types';
import { copy, dropUndefined, nameFromArnOrName, paginate, resourceNotFound, sageMakerArn, userContextOf, validationError } from './sagemaker-common';
import type { ExecutionControl, PipelineRunner } from './sagemaker-pipeline-run';

/** One step of a recorded execution, in execution order. */
export interface StepSeed {
  name: string;
  displayName?: string;
  status: StepStatus;
  failureReason?: string;
  /** Virtual times; the execution's start (and end, for a finished step) when absent. */
  startMs?: number;
  endMs?: number;
  metadata?: PipelineExecutionStepMetadata;
}

/** A pipeline execution as a scenario records it. */
export interface ExecutionSeed {
  pipelineName: string;
  /** The id in the ARN (`…/execution/<id>`); a deterministic one when absent. */
  executionId?: string;
  status: PipelineExecutionStatus;
  /** DescribePipelineExecution's FailureReason (≤ 1300 characters). */
  failureReason?: string;
  displayName?: string;
  description?: string;
  parameters?: Record<string, string>;
  steps?: StepSeed[];
  /** Virtual start time; now when absent. The end is now for a finished execution. */
  startMs?: number;
  /** Who started it (CreatedBy). */
  principal?: string;
  /** Put the `… Execution Status Change` event for this status on the bus (default true). */
  emitEvent?: boolean;
}

interface StoredExecution {
  described: Omit<DescribePipelineExecutionResponse, '$metadata'>;
  steps: PipelineExecutionStep[];
  parameters: { Name: string; Value: string }[];
  startMs: number;
}

const TERMINAL: ReadonlySet<string> = new Set(['Stopped', 'Failed', 'Succeeded']);

/** The pipelines part of the SageMaker twin; `runner` runs what StartPipelineExecution starts. */
export function createPipelines(callerArn: string, runner?: PipelineRunner) {
  const executions = new Map<string, StoredExecution>();
  /** ClientRequestToken → execution ARN: a retried start returns the execution the first one started. */
  const startTokens = new Map<string, string>();

  function find(arn: string | undefined): StoredExecution {
    if (!arn) throw validationError('PipelineExecutionArn is required.');
    const found = executions.get(arn.toLowerCase());
    // UNVERIFIED wording; the error is the modelled ResourceNotFound (aws-facts §4.1).
    if (!found) throw resourceNotFound(`Pipeline execution ${arn} does not exist.`);
    return found;
  }

  /** The `… Pipeline Execution Status Change` event of an execution's current status. */
  function emitStatus(ctx: ServiceContext, stored: StoredExecution, previous?: PipelineExecutionStatus): void {
    const d = stored.described;
    const status = d.PipelineExecutionStatus!;
    const finished = TERMINAL.has(status);
    ctx.emit({
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Building Pipeline Execution Status Change',
      resources: [d.PipelineArn!, d.PipelineExecutionArn!],
      // Lower camelCase keys, unlike every other SageMaker event (aws-facts §0.3, §1.1).
      detail: dropUndefined({
        pipelineExecutionDisplayName: d.PipelineExecutionDisplayName,
        currentPipelineExecutionStatus: status,
        previousPipelineExecutionStatus: previous ?? (finished ? (status === 'Stopped' ? 'Stopping' : 'Executing') : undefined),
        executionStartTime: new Date(stored.startMs).toISOString(),
        executionEndTime: finished ? new Date(ctx.clock.nowMs()).toISOString() : undefined,
        pipelineExecutionDescription: d.PipelineExecutionDescription,
        pipelineArn: d.PipelineArn,
        pipelineExecutionArn: d.PipelineExecutionArn,
      }),
    });
  }

  /** Records an execution and, unless told not to, emits its status change event. Returns its ARN. */
  function recordExecution(ctx: ServiceContext, seed: ExecutionSeed): string {
    const pipelineArn = sageMakerArn(ctx, 'pipeline', seed.pipelineName);
    const id = seed.executionId ?? ctx.nextId('pe').toLowerCase().replace(/[^a-z0-9]/g, '');
    const executionArn = `${pipelineArn}/execution/${id.toLowerCase()}`;
    const now = ctx.clock.nowMs();
    const startMs = seed.startMs ?? now;
    const principal = seed.principal ?? callerArn;
    const stored: StoredExecution = {
      described: dropUndefined({
        PipelineArn: pipelineArn,
        PipelineExecutionArn: executionArn,
        PipelineExecutionDisplayName: seed.displayName,
        PipelineExecutionStatus: seed.status,
        PipelineExecutionDescription: seed.description,
        FailureReason: seed.failureReason,
        CreationTime: new Date(startMs),
        LastModifiedTime: new Date(now),
        CreatedBy: userContextOf(principal),
        LastModifiedBy: userContextOf(principal),
      }),
      steps: (seed.steps ?? []).map((s) =>
        dropUndefined({
          StepName: s.name,
          StepDisplayName: s.displayName,
          StartTime: new Date(s.startMs ?? startMs),
          EndTime: TERMINAL.has(s.status) ? new Date(s.endMs ?? now) : undefined,
          StepStatus: s.status,
          FailureReason: s.failureReason,
          Metadata: copy(s.metadata),
        }),
      ),
      parameters: Object.entries(seed.parameters ?? {}).map(([Name, Value]) => ({ Name, Value })),
      startMs,
    };
    executions.set(executionArn.toLowerCase(), stored);
    if (seed.emitEvent ?? true) emitStatus(ctx, stored);
    return executionArn;
  }

  /** How the runner moves a started execution along (steps appear as they start, as in the console). */
  const control: ExecutionControl = {
    startStep(ctx, arn, name) {
      find(arn).steps.push({ StepName: name, StartTime: new Date(ctx.clock.nowMs()), StepStatus: 'Executing' });
    },
    endStep(ctx, arn, name, outcome) {
      const step = find(arn).steps.find((s) => s.StepName === name && s.StepStatus === 'Executing');
      if (!step) throw new Error(`SageMaker twin: step ${name} of ${arn} is not executing`);
      Object.assign(step, dropUndefined({ StepStatus: outcome.status, EndTime: new Date(ctx.clock.nowMs()), FailureReason: outcome.failureReason, Metadata: copy(outcome.metadata) }));
    },
    finish(ctx, arn, status, failureReason) {
      const stored = find(arn);
      Object.assign(stored.described, dropUndefined({ PipelineExecutionStatus: status, FailureReason: failureReason, LastModifiedTime: new Date(ctx.clock.nowMs()) }));
      emitStatus(ctx, stored, 'Executing');
    },
  };

  function startExecution(ctx: ServiceContext, input: StartPipelineExecutionRequest): { PipelineExecutionArn: string } {
    const earlier = startTokens.get(input.ClientRequestToken!);
    if (earlier) return { PipelineExecutionArn: earlier };
    if (!runner) throw new Error('SageMaker twin: StartPipelineExecution needs a pipeline runner (pass storage to createSageMakerTwin)');
    const name = nameFromArnOrName(input.PipelineName!, 'pipeline');
    const parameters = runner.resolveParameters(name, input.PipelineParameters ?? []);
    const arn = recordExecution(ctx, {
      pipelineName: name,
      status: 'Executing',
      displayName: input.PipelineExecutionDisplayName,
      description: input.PipelineExecutionDescription,
      parameters,
    });
    startTokens.set(input.ClientRequestToken!, arn);
    runner.run(ctx, arn, parameters, control);
    return { PipelineExecutionArn: arn };
  }

  return {
    recordExecution,
    operations: {
      StartPipelineExecution: startExecution,
      DescribePipelineExecution: (_ctx: ServiceContext, input: { PipelineExecutionArn?: string }) => copy(find(input.PipelineExecutionArn).described),
      ListPipelineExecutionSteps(_ctx: ServiceContext, input: ListPipelineExecutionStepsRequest) {
        const steps = [...find(input.PipelineExecutionArn).steps];
        // Newest first unless asked otherwise (UNVERIFIED default; the adapter always asks for Ascending).
        if ((input.SortOrder ?? 'Descending') === 'Descending') steps.reverse();
        const { page, NextToken } = paginate(steps, input);
        return { PipelineExecutionSteps: copy(page), ...(NextToken ? { NextToken } : {}) };
      },
      ListPipelineParametersForExecution(_ctx: ServiceContext, input: ListPipelineParametersForExecutionRequest) {
        const { page, NextToken } = paginate(find(input.PipelineExecutionArn).parameters, input);
        return { PipelineParameters: copy(page), ...(NextToken ? { NextToken } : {}) };
      },
    },
  };
}
