/**
 * SSM Parameter Store (`GetParameter`) and Secrets Manager (`GetSecretValue`) over seeded maps: what the notify
 * function reads its PagerDuty routing key from. Values are fixed when the twin is built; nothing rotates them.
 */
import { createHash } from 'node:crypto';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from '../core/types';

type Json = Record<string, unknown>;

/** A seeded SSM parameter: a plain value is a SecureString (what a secret should be). */
export type SeededParameter = string | { value: string; type: 'String' | 'StringList' | 'SecureString' };

/** When the seeded values were "created" (parameters and secrets predate every scenario). */
const SEEDED_AT = new Date('2026-01-01T00:00:00Z');

/** A deterministic, UUID-shaped id from text (Secrets Manager version ids are 32–64 characters). */
function idFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Builds the SSM twin (model `ssm`, client `SSMClient`): GetParameter by name or ARN. A SecureString read without
 * `WithDecryption` returns ciphertext, as SSM does; a missing parameter is `ParameterNotFound`.
 * @example
 * createSsmService({ '/creditai/pagerduty/routing-key': 'R0UT1NGKEY' })
 */
export function createSsmService(parameters: Record<string, SeededParameter> = {}): ServiceTwin {
  const store = new Map(Object.entries(parameters).map(([name, p]) => [name, typeof p === 'string' ? { value: p, type: 'SecureString' as const } : p]));

  async function GetParameter(input: Json, ctx: ServiceContext): Promise<Json> {
    const requested = String(input.Name);
    // An ARN names `parameter/<name>` (a name without a leading slash gains one in its ARN).
    const arn = /^arn:aws[\w-]*:ssm:([^:]+):(\d{12}):parameter(\/[^:]*)(:.*)?$/.exec(requested);
    const path = arn && arn[1] === ctx.region && arn[2] === ctx.account ? arn[3]! : undefined;
    const name = path === undefined ? requested : store.has(path) ? path : path.slice(1);
    // Names cannot hold a colon: one introduces a version or label selector (`name:3`, `name:prod`).
    if (requested.includes(':') && (!arn || arn[4] !== undefined)) throw new Error('SSM twin: parameter version and label selectors are not implemented');
    const parameter = store.get(name);
    // SSM answers a missing parameter with the bare error code and no message.
    if (!parameter) throw new TwinServiceError('ParameterNotFound', '');
    const decrypt = input.WithDecryption === true;
    const value = parameter.type === 'SecureString' && !decrypt ? Buffer.from(`kms-ciphertext:${idFrom(parameter.value)}`).toString('base64') : parameter.value;
    return {
      Parameter: {
        Name: name,
        Type: parameter.type,
        Value: value,
        Version: 1,
        LastModifiedDate: SEEDED_AT,
        ARN: `arn:aws:ssm:${ctx.region}:${ctx.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    };
  }

  return { model: 'ssm', clientName: 'SSMClient', operations: { GetParameter } };
}

/**
 * Builds the Secrets Manager twin (model `secretsmanager`, client `SecretsManagerClient`): GetSecretValue by name
 * or ARN, the AWSCURRENT version only.
 * @example
 * createSecretsManagerService({ 'creditai/pagerduty': 'R0UT1NGKEY' })
 */
export function createSecretsManagerService(secrets: Record<string, string> = {}): ServiceTwin {
  /** Secret ARNs end in the name and a 6-character suffix Secrets Manager adds. */
  const arnOf = (name: string, ctx: ServiceContext) => `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}-${idFrom(name).slice(0, 6)}`;

  async function GetSecretValue(input: Json, ctx: ServiceContext): Promise<Json> {
    const id = String(input.SecretId);
    const name = Object.keys(secrets).find((n) => n === id || arnOf(n, ctx) === id);
    if (name === undefined) throw new TwinServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    const versionId = idFrom(`${name}:1`);
    if ((input.VersionId !== undefined && input.VersionId !== versionId) || (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT')) {
      throw new TwinServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + String(input.VersionStage ?? input.VersionId));
    }
    return { ARN: arnOf(name, ctx), Name: name, VersionId: versionId, SecretString: secrets[name], VersionStages: ['AWSCURRENT'], CreatedDate: SEEDED_AT };
  }

  return { model: 'secretsmanager', clientName: 'SecretsManagerClient', operations: { GetSecretValue } };
}
