import { auditConfigSchema, driftCheckConfigSchema, ingressConfigSchema, notifyConfigSchema, once, readConfig, reconcileConfigSchema } from '../../../shared/runtime/config';

const INGRESS = {
  AWS_REGION: 'eu-west-1',
  STATE_TABLE: 'creditai-mlops-state',
  EXPECTED_ACCOUNT_ID: '111122223333',
  RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/creditai-mlops-reconcile.fifo',
};

describe('Function: readConfig', () => {
  it('applies the documented defaults', () => {
    const config = readConfig(ingressConfigSchema, INGRESS);
    expect(config.EVENT_BUS_NAME).toBe('creditai-mlops');
    const reconcile = readConfig(reconcileConfigSchema, {
      ...INGRESS,
      SAGEMAKER_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/creditai-sagemaker-execution',
      DATA_CAPTURE_S3_URI: 's3://creditai-capture/endpoints',
    });
    expect(reconcile.APPROVER_ROLES).toEqual(['ModelApprover', 'RiskOfficer']);
    expect(reconcile.CONTROL_PLANE_ROLES).toEqual(['creditai-mlops-*']);
  });

  it('splits comma-separated role lists and drops blanks', () => {
    const config = readConfig(reconcileConfigSchema, {
      ...INGRESS,
      SAGEMAKER_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/x',
      DATA_CAPTURE_S3_URI: 's3://b/p',
      APPROVER_ROLES: ' RiskOfficer, ,ChiefRiskOfficer ',
    });
    expect(config.APPROVER_ROLES).toEqual(['RiskOfficer', 'ChiefRiskOfficer']);
  });

  it.each([
    ['a missing table', { ...INGRESS, STATE_TABLE: undefined }, /STATE_TABLE/],
    ['an account id that is not 12 digits', { ...INGRESS, EXPECTED_ACCOUNT_ID: '1234' }, /EXPECTED_ACCOUNT_ID: a 12-digit AWS account id/],
    ['a queue URL that is not a URL', { ...INGRESS, RECONCILE_QUEUE_URL: 'creditai-mlops-reconcile' }, /RECONCILE_QUEUE_URL/],
  ])('refuses %s, naming the variable', (_, env, message) => {
    expect(() => readConfig(ingressConfigSchema, env)).toThrow(message);
  });

  it('never echoes a value in its error', () => {
    const secretish = 'arn-without-prefix-SECRET';
    expect(() => readConfig(notifyConfigSchema, { ...INGRESS, NOTIFY_TOPIC_ARN: secretish })).toThrow(/NOTIFY_TOPIC_ARN/);
    try {
      readConfig(notifyConfigSchema, { ...INGRESS, NOTIFY_TOPIC_ARN: secretish });
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish);
    }
  });
});

const RECONCILE = {
  ...INGRESS,
  SAGEMAKER_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/creditai-sagemaker-execution',
  DATA_CAPTURE_S3_URI: 's3://creditai-capture/endpoints',
};
const TRAINING = {
  TRAINING_PIPELINE_NAME: 'creditai-mlops-training',
  TRAINING_DATA_PREFIX: 's3://creditai-data/applications/',
  PIPELINE_CODE_PREFIX: 's3://creditai-artifacts/pipeline/code/',
};

