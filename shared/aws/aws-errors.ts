/**
 * Recognises the SageMaker errors the adapters turn into outcomes. SageMaker reports several conditions as an
 * unmodelled `ValidationException` distinguished only by its message, and JS SDK v3 exports no class for it, so
 * these checks read `err.name` and `err.message`, never `instanceof` (aws-facts §0 gotcha 7, §4.1).
 */

interface NamedError {
  name?: unknown;
  message?: unknown;
}

function parts(err: unknown): { name: string; message: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NamedError;
  return { name: typeof e.name === 'string' ? e.name : '', message: typeof e.message === 'string' ? e.message : '' };
}

/**
 * The resource does not exist: a `ValidationException` "Could not find …" (DescribeEndpoint, DeleteEndpoint,
 * UpdateEndpoint, DescribeModel, DescribeEndpointConfig) or a modelled `ResourceNotFound` (pipelines, packages).
 */
export function isNotFound(err: unknown): boolean {
  const { name, message } = parts(err);
  return name === 'ResourceNotFound' || (name === 'ValidationException' && message.startsWith('Could not find'));
}

/** A create with a name already taken: `ValidationException` "Cannot create already existing …" (model, config, endpoint). */
export function isAlreadyExists(err: unknown): boolean {
  const { name, message } = parts(err);
  return name === 'ValidationException' && message.startsWith('Cannot create already existing');
}

/** An update or delete of an endpoint that is Creating or Updating: `ValidationException` "Cannot update in-progress endpoint". */
export function isInProgress(err: unknown): boolean {
  const { name, message } = parts(err);
  return name === 'ValidationException' && message.startsWith('Cannot update in-progress endpoint');
}
