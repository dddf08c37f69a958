/**
 * Reading an observed endpoint: is it busy, and which config does it serve.
 */
import type { EndpointObservation, EndpointStatus } from './model';

/** Statuses in which SageMaker refuses another update ("Cannot update in-progress endpoint"). */
const BUSY: ReadonlySet<EndpointStatus> = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);

/** True while an update, create or delete runs on the endpoint. */
export function isBusy(endpoint: EndpointObservation | undefined): boolean {
  return endpoint !== undefined && BUSY.has(endpoint.status);
}

/** True when the endpoint is InService with `configName` and nothing pending. */
export function serves(endpoint: EndpointObservation | undefined, configName: string): boolean {
  return endpoint?.status === 'InService' && endpoint.configName === configName && endpoint.pendingConfigName === undefined;
}
