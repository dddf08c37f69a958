/**
 * Deterministic names: every resource the control plane creates is named from group, version and a hash of its
 * spec, never from time, so a retried create finds "already exists" instead of making a twin.
 */
import { createHash } from 'node:crypto';
import type { Environment } from './phases';
import type { Policy } from './policy';

/** SageMaker names (models, endpoint configs, endpoints): at most 63 of `[a-zA-Z0-9-]`. */
const MAX_NAME = 63;

/** First `length` hex characters of the SHA-256 of `value`. */
export function shortHash(value: string, length = 8): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/** `base-suffix` within 63 characters: the base is cut (never the suffix), without a dangling hyphen. */
export function fitName(base: string, suffix: string): string {
  const room = MAX_NAME - suffix.length - 1;
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

const ENV_SUFFIX: Record<Environment, string> = { staging: 'staging', production: 'prod' };

/** The endpoint of an environment: the policy's name, or `<group>-staging` / `<group>-prod`. */
export function endpointName(group: string, environment: Environment, policy: Policy): string {
  const configured = environment === 'staging' ? policy.staging.endpointName : policy.production.endpointName;
  if (configured) return configured;
  const name = `${group}-${ENV_SUFFIX[environment]}`;
  return name.length <= MAX_NAME ? name : fitName(name, shortHash(`${group}/${environment}`));
}

/** The SageMaker model of a version: one per model package, shared by both environments. */
export function modelName(group: string, version: number, modelPackageArn: string): string {
  return fitName(`${group}-v${version}`, shortHash(modelPackageArn));
}

/** The endpoint config of a version in an environment; the hash covers everything the config holds. */
export function endpointConfigName(group: string, version: number, environment: Environment, spec: unknown): string {
  return fitName(`${group}-v${version}-${ENV_SUFFIX[environment]}`, shortHash(JSON.stringify(spec)));
}

/** Rollback alarm names for a production endpoint, from the policy's `{endpoint}` templates. */
export function rollbackAlarmNames(policy: Policy, productionEndpoint: string): string[] {
  return policy.production.rollbackAlarms.map((t) => t.replaceAll('{endpoint}', productionEndpoint));
}

/** A client token of at most 36 characters (UpdateModelPackage) that is the same for the same intent. */
export function clientToken(...parts: (string | number)[]): string {
  return shortHash(parts.join('|'), 32);
}
