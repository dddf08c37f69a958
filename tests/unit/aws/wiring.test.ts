/**
 * The AWS composition of the drift check and the reconcile worker: where the configuration goes (no AWS call is
 * made building them).
 */
import { awsDriftCheckDeps } from '../../../shared/aws/wiring/drift-check';
import { awsReconcileDeps } from '../../../shared/aws/wiring/reconcile';
import { driftCheckConfigSchema, readConfig, reconcileConfigSchema } from '../../../shared/runtime/config';
import samples from '../../../events/smoke-test/applications.json';
import modelInput from '../../../pipeline/steps/config.json';

const COMMON = { AWS_REGION: 'eu-west-1', STATE_TABLE: 'creditai-mlops-state' };
const RECONCILE = {
  ...COMMON,
  SAGEMAKER_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/creditai-sagemaker-execution',
  DATA_CAPTURE_S3_URI: 's3://creditai-capture/endpoints',
};
const TRAINING = {
  TRAINING_PIPELINE_NAME: 'creditai-mlops-training',
  TRAINING_DATA_PREFIX: 's3://creditai-data/applications/',
  PIPELINE_CODE_PREFIX: 's3://creditai-artifacts/pipeline/code/',
};
const smokeSamples = { schema: modelInput, applications: samples.applications };

describe('Function: awsReconcileDeps', () => {
  it('gives the reconciler the training target when the three TRAINING settings are set', () => {
    const deps = awsReconcileDeps(readConfig(reconcileConfigSchema, { ...RECONCILE, ...TRAINING }), smokeSamples);
    expect(deps.training).toEqual({ pipelineName: 'creditai-mlops-training', dataPrefix: 's3://creditai-data/applications/', codePrefix: 's3://creditai-artifacts/pipeline/code/' });
    expect(typeof deps.pipelines?.startExecution).toBe('function');
  });

  it('gives it none without them (drift is then never retrained)', () => {
    expect(awsReconcileDeps(readConfig(reconcileConfigSchema, RECONCILE), smokeSamples)).not.toHaveProperty('training');
  });
});

describe('Function: awsDriftCheckDeps', () => {
  it('reads capture files from DATA_CAPTURE_S3_URI and writes reports to DRIFT_REPORTS_S3_URI', () => {
    const config = readConfig(driftCheckConfigSchema, {
      ...COMMON,
      RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/creditai-mlops-reconcile.fifo',
      DATA_CAPTURE_S3_URI: 's3://creditai-capture/endpoints',
      DRIFT_REPORTS_S3_URI: 's3://creditai-artifacts/drift',
    });
    const deps = awsDriftCheckDeps(config);
    expect({ captureUri: deps.captureUri, reportsUri: deps.reportsUri }).toEqual({ captureUri: 's3://creditai-capture/endpoints', reportsUri: 's3://creditai-artifacts/drift' });
    expect(Date.parse(deps.clock.now())).not.toBeNaN();
  });
});
