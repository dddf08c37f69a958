/**
 * Pipeline execution finished → on Failed, fetch the reason SageMaker keeps out of the event, diagnose it and
 * raise PipelineFailed; in every case reconcile the group the pipeline trains (its ModelPackageGroupName parameter).
 */
import type { PipelineExecutionStatusChangeEvent } from '../contracts/aws-events';
import { shortHash } from '../lifecycle/names';
import { diagnosePipelineFailure } from '../lifecycle/pipeline-failure';
import { requestReconcile, type IngressDeps, type IngressOutcome } from './ingress';

/** The pipeline parameter that names the model package group it registers into. */
export const GROUP_PARAMETER = 'ModelPackageGroupName';

export async function ingestPipelineExecutionEvent(deps: IngressDeps, event: PipelineExecutionStatusChangeEvent): Promise<IngressOutcome> {
  const d = event.detail;
  const execution = await deps.pipelines.describeExecution(d.pipelineExecutionArn);
  const group = execution.parameters[GROUP_PARAMETER];
  if (d.currentPipelineExecutionStatus === 'Failed') {
    const reason = execution.failedStep?.reason ?? execution.failureReason ?? '';
    await deps.bus.publish([
      {
        detailType: 'PipelineFailed',
        detail: {
          schemaVersion: 1,
          // Hashed: an execution ARN may outgrow the key, and its tail (the execution id) is what tells runs apart.
          eventKey: `pipeline/${shortHash(d.pipelineExecutionArn, 32)}/PipelineFailed`,
          modelGroup: group ?? 'unknown',
          occurredAt: deps.clock.now(),
          pipelineArn: d.pipelineArn,
          pipelineExecutionArn: d.pipelineExecutionArn,
          failureReason: (reason || 'SageMaker gave no failure reason').slice(0, 2000),
          ...(execution.failedStep ? { failedStep: execution.failedStep.name } : {}),
          diagnosis: diagnosePipelineFailure(reason),
        },
      },
    ]);
  }
  if (!group) return { outcome: 'ignored', reason: `Pipeline execution ${d.pipelineExecutionArn} has no ${GROUP_PARAMETER} parameter` };
  return requestReconcile(deps, group, event, `Pipeline execution ${d.currentPipelineExecutionStatus}`);
}
