/**
 * Model Monitor and Clarify monitoring runs as the `MonitoringJobs` port: DescribeProcessingJob tells whether a job
 * is a monitoring run (MonitoringScheduleArn), its outcome message, its environment (the monitored endpoint and the
 * analysed window) and its output prefix, which the event leaves out or may (aws-facts §1.7, §7.4).
 */
import { DescribeProcessingJobCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { MonitoringJobs } from '../ingress/monitoring-execution';

/**
 * The `MonitoringJobs` port over SageMaker. Errors propagate, an unknown job's included: the event named it.
 * @example
 * const job = await makeSageMakerMonitoring(clients.sagemaker).describeProcessingJob('model-monitoring-2026…');
 */
export function makeSageMakerMonitoring(sagemaker: SageMakerClient): MonitoringJobs {
  return {
    async describeProcessingJob(name) {
      const out = await sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }));
      return {
        name: out.ProcessingJobName ?? name,
        arn: out.ProcessingJobArn ?? '',
        status: out.ProcessingJobStatus ?? 'Unknown',
        ...(out.ExitMessage !== undefined ? { exitMessage: out.ExitMessage } : {}),
        ...(out.FailureReason !== undefined ? { failureReason: out.FailureReason } : {}),
        ...(out.MonitoringScheduleArn ? { monitoringScheduleArn: out.MonitoringScheduleArn } : {}),
        environment: { ...(out.Environment ?? {}) },
        // Feature Store outputs have no S3 prefix to read.
        outputs: (out.ProcessingOutputConfig?.Outputs ?? []).flatMap((o) =>
          o.S3Output?.S3Uri ? [{ name: o.OutputName ?? '', s3Uri: o.S3Output.S3Uri, ...(o.S3Output.LocalPath ? { localPath: o.S3Output.LocalPath } : {}) }] : [],
        ),
        ...(out.ProcessingStartTime ? { startedAt: out.ProcessingStartTime.toISOString() } : {}),
      };
    },
  };
}
