/** Composition for the monitoring-execution ingress: the ingress ports plus SageMaker monitoring describes and S3 reads. */
import type { MonitoringExecutionDeps } from '../../ingress/monitoring-execution';
import type { IngressConfig } from '../../runtime/config';
import { s3Client, sageMakerClient } from '../clients';
import { makeS3Documents } from '../s3-documents';
import { makeSageMakerMonitoring } from '../sagemaker-monitoring';
import { awsIngressDeps } from './ingress';

export function awsMonitoringExecutionDeps(config: IngressConfig): MonitoringExecutionDeps {
  const region = { region: config.AWS_REGION };
  return {
    ...awsIngressDeps(config),
    monitoring: makeSageMakerMonitoring(sageMakerClient(region)),
    documents: makeS3Documents(s3Client(region)),
  };
}
