/**
 * The message every trigger turns into: "reconcile model group G", with why (for the logs and the ledger).
 * It carries identity only; the reconciler reads the whole current state itself (level-triggered).
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

export const reconcileRequestSchema = z.strictObject({
  modelGroup: z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'a SageMaker model package group name'),
  /** What happened, in a few words, e.g. `Model Package State Change: Approved`. */
  reason: z.string().min(1).max(512),
  /** The event that triggered it (EventBridge id, or the sweep's/CLI's own id). */
  trigger: z.strictObject({
    source: z.string(),
    detailType: z.string(),
    eventId: z.string().min(1).max(128),
    time: z.string(),
  }),
});

export type ReconcileRequest = z.infer<typeof reconcileRequestSchema>;
