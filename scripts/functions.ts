/**
 * The Lambda functions of the control plane: one folder under functions/ each, one bundle each.
 * Ingress functions are held to the smaller bundle budget (DESIGN §11).
 */
export const FUNCTIONS = [
  { name: 'pipeline-execution', kind: 'ingress' },
  { name: 'model-package', kind: 'ingress' },
  { name: 'endpoint', kind: 'ingress' },
  { name: 'alarm', kind: 'ingress' },
  { name: 'approval-trail', kind: 'ingress' },
  { name: 'monitoring-execution', kind: 'worker' },
  { name: 'sweep', kind: 'ingress' },
  { name: 'reconcile', kind: 'worker' },
  { name: 'notify', kind: 'worker' },
  { name: 'audit', kind: 'worker' },
  { name: 'drift-check', kind: 'worker' },
  { name: 'judge', kind: 'worker' },
  { name: 'experiment-judge', kind: 'worker' },
] as const;

export type FunctionName = (typeof FUNCTIONS)[number]['name'];

/** Budgets in bytes of minified bundle. */
export const BUDGET = { ingress: 500 * 1024, worker: 1024 * 1024 } as const;
