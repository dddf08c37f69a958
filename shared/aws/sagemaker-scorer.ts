/**
 * Scores CSV rows against a SageMaker endpoint (the staging smoke test) as the `Scorer` port.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Scorer } from '../reconcile/ports';

/** Errors that are the model's own answer to the payload (its container refused it), not infrastructure trouble. */
const MODEL_REFUSALS = new Set(['ModelError', 'ValidationError']);

/**
 * The `Scorer` port over SageMaker Runtime: InvokeEndpoint with a text/csv body and Accept text/csv. A
 * ModelError or ValidationError resolves `{ failed: true, body: <message> }`; anything else (throttling, 5xx,
 * a missing endpoint) is rethrown for the caller to retry. The latency includes the network round trip.
 * @example
 * const { body, latencyMs } = await makeSageMakerScorer(clients.sagemakerRuntime).score('acme-staging', '1,2,3');
 */
export function makeSageMakerScorer(runtime: SageMakerRuntimeClient): Scorer {
  return {
    async score(endpointName, csv) {
      const started = performance.now();
      try {
        const out = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: csv }));
        const latencyMs = performance.now() - started;
        return { body: out.Body ? new TextDecoder().decode(out.Body) : '', latencyMs, failed: false };
      } catch (error) {
        const latencyMs = performance.now() - started;
        const e = error as { name?: string; message?: string };
        if (e?.name && MODEL_REFUSALS.has(e.name)) return { body: e.message ?? e.name, latencyMs, failed: true };
        throw error;
      }
    },
  };
}
