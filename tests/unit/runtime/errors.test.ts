/**
 * The error taxonomy every handler shares: what is retried (thrown back to Lambda/SQS) and what is terminal
 * (recorded, alerted, dropped).
 */
import * as z from 'zod';
import { classifyError, ConflictError, messageOf, RetryableError, TerminalError } from '../../../shared/runtime/errors';

/** An error as the AWS SDK v3 throws it: a service exception named after the error code. */
function awsError(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

/** A real ZodError, as `schema.parse` throws it. */
function zodError(): unknown {
  try {
    z.strictObject({ modelGroup: z.string() }).parse({ modelGroup: 3 });
  } catch (error) {
    return error;
  }
  throw new Error('expected the parse to fail');
}

describe('Function: classifyError', () => {
  it.each<[string, unknown, 'retryable' | 'terminal']>([
    ['a TerminalError', new TerminalError('The report at s3://b/k does not match its layout'), 'terminal'],
    ['a RetryableError', new RetryableError('Cannot update in-progress endpoint'), 'retryable'],
    ['a ConflictError (a stale revision)', new ConflictError('Revision 4 is stale (now 5)'), 'retryable'],
    ['ThrottlingException', awsError('ThrottlingException', 400), 'retryable'],
    ['TooManyRequestsException', awsError('TooManyRequestsException', 429), 'retryable'],
    ['ProvisionedThroughputExceededException', awsError('ProvisionedThroughputExceededException', 400), 'retryable'],
    ['ServiceUnavailableException', awsError('ServiceUnavailableException', 503), 'retryable'],
    ['InternalServerError', awsError('InternalServerError', 500), 'retryable'],
    ['ConditionalCheckFailedException (another writer)', awsError('ConditionalCheckFailedException', 400), 'retryable'],
    ['TransactionConflictException', awsError('TransactionConflictException', 400), 'retryable'],
    ['AccessDeniedException', awsError('AccessDeniedException', 400), 'terminal'],
    ['AccessDenied (S3)', awsError('AccessDenied', 403), 'terminal'],
    ['UnrecognizedClientException', awsError('UnrecognizedClientException', 400), 'terminal'],
    ['ExpiredTokenException', awsError('ExpiredTokenException', 400), 'terminal'],
    ['a ZodError', zodError(), 'terminal'],
    ['an unknown Error', new Error('socket hang up'), 'retryable'],
    ['an unknown AWS error name', awsError('ValidationException', 400), 'retryable'],
    ['a string', 'something went wrong', 'retryable'],
    ['undefined', undefined, 'retryable'],
    ['null', null, 'retryable'],
    ['a plain object named like a terminal AWS error', { name: 'AccessDeniedException', message: 'denied' }, 'terminal'],
  ])('classifies %s', (_case, error, expected) => {
    // Act
    const kind = classifyError(error);

    // Assess
    expect(kind).toBe(expected);
  });

  it('keeps the taxonomy of a TerminalError even when its cause is retryable', () => {
    // Prepare
    const error = new TerminalError('gave up', { cause: new RetryableError('throttled') });

    // Act
    const kind = classifyError(error);

    // Assess
    expect(kind).toBe('terminal');
    expect(error.cause).toBeInstanceOf(RetryableError);
  });
});

describe('Function: messageOf', () => {
  it.each<[string, unknown, string]>([
    ['an Error', new Error('socket hang up'), 'socket hang up'],
    ['a TerminalError', new TerminalError('bad layout'), 'bad layout'],
    ['a string', 'plain text', 'plain text'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
  ])('gives the message of %s', (_case, error, expected) => {
    // Act
    const message = messageOf(error);

    // Assess
    expect(message).toBe(expected);
  });
});

describe('Function: error classes', () => {
  it('names each class, so logs and classification by name agree', () => {
    // Prepare
    const errors = [new RetryableError('r'), new TerminalError('t'), new ConflictError('c')];

    // Act
    const names = errors.map((e) => e.name);

    // Assess
    expect(names).toEqual(['RetryableError', 'TerminalError', 'ConflictError']);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    expect(new ConflictError('c')).toBeInstanceOf(RetryableError);
  });
});
