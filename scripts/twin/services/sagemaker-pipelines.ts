/**
 * Pipeline executions of the SageMaker twin, as the control plane reads them to diagnose a failure
 * (aws-facts §1.1, §4.9). Executions are recorded by scenarios; running a pipeline is a later slice.
 */
import type {
  DescribePipelineExecutionResponse,
  ListPipelineExecutionStepsRequest,
  ListPipelineParametersForExecutionRequest,
  PipelineExecutionStatus,
  PipelineExecutionStep,
  PipelineExecutionStepMetadata,
  StepStatus,
} from '@aws-sdk/client-sagemaker';
import type { ServiceContext } from '../core/types';
import { copy, dropUndefined, paginate, resourceNotFound, sageMakerArn, userContextOf, validationError } from './sagemaker-common';

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
}

const TERMINAL: ReadonlySet<string> = new Set(['Stopped', 'Failed', 'Succeeded']);

/** The pipelines part of the SageMaker twin. */
export function createPipelines(callerArn: string) {
  const executions = new Map<string, StoredExecution>();

  function find(arn: string | undefined): StoredExecution {
    if (!arn) throw validationError('PipelineExecutionArn is required.');
    const found = executions.get(arn.toLowerCase());
    // UNVERIFIED wording; the error is the modelled ResourceNotFound (aws-facts §4.1).
    if (!found) throw resourceNotFound(`Pipeline execution ${arn} does not exist.`);
    return found;
  }

  /** Records an execution and, unless told not to, emits its status change event. Returns its ARN. */
  function recordExecution(ctx: ServiceContext, seed: ExecutionSeed): string {
    const pipelineArn = sageMakerArn(ctx, 'pipeline', seed.pipelineName);
    const id = seed.executionId ?? ctx.nextId('pe').toLowerCase().replace(/[^a-z0-9]/g, '');
    const executionArn = `${pipelineArn}/execution/${id.toLowerCase()}`;
    const now = ctx.clock.nowMs();
    const startMs = seed.startMs ?? now;
    const finished = TERMINAL.has(seed.status);
    const principal = seed.principal ?? callerArn;
    executions.set(executionArn.toLowerCase(), {
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
    });
    if (seed.emitEvent ?? true) {
      ctx.emit({
        source: 'aws.sagemaker',
        'detail-type': 'SageMaker Model Building Pipeline Execution Status Change',
        resources: [pipelineArn, executionArn],
        // Lower camelCase keys, unlike every other SageMaker event (aws-facts §0.3, §1.1).
        detail: dropUndefined({
          pipelineExecutionDisplayName: seed.displayName,
          currentPipelineExecutionStatus: seed.status,
          previousPipelineExecutionStatus: finished ? (seed.status === 'Stopped' ? 'Stopping' : 'Executing') : undefined,
          executionStartTime: new Date(startMs).toISOString(),
          executionEndTime: finished ? new Date(now).toISOString() : undefined,
          pipelineExecutionDescription: seed.description,
          pipelineArn,
          pipelineExecutionArn: executionArn,
        }),
      });
    }
    return executionArn;
  }

  return {
    recordExecution,
    operations: {
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
