/**
 * SageMaker Pipelines executions as the `Pipelines` port: enough of an execution to diagnose a failure
 * (status, reason, the failed step, the parameters it ran with), and starting a retraining run.
 */
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  StartPipelineExecutionCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { PipelineExecution, Pipelines } from '../reconcile/ports';

/**
 * The `Pipelines` port over SageMaker. `describeExecution` calls DescribePipelineExecution,
 * ListPipelineExecutionSteps (oldest first, paged until the first Failed step: the root cause, not a step that
 * failed because of it) and ListPipelineParametersForExecution (every page). Errors (ResourceNotFound for an
 * unknown execution) propagate.
 * @example
 * const execution = await makeSageMakerPipelines(clients.sagemaker).describeExecution(arn);
 */
const ENDED: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

export function makeSageMakerPipelines(sagemaker: SageMakerClient): Pipelines {
  async function failedStep(executionArn: string): Promise<PipelineExecution['failedStep']> {
    let nextToken: string | undefined;
    do {
      const page = await sagemaker.send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: executionArn, SortOrder: 'Ascending', MaxResults: 100, NextToken: nextToken }),
      );
      const failed = (page.PipelineExecutionSteps ?? []).find((s) => s.StepStatus === 'Failed');
      if (failed) return { name: failed.StepName ?? failed.StepDisplayName ?? 'unknown', reason: failed.FailureReason };
      nextToken = page.NextToken;
    } while (nextToken);
    return undefined;
  }

  async function parameters(executionArn: string): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    let nextToken: string | undefined;
    do {
      const page = await sagemaker.send(
        new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: executionArn, MaxResults: 100, NextToken: nextToken }),
      );
      for (const p of page.PipelineParameters ?? []) if (p.Name !== undefined) values[p.Name] = p.Value ?? '';
      nextToken = page.NextToken;
    } while (nextToken);
    return values;
  }

  return {
    async startExecution(start) {
      const out = await sagemaker.send(
        new StartPipelineExecutionCommand({
          PipelineName: start.pipelineName,
          ClientRequestToken: start.clientToken,
          PipelineExecutionDisplayName: start.displayName,
          PipelineExecutionDescription: start.description,
          PipelineParameters: Object.entries(start.parameters).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      if (!out.PipelineExecutionArn) throw new Error(`StartPipelineExecution of ${start.pipelineName} returned no execution ARN`);
      return { executionArn: out.PipelineExecutionArn };
    },

    async describeExecution(executionArn) {
      const [described, step, params] = await Promise.all([
        sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn })),
        failedStep(executionArn),
        parameters(executionArn),
      ]);
      return {
        pipelineArn: described.PipelineArn ?? '',
        executionArn: described.PipelineExecutionArn ?? executionArn,
        status: described.PipelineExecutionStatus ?? 'Unknown',
        // A finished execution is not modified again: its last modification is its end.
        ...(ENDED.has(described.PipelineExecutionStatus ?? '') && described.LastModifiedTime ? { endedAt: described.LastModifiedTime.toISOString() } : {}),
        failureReason: described.FailureReason,
        failedStep: step,
        parameters: params,
      };
    },
  };
}
