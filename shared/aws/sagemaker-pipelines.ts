/**
 * SageMaker Pipelines executions as the `Pipelines` port: enough of an execution to diagnose a failure
 * (status, reason, the failed step, the parameters it ran with).
 */
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
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
        failureReason: described.FailureReason,
        failedStep: step,
        parameters: params,
      };
    },
  };
}
