import { clientToken, endpointConfigName, endpointName, fitName, modelName, rollbackAlarmNames, shortHash } from '../../../shared/lifecycle/names';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/lifecycle/policy';
import { GROUP, packageArn } from '../../support/lifecycle-fixtures';

/** SageMaker's name pattern for models, endpoint configs and endpoints. */
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const LONG_GROUPS = [
  ['53 characters', 'credit-risk-retail-mortgages-de-at-ch-private-banking'],
  ['63 characters', 'credit-risk-retail-mortgages-de-at-ch-private-banking-2026-q4-x'],
  ['120 characters', `credit-risk-retail-${'consumer-loans-'.repeat(6)}${'x'.repeat(11)}`],
] as const;

const config = { modelName: 'credit-risk-retail-v3-1a2b3c4d', variantName: 'AllTraffic', instanceType: 'ml.m5.xlarge', instanceCount: 2, dataCaptureSamplingPercent: 100 };

describe('Function: endpointName', () => {
  it.each([
    ['staging', 'credit-risk-retail-staging'],
    ['production', 'credit-risk-retail-prod'],
  ] as const)('names the %s endpoint <group>-<env> by default', (environment, name) => {
    expect(endpointName(GROUP, environment, DEFAULT_POLICY)).toBe(name);
  });

  it.each([
    ['staging', 'retail-scoring-staging'],
    ['production', 'retail-scoring-prod'],
  ] as const)('uses the %s endpoint name the policy gives', (environment, name) => {
    const policy = parsePolicy({ staging: { endpointName: 'retail-scoring-staging' }, production: { endpointName: 'retail-scoring-prod' } });

    expect(endpointName(GROUP, environment, policy)).toBe(name);
  });

  // Regression (found by these tables, fixed): for a group name of 54+ characters both endpoint names are cut to the same base and get the same
  // suffix (a hash of the group alone), so staging and production resolve to ONE endpoint: a staging deploy
  // would replace the production fleet.
  it.each(LONG_GROUPS.slice(1))('gives staging and production different endpoints for a group of %s', (_, group) => {
    expect(endpointName(group, 'staging', DEFAULT_POLICY)).not.toBe(endpointName(group, 'production', DEFAULT_POLICY));
  });
});

describe('Function: names of SageMaker resources', () => {
  it.each(LONG_GROUPS)('keeps every name within 63 characters and SageMaker’s pattern for a group of %s', (_, group) => {
    const names = [
      endpointName(group, 'staging', DEFAULT_POLICY),
      endpointName(group, 'production', DEFAULT_POLICY),
      modelName(group, 987, packageArn(987)),
      endpointConfigName(group, 987, 'staging', config),
      endpointConfigName(group, 987, 'production', config),
    ];

    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(SAGEMAKER_NAME);
    }
  });

  it('names the same model and config for the same inputs (no time in names)', () => {
    expect(modelName(GROUP, 3, packageArn(3))).toBe(modelName(GROUP, 3, packageArn(3)));
    expect(endpointConfigName(GROUP, 3, 'production', config)).toBe(endpointConfigName(GROUP, 3, 'production', { ...config }));
  });

  it('names a model <group>-v<version>-<hash of the package ARN>', () => {
    expect(modelName(GROUP, 3, packageArn(3))).toBe(`credit-risk-retail-v3-${shortHash(packageArn(3))}`);
  });

  it.each([
    ['instance type', { instanceType: 'ml.m5.2xlarge' }],
    ['instance count', { instanceCount: 3 }],
    ['data capture', { dataCaptureSamplingPercent: 20 }],
    ['model', { modelName: 'credit-risk-retail-v3-99999999' }],
  ])('names a different config when the %s differs', (_, change) => {
    expect(endpointConfigName(GROUP, 3, 'production', { ...config, ...change })).not.toBe(endpointConfigName(GROUP, 3, 'production', config));
  });

  it('names configs <group>-v<version>-<env>-<hash>', () => {
    expect(endpointConfigName(GROUP, 3, 'staging', config)).toMatch(/^credit-risk-retail-v3-staging-[0-9a-f]{8}$/);
    expect(endpointConfigName(GROUP, 3, 'production', config)).toMatch(/^credit-risk-retail-v3-prod-[0-9a-f]{8}$/);
  });
});

describe('Function: fitName', () => {
  it('keeps a short name whole', () => {
    expect(fitName('credit-risk-retail-v3', 'abcd1234')).toBe('credit-risk-retail-v3-abcd1234');
  });

  it('cuts the base, never the suffix, and leaves no hyphen before the suffix', () => {
    const base = `${'a'.repeat(52)}--bbbbbbbb`;

    expect(fitName(base, 'abcd1234')).toBe(`${'a'.repeat(52)}-abcd1234`);
  });
});

describe('Function: shortHash and clientToken', () => {
  it('hashes to 8 hex characters by default', () => {
    expect(shortHash('credit-risk-retail')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('derives a 32-character token (UpdateModelPackage allows 36) that is stable for the same intent', () => {
    const token = clientToken(packageArn(3), 'Approved', 5);

    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(clientToken(packageArn(3), 'Approved', 5)).toBe(token);
    expect(clientToken(packageArn(3), 'Approved', 6)).not.toBe(token);
    expect(clientToken(packageArn(3), 'Rejected', 5)).not.toBe(token);
  });
});

describe('Function: rollbackAlarmNames', () => {
  it('fills the production endpoint into every template', () => {
    const policy = parsePolicy({ production: { rollbackAlarms: ['creditai-{endpoint}-p99-latency', '{endpoint}-model-quality-{endpoint}'] } });

    expect(rollbackAlarmNames(policy, 'credit-risk-retail-prod')).toEqual(['creditai-credit-risk-retail-prod-p99-latency', 'credit-risk-retail-prod-model-quality-credit-risk-retail-prod']);
  });
});
