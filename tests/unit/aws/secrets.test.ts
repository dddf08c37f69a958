import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeSecretReader } from '../../../shared/aws/secrets';
import { TerminalError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const ssm = mockClient(SSMClient);
const secretsManager = mockClient(SecretsManagerClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(ssm)) expectValidAwsInput('ssm', command);
    for (const command of recordedCallsOf(secretsManager)) expectValidAwsInput('secretsmanager', command);
  } finally {
    ssm.reset();
    secretsManager.reset();
  }
});

function reader(clock = { t: 0 }) {
  return makeSecretReader(new SSMClient({}), new SecretsManagerClient({}), { now: () => clock.t });
}

describe('Function: makeSecretReader', () => {
  it('reads a /path name as a decrypted SSM SecureString', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/creditai/pagerduty/routing-key', Type: 'SecureString', Value: 'R0UT1NG' } });
    await expect(reader()('/creditai/pagerduty/routing-key')).resolves.toBe('R0UT1NG');
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/creditai/pagerduty/routing-key', WithDecryption: true });
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('reads any other name from Secrets Manager', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 's3cret' });
    await expect(reader()('creditai/pagerduty')).resolves.toBe('s3cret');
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'creditai/pagerduty' });
    expect(ssm.calls()).toHaveLength(0);
  });

  it('caches a value for 5 minutes, then reads it again', async () => {
    const clock = { t: 0 };
    const read = reader(clock);
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'first' }).resolves({ SecretString: 'rotated' });

    await expect(read('creditai/pagerduty')).resolves.toBe('first');
    clock.t = 5 * 60 * 1000 - 1;
    await expect(read('creditai/pagerduty')).resolves.toBe('first');
    clock.t = 5 * 60 * 1000;
    await expect(read('creditai/pagerduty')).resolves.toBe('rotated');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('does not cache a failure', async () => {
    const read = reader();
    secretsManager.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'ok' });
    await expect(read('creditai/pagerduty')).rejects.toThrow('throttled');
    await expect(read('creditai/pagerduty')).resolves.toBe('ok');
  });

  it('refuses a plain String parameter without revealing its value', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/creditai/key', Type: 'String', Value: 'PLAINTEXT-VALUE' } });
    const error = await reader()('/creditai/key').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).not.toContain('PLAINTEXT-VALUE');
  });

  it('refuses a binary secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(reader()('creditai/binary')).rejects.toBeInstanceOf(TerminalError);
  });

  it.each([
    ['/creditai/missing', () => ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ $metadata: {}, message: 'not found' }))],
    ['creditai/missing', () => secretsManager.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'not found' }))],
  ])('turns a missing secret %s into a TerminalError naming it', async (name, arrange) => {
    arrange();
    await expect(reader()(name)).rejects.toThrow(new TerminalError(`Secret ${name} does not exist`).message);
  });
});
