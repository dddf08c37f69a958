import { auditConfigSchema, ingressConfigSchema, notifyConfigSchema, once, readConfig, reconcileConfigSchema } from '../../../shared/runtime/config';

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
