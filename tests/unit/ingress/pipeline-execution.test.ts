/**
 * The pipeline-execution ingress over the in-memory world: a Failed execution is diagnosed from the reason
 * DescribePipelineExecution gives and announced as PipelineFailed; every execution with a ModelPackageGroupName
 * parameter asks for a reconcile of that group.
 */
import { pipelineExecutionStatusChangeEventSchema, type PipelineExecutionStatusChangeEvent } from '../../../shared/contracts/aws-events';
import { domainEventDetailSchemas, type DomainEventDetail } from '../../../shared/contracts/domain-events';
import { reconcileRequestSchema } from '../../../shared/contracts/reconcile-request';
import { GROUP_PARAMETER, ingestPipelineExecutionEvent } from '../../../shared/ingress/pipeline-execution';
import type { PipelineExecution } from '../../../shared/reconcile/ports';
import { loadSample } from '../../support/events';
import { ACCOUNT, FakeWorld, REGION } from '../../support/fake-world';

const GROUP = 'credit-risk-retail';
const SAMPLES = 'aws.sagemaker/model-building-pipeline-execution-status-change';
const PIPELINE_ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/creditai-sagemaker-pipeline/SageMaker`;
const IAM_REASON = `ClientError: AccessDenied: User: ${PIPELINE_ROLE} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/prefix/x.csv because no identity-based policy allows the s3:GetObject action`;

/** A sample event, validated as the ingress handler's parser middleware would hand it over. */
function sampleEvent(name: 'failed' | 'succeeded' | 'stopped'): PipelineExecutionStatusChangeEvent {
  return pipelineExecutionStatusChangeEventSchema.parse(loadSample(`${SAMPLES}/${name}.json`));
}

/** What DescribePipelineExecution answers for the event's execution. */
function describeAs(world: FakeWorld, event: PipelineExecutionStatusChangeEvent, execution: Partial<PipelineExecution> = {}): void {
  world.executions.set(event.detail.pipelineExecutionArn, {
    pipelineArn: event.detail.pipelineArn,
    executionArn: event.detail.pipelineExecutionArn,
    status: event.detail.currentPipelineExecutionStatus,
    parameters: { [GROUP_PARAMETER]: GROUP, InputDataUri: `s3://creditai-data/${GROUP}/training/2026-11/` },
    ...execution,
  });
}

/** The PipelineFailed details the world's bus received. */
function pipelineFailures(world: FakeWorld): DomainEventDetail<'PipelineFailed'>[] {
  return world.published.flatMap((e) => (e.detailType === 'PipelineFailed' ? [e.detail] : []));
}

