/**
 * One reconcile request from the FIFO queue: parse it, reconcile its group (once per batch: the reconciler reads
 * the whole state, so a second request for the same group in the same batch has nothing left to add), and map
 * failures onto the taxonomy: retryable errors go back to the queue, terminal ones are announced and dropped.
 */
import { reconcileRequestSchema } from '../contracts/reconcile-request';
import { shortHash } from '../lifecycle/names';
import { classifyError, messageOf } from '../runtime/errors';
import { reconcileGroup, type ReconcileDeps, type ReconcileOutcome } from './reconcile-group';

export type RequestOutcome = ReconcileOutcome | { outcome: 'coalesced' | 'malformed' | 'terminal-error'; passes: 0; message?: string };

export async function handleReconcileRequest(deps: ReconcileDeps, body: string, done: Set<string>): Promise<RequestOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const parsed = reconcileRequestSchema.safeParse(json);
  // Only our own ingress writes to this queue: a malformed message is a bug to see in the logs, never to retry.
  if (!parsed.success) return { outcome: 'malformed', passes: 0, message: parsed.error.message };
  const group = parsed.data.modelGroup;
  if (done.has(group)) return { outcome: 'coalesced', passes: 0 };
  try {
    const outcome = await reconcileGroup(deps, group);
    done.add(group);
    return outcome;
  } catch (error) {
    if (classifyError(error) === 'retryable') throw error;
    const message = messageOf(error).slice(0, 2000);
    await deps.bus.publish([
      {
        detailType: 'ReconcileFailed',
        detail: {
          schemaVersion: 1,
          eventKey: `${group}/terminal/${shortHash(message)}/ReconcileFailed`,
          modelGroup: group,
          occurredAt: deps.clock.now(),
          severity: 'error',
          reason: 'TerminalError',
          message,
        },
      },
    ]);
    done.add(group);
    return { outcome: 'terminal-error', passes: 0, message };
  }
}
