/**
 * The one middleware through which the twin answers AWS SDK v3 commands: it validates the input against the
 * extracted API models, runs the service twin's operation and returns its output, without calling `next` (no HTTP,
 * no credentials, no retries).
 *
 * Where it sits, and why there: in the serialize step, just before `httpAuthSchemeMiddleware`. At that point
 * lib-dynamodb's `DocumentMarshall` (added before `serializerMiddleware` by every DocumentClient command) has
 * marshalled the input into AttributeValues, and nothing has asked for credentials yet: `httpAuthSchemeMiddleware`
 * resolves the identity, and DynamoDB's `endpointV2Middleware` asks the credentials for the account id. A
 * serialize-step middleware with priority `high` would run BEFORE `DocumentMarshall` (a client's own middleware
 * precedes the command's), so it would see native JS values; one after the endpoint middleware would need
 * credentials. lib-dynamodb's `DocumentUnmarshall` sits in the deserialize step, which the twin never reaches, so
 * a service that serves DocumentClients shapes its output itself ({@link SdkAwareServiceTwin.toSdkOutput}).
 */
import { validateInput } from './aws-model-validator';
import { TwinServiceError, type ServiceContext, type ServiceTwin } from './types';

/** The middleware's name in every client's stack. */
export const TWIN_MIDDLEWARE_NAME = 'creditaiTwin';

/** One request a service answered (validated, implemented), in the order they arrived. */
export interface TwinCall {
  /** The service's model folder (`dynamodb`, `sagemaker`, …). */
  service: string;
  /** The API operation (`PutItem`), not the command name. */
  operation: string;
  /** The input as the service saw it (for DynamoDB: already marshalled into AttributeValues). */
  input: Record<string, unknown>;
}

/** What the middleware knows of an SDK call beyond its input. */
export interface SdkCall {
  /** The SDK's handler context (`clientName`, `commandName`, `__aws_sdk_context.features`, …). */
  handlerContext: Record<string, unknown>;
  /** The client's resolved config (a DocumentClient's `translateConfig` is there). */
  clientConfig: Record<string, unknown>;
}

/** A service twin that also shapes its output for the SDK layer that sent the command. */
export interface SdkAwareServiceTwin extends ServiceTwin {
  /**
   * The output the caller should get for `output` (the operation's wire-level answer): e.g. DynamoDB unmarshalls
   * the AttributeValues of a lib-dynamodb command, as its `DocumentUnmarshall` middleware would have.
   */
  toSdkOutput?(operation: string, output: Record<string, unknown>, call: SdkCall): Record<string, unknown>;
}

type Handler = (args: { input?: unknown }) => Promise<{ output: unknown; response: unknown }>;
type TwinMiddleware = (next: Handler, context: Record<string, unknown>) => Handler;

/** Any AWS SDK v3 client (or DocumentClient), as far as installing the twin needs it. */
export interface SdkClientLike {
  middlewareStack: {
    // `never`: every client's stack is typed with its own input and output types; the twin's middleware fits all.
    addRelativeTo(middleware: never, options: { name: string; relation: 'before'; toMiddleware: string; override?: boolean }): void;
    remove(toRemove: string): boolean;
  };
  config: object;
}

/** What the middleware needs from the twin. */
export interface TwinDispatch {
  serviceFor(clientName: string): SdkAwareServiceTwin | undefined;
  record(call: TwinCall): void;
  context: ServiceContext;
  nextRequestId(): string;
}

/** At most this many problems are quoted in a ValidationException message (AWS quotes a few, then counts). */
const QUOTED_PROBLEMS = 3;

// Which twin each middleware stack answers to: a DocumentClient shares its stack with the DynamoDBClient it wraps,
// and clients are memoised per process (shared/aws/clients.ts), so a stack may outlive the twin installed on it.
const installedOn = new WeakMap<object, TwinDispatch>();

/**
 * Adds the twin's middleware to `client`. Installing the same twin again is a no-op; installing another twin
 * replaces the previous one (a test that builds a fresh twin gets the calls of the memoised clients).
 */
export function installTwinMiddleware(client: SdkClientLike, dispatch: TwinDispatch): void {
  const stack = client.middlewareStack;
  if (installedOn.get(stack) === dispatch) return;
  stack.remove(TWIN_MIDDLEWARE_NAME);
  stack.addRelativeTo(twinMiddleware(client, dispatch) as never, {
    name: TWIN_MIDDLEWARE_NAME,
    relation: 'before',
    toMiddleware: 'httpAuthSchemeMiddleware',
    override: true,
  });
  installedOn.set(stack, dispatch);
}

function twinMiddleware(client: SdkClientLike, dispatch: TwinDispatch): TwinMiddleware {
  return (_next, handlerContext) => async (args) => {
    const clientName = String(handlerContext.clientName);
    const commandName = String(handlerContext.commandName);
    const service = dispatch.serviceFor(clientName);
    if (!service) throw new Error(`The twin has no service for ${clientName}; add one in scripts/twin/services`);
    const operation = commandName.replace(/Command$/, '');
    const input = (args.input ?? {}) as Record<string, unknown>;

    // AWS refuses a request that does not match its model before any service logic runs; so does the twin.
    const problems = validateInput(service.model, operation, input);
    if (problems.length > 0) {
      const more = problems.length > QUOTED_PROBLEMS ? ` (and ${problems.length - QUOTED_PROBLEMS} more)` : '';
      const plural = problems.length === 1 ? '' : 's';
      const quoted = problems.slice(0, QUOTED_PROBLEMS).join('; ');
      throw new TwinServiceError('ValidationException', `${problems.length} validation error${plural} detected: ${quoted}${more}`);
    }
    const run = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
    if (!run) {
      throw new Error(`${service.model}:${operation} (${commandName} on ${clientName}) is not implemented by the twin; add it to scripts/twin/services`);
    }

    dispatch.record({ service: service.model, operation, input });
    const result = await run(input, dispatch.context);
    const output = service.toSdkOutput?.(operation, result, { handlerContext, clientConfig: client.config as Record<string, unknown> }) ?? result;
    return {
      output: { ...output, $metadata: { httpStatusCode: 200, requestId: dispatch.nextRequestId(), attempts: 1, totalRetryDelay: 0 } },
      // Middlewares outside this one that look at the raw response find an empty 200.
      response: { statusCode: 200, headers: {} },
    };
  };
}