describe('Schema: reconcileConfigSchema (training target)', () => {
  it('takes all three training settings together', () => {
    expect(readConfig(reconcileConfigSchema, { ...RECONCILE, ...TRAINING })).toMatchObject(TRAINING);
  });

  it('takes none of them (drift is then reported, never retrained)', () => {
    const config = readConfig(reconcileConfigSchema, RECONCILE);
    expect([config.TRAINING_PIPELINE_NAME, config.TRAINING_DATA_PREFIX, config.PIPELINE_CODE_PREFIX]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    ['the pipeline only', { TRAINING_PIPELINE_NAME: TRAINING.TRAINING_PIPELINE_NAME }],
    ['the data prefix only', { TRAINING_DATA_PREFIX: TRAINING.TRAINING_DATA_PREFIX }],
    ['the code prefix only', { PIPELINE_CODE_PREFIX: TRAINING.PIPELINE_CODE_PREFIX }],
    ['all but the code prefix', { TRAINING_PIPELINE_NAME: TRAINING.TRAINING_PIPELINE_NAME, TRAINING_DATA_PREFIX: TRAINING.TRAINING_DATA_PREFIX }],
    ['all but the pipeline', { TRAINING_DATA_PREFIX: TRAINING.TRAINING_DATA_PREFIX, PIPELINE_CODE_PREFIX: TRAINING.PIPELINE_CODE_PREFIX }],
  ])('refuses %s', (_name, partial) => {
    expect(() => readConfig(reconcileConfigSchema, { ...RECONCILE, ...partial })).toThrow(
      'Invalid configuration: TRAINING_PIPELINE_NAME, TRAINING_DATA_PREFIX and PIPELINE_CODE_PREFIX go together: set all three or none',
    );
  });

  it('refuses prefixes that are not s3:// URIs, naming the variable', () => {
    expect(() => readConfig(reconcileConfigSchema, { ...RECONCILE, ...TRAINING, TRAINING_DATA_PREFIX: 'creditai-data/applications/' })).toThrow(/TRAINING_DATA_PREFIX/);
  });
});

describe('Schema: driftCheckConfigSchema', () => {
  const DRIFT = {
    AWS_REGION: 'eu-west-1',
    STATE_TABLE: 'creditai-mlops-state',
    RECONCILE_QUEUE_URL: INGRESS.RECONCILE_QUEUE_URL,
    DATA_CAPTURE_S3_URI: 's3://creditai-capture/endpoints',
    DRIFT_REPORTS_S3_URI: 's3://creditai-artifacts/drift',
  };

  it('reads where capture files are and where reports go, with the default bus', () => {
    expect(readConfig(driftCheckConfigSchema, DRIFT)).toEqual({ ...DRIFT, EVENT_BUS_NAME: 'creditai-mlops' });
  });

  it.each([
    ['a missing reports URI', { ...DRIFT, DRIFT_REPORTS_S3_URI: undefined }, /DRIFT_REPORTS_S3_URI/],
    ['a capture location that is not an s3:// URI', { ...DRIFT, DATA_CAPTURE_S3_URI: 'creditai-capture' }, /DATA_CAPTURE_S3_URI/],
    ['a missing queue', { ...DRIFT, RECONCILE_QUEUE_URL: undefined }, /RECONCILE_QUEUE_URL/],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    expect(() => readConfig(driftCheckConfigSchema, env)).toThrow(message);
  });
});

describe('Schema: auditConfigSchema', () => {
  it('reads the region, the state table and the audit bucket', () => {
    const env = { AWS_REGION: 'eu-west-1', STATE_TABLE: 'creditai-mlops-state', AUDIT_BUCKET: 'creditai-mlops-prod-audit-111122223333' };

    expect(readConfig(auditConfigSchema, env)).toEqual(env);
  });

  it.each([
    ['a missing bucket', { AWS_REGION: 'eu-west-1', STATE_TABLE: 't' }, /AUDIT_BUCKET/],
    ['a bucket given as a URI', { AWS_REGION: 'eu-west-1', STATE_TABLE: 't', AUDIT_BUCKET: 's3://creditai-audit' }, /AUDIT_BUCKET: an S3 bucket name/],
  ])('refuses %s, naming the variable', (_, env, message) => {
    expect(() => readConfig(auditConfigSchema, env)).toThrow(message);
  });
});

describe('Function: once', () => {
  it('builds on first use and reuses the result', () => {
    let built = 0;
    const get = once(() => ({ n: ++built }));
    expect(built).toBe(0);
    expect(get()).toBe(get());
    expect(built).toBe(1);
  });
});
