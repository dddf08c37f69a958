/**
 * Unreliable delivery: the happy path again, with EventBridge delivering 30 % of events twice and every event up
 * to a minute late (so events arrive out of order). The control plane must end in the same state, with the same
 * decisions in the ledger, as with reliable delivery.
 */
import { happyPath } from './happy-path';
import type { Scenario } from './run';

export const duplicateEvents: Scenario = {
  ...happyPath,
  name: 'duplicate-events',
  title: 'Duplicated and reordered events: the same end state',
  description: 'The happy path with 30 % of deliveries duplicated and every delivery up to a minute late (reordered): the same versions end in the same phases, with the same ledger decisions, as with reliable delivery.',
  delivery: { duplicateRate: 0.3, deliveryJitterMs: 60_000, seed: 17 },
};
