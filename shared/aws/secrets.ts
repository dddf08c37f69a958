/**
 * Secrets (the PagerDuty routing key and the like) from SSM Parameter Store or Secrets Manager, cached per
 * process. Values are never logged and never put in an error message.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { TerminalError } from '../runtime/errors';

/** Options of {@link makeSecretReader}. */
export interface SecretReaderOptions {
  /** How long a value is reused; 5 minutes by default, so a rotated secret is picked up soon. */
  ttlMs?: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

/** Reads a secret by name: `/path/name` is an SSM SecureString parameter, anything else a Secrets Manager secret. */
export type ReadSecret = (name: string) => Promise<string>;

const DEFAULT_TTL_MS = 5 * 60 * 1000;
const NOT_FOUND = new Set(['ParameterNotFound', 'ResourceNotFoundException']);

/**
 * Builds `readSecret`. SSM: GetParameter WithDecryption, and the parameter must be a SecureString (a plain
 * String holding a secret is a misconfiguration, refused). Secrets Manager: GetSecretValue's SecretString.
 * A missing secret is a TerminalError naming it; other errors propagate. Values (and in-flight reads) are cached
 * for `ttlMs`; a failed read is not cached. Call once per process, at module scope.
 * @example
 * const readSecret = makeSecretReader(clients.ssm, clients.secretsManager);
 * const routingKey = await readSecret('/creditai/pagerduty/routing-key');
 */
export function makeSecretReader(ssm: SSMClient, secretsManager: SecretsManagerClient, options: SecretReaderOptions = {}): ReadSecret {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: Promise<string>; expires: number }>();

  async function fetchSecret(name: string): Promise<string> {
    try {
      if (name.startsWith('/')) {
        const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        if (out.Parameter?.Type !== 'SecureString') throw new TerminalError(`Parameter ${name} is not a SecureString; refusing to use it as a secret`);
        if (!out.Parameter.Value) throw new TerminalError(`Parameter ${name} has no value`);
        return out.Parameter.Value;
      }
      const out = await secretsManager.send(new GetSecretValueCommand({ SecretId: name }));
      if (out.SecretString === undefined) throw new TerminalError(`Secret ${name} has no SecretString (binary secrets are not supported)`);
      return out.SecretString;
    } catch (error) {
      const errorName = (error as { name?: string })?.name;
      if (errorName && NOT_FOUND.has(errorName)) throw new TerminalError(`Secret ${name} does not exist`, { cause: error });
      throw error;
    }
  }

  return async function readSecret(name) {
    const cached = cache.get(name);
    if (cached && cached.expires > now()) return cached.value;
    const value = fetchSecret(name);
    cache.set(name, { value, expires: now() + ttlMs });
    try {
      return await value;
    } catch (error) {
      if (cache.get(name)?.value === value) cache.delete(name);
      throw error;
    }
  };
}
