/** The AWS composition of the monitoring-execution ingress: the ingress ports plus the describe and the S3 reads. */
import { awsMonitoringExecutionDeps } from '../../../shared/aws/wiring/monitoring-execution';
import { ingressConfigSchema, readConfig } from '../../../shared/runtime/config';

describe('Function: awsMonitoringExecutionDeps', () => {
  it('takes the origin from the configuration and adds the monitoring describe and the document reader', () => {
    // Prepare
    const config = readConfig(ingressConfigSchema, {
      AWS_REGION: 'eu-west-1',
      STATE_TABLE: 'creditai-mlops-state',
      EXPECTED_ACCOUNT_ID: '111122223333',
      RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/creditai-mlops-reconcile.fifo',
    });

    // Act
    const deps = awsMonitoringExecutionDeps(config);

    // Assess
    expect(deps.origin).toEqual({ account: '111122223333', region: 'eu-west-1' });
    expect(typeof deps.monitoring.describeProcessingJob).toBe('function');
    expect(typeof deps.documents.readJson).toBe('function');
    expect(typeof deps.state.groupOfEndpoint).toBe('function');
  });
});
