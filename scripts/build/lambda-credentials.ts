/**
 * What the bundles use instead of @aws-sdk/credential-provider-node. Lambda always hands a function its role's
 * credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the full
 * default chain (SSO, INI files, STS web identity, IMDS, process) is dead weight in a bundle: about 80 KB of
 * nested clients that pushed the ingress functions over their 500 KB budget. The build aliases the chain to this
 * module; the CLI and the tests keep the real chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The same export the SDK clients' runtime configs import from @aws-sdk/credential-provider-node. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
