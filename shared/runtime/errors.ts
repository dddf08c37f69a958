/**
 * One error taxonomy for every handler:
 * - RetryableError: throw; Lambda/SQS/EventBridge retry it and the DLQ catches exhaustion.
 * - TerminalError: retrying cannot help (bad configuration, refused permission); record it, alert, return.
 * - expected outcomes (an unmanaged group, a malformed event) are values, not errors.
 */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class TerminalError extends Error {
  override readonly name: string = 'TerminalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another writer moved the group's revision first: re-read and decide again. */
export class ConflictError extends RetryableError {
  override readonly name = 'ConflictError';
}

/** AWS error names that retrying later can fix. */
const RETRYABLE_AWS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'TransactionConflictException',
  'ConditionalCheckFailedException',
]);

const TERMINAL_AWS = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredTokenException']);

/** Classifies anything thrown into the taxonomy; unknown errors are retryable (the DLQ is the backstop). */
export function classifyError(error: unknown): 'retryable' | 'terminal' {
  if (error instanceof TerminalError) return 'terminal';
  if (error instanceof RetryableError) return 'retryable';
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name && TERMINAL_AWS.has(e.name)) return 'terminal';
  if (e?.name && RETRYABLE_AWS.has(e.name)) return 'retryable';
  if (e?.name === 'ZodError') return 'terminal';
  return 'retryable';
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