describe('Function: ingestPipelineExecutionEvent', () => {
  it('diagnoses a failed step refused s3:GetObject, publishes one valid PipelineFailed and requests a reconcile of the group', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('failed');
    describeAs(world, event, {
      failureReason: 'Step failure: One or multiple steps failed.',
      failedStep: { name: 'TrainModel', reason: IAM_REASON },
    });

    // Act
    const outcome = await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.published).toHaveLength(1);
    const [failure] = pipelineFailures(world);
    expect(() => domainEventDetailSchemas.PipelineFailed.parse(failure)).not.toThrow();
    expect(failure).toMatchObject({
      modelGroup: GROUP,
      occurredAt: world.iso(),
      pipelineArn: event.detail.pipelineArn,
      pipelineExecutionArn: event.detail.pipelineExecutionArn,
      failedStep: 'TrainModel',
      failureReason: IAM_REASON,
      diagnosis: { category: 'missing-permission', action: 's3:GetObject', resource: 's3://bucket/prefix/x.csv', principal: PIPELINE_ROLE },
    });
    expect(failure!.diagnosis.summary).toContain('s3:GetObject');
    expect(failure!.diagnosis.summary).toContain('s3://bucket/prefix/x.csv');
    expect(world.queued).toHaveLength(1);
    const request = reconcileRequestSchema.parse(world.queued[0]);
    expect(request.modelGroup).toBe(GROUP);
    expect(request.trigger).toEqual({ source: 'aws.sagemaker', detailType: event['detail-type'], eventId: event.id, time: event.time });
  });

  it('falls back to the execution FailureReason when the failed step gives none', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('failed');
    describeAs(world, event, { failureReason: IAM_REASON, failedStep: { name: 'PreprocessData' } });

    // Act
    await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    const [failure] = pipelineFailures(world);
    expect(failure?.failedStep).toBe('PreprocessData');
    expect(failure?.failureReason).toBe(IAM_REASON);
    expect(failure?.diagnosis.resource).toBe('s3://bucket/prefix/x.csv');
  });

  it('announces a failure SageMaker gave no reason for, with an unknown diagnosis and no failed step', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('failed');
    describeAs(world, event);

    // Act
    const outcome = await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    const failures = pipelineFailures(world);
    expect(failures).toHaveLength(1);
    expect(() => domainEventDetailSchemas.PipelineFailed.parse(failures[0])).not.toThrow();
    expect(failures[0]!.failureReason).toBe('SageMaker gave no failure reason');
    expect(failures[0]!.diagnosis).toEqual({ category: 'unknown', summary: 'SageMaker gave no failure reason' });
    expect(failures[0]).not.toHaveProperty('failedStep');
  });

  it('only requests a reconcile for a succeeded execution', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('succeeded');
    describeAs(world, event);

    // Act
    const outcome = await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.published).toEqual([]);
    expect(world.queued).toHaveLength(1);
    expect(world.queued[0]).toMatchObject({ modelGroup: GROUP, reason: 'Pipeline execution Succeeded' });
  });

  it('only requests a reconcile for a stopped execution: a person stopped it, nothing failed', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('stopped');
    describeAs(world, event, { failureReason: 'Execution was stopped by user' });

    // Act
    const outcome = await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'requested', groups: [GROUP] });
    expect(world.published).toEqual([]);
  });

  it('ignores a succeeded execution without the ModelPackageGroupName parameter', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('succeeded');
    describeAs(world, event, { parameters: { InputDataUri: 's3://creditai-data/other/' } });

    // Act
    const outcome = await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: expect.stringContaining(GROUP_PARAMETER) });
    expect(world.queued).toEqual([]);
    expect(world.published).toEqual([]);
  });

  it('still announces a failed execution without the group parameter, as group "unknown", and requests nothing', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('failed');
    describeAs(world, event, { parameters: {}, failedStep: { name: 'TrainModel', reason: IAM_REASON } });

    // Act
    const outcome = await ingestPipelineExecutionEvent(world.ingressDeps(), event);

    // Assess
    expect(outcome.outcome).toBe('ignored');
    expect(world.queued).toEqual([]);
    const failures = pipelineFailures(world);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.modelGroup).toBe('unknown');
    expect(() => domainEventDetailSchemas.PipelineFailed.parse(failures[0])).not.toThrow();
  });

  it('gives a redelivered Failed event the same eventKey, so notify sends it once', async () => {
    // Prepare
    const world = new FakeWorld();
    const event = sampleEvent('failed');
    describeAs(world, event, { failedStep: { name: 'TrainModel', reason: IAM_REASON } });

    // Act
    await ingestPipelineExecutionEvent(world.ingressDeps(), event);
    world.tick(60);
    await ingestPipelineExecutionEvent(world.ingressDeps(), structuredClone(event));

    // Assess
    const failures = pipelineFailures(world);
    expect(failures).toHaveLength(2);
    expect(failures[0]!.eventKey).toBe(failures[1]!.eventKey);
    expect(failures[0]!.eventKey).toMatch(/^pipeline\/[0-9a-f]{32}\/PipelineFailed$/);
    expect(failures[0]!.occurredAt).not.toBe(failures[1]!.occurredAt);
  });

  it('gives failures of two different executions of the same pipeline different eventKeys', async () => {
    // Prepare
    const world = new FakeWorld();
    const first = sampleEvent('failed');
    const second = sampleEvent('failed');
    second.detail.pipelineExecutionArn = `${first.detail.pipelineArn}/execution/z9y8x7w6v5ut`;
    describeAs(world, first, { failedStep: { name: 'TrainModel', reason: IAM_REASON } });
    describeAs(world, second, { failedStep: { name: 'TrainModel', reason: IAM_REASON } });

    // Act
    await ingestPipelineExecutionEvent(world.ingressDeps(), first);
    await ingestPipelineExecutionEvent(world.ingressDeps(), second);

    // Assess
    const [a, b] = pipelineFailures(world);
    expect(a!.eventKey).not.toBe(b!.eventKey);
  });

  // Regression (found by these tests, fixed): shared/ingress/pipeline-execution.ts builds the key as `pipeline/<executionArn>/PipelineFailed` cut to 255
  // characters. SageMaker pipeline names may be up to 256 characters, so with a name over ~157 characters the cut
  // removes the execution id: failures of different executions share one eventKey and notify's idempotency drops
  // every failure after the first (for 7 days). The key should keep the execution id (e.g. hash a long ARN).
  it('gives failures of two executions of a pipeline with a long (valid) name different eventKeys', async () => {
    // Prepare
    const world = new FakeWorld();
    const pipelineArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/creditai-${'credit-risk-retail-'.repeat(9)}train`;
    const first = sampleEvent('failed');
    const second = sampleEvent('failed');
    first.detail.pipelineArn = pipelineArn;
    second.detail.pipelineArn = pipelineArn;
    first.detail.pipelineExecutionArn = `${pipelineArn}/execution/f7h2n4p8r6cd`;
    second.detail.pipelineExecutionArn = `${pipelineArn}/execution/z9y8x7w6v5ut`;
    pipelineExecutionStatusChangeEventSchema.parse(first);
    pipelineExecutionStatusChangeEventSchema.parse(second);
    describeAs(world, first, { failedStep: { name: 'TrainModel', reason: IAM_REASON } });
    describeAs(world, second, { failedStep: { name: 'TrainModel', reason: IAM_REASON } });

    // Act
    await ingestPipelineExecutionEvent(world.ingressDeps(), first);
    await ingestPipelineExecutionEvent(world.ingressDeps(), second);

    // Assess
    const [a, b] = pipelineFailures(world);
    expect(() => domainEventDetailSchemas.PipelineFailed.parse(a)).not.toThrow();
    expect(a!.eventKey).not.toBe(b!.eventKey);
  });
});
