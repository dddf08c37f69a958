import { isBusy, serves } from '../../../shared/lifecycle/endpoints';
import type { EndpointObservation, EndpointStatus } from '../../../shared/lifecycle/model';
import { STAGING_ENDPOINT, anEndpoint } from '../../support/lifecycle-fixtures';

const V3 = 'credit-risk-retail-v3-staging-66be8b81';
const V2 = 'credit-risk-retail-v2-staging-0c5e7a13';

describe('Function: isBusy', () => {
  it.each<[EndpointStatus, boolean]>([
    ['Creating', true],
    ['Updating', true],
    ['SystemUpdating', true],
    ['RollingBack', true],
    ['Deleting', true],
    ['InService', false],
    ['OutOfService', false],
    ['Failed', false],
    ['UpdateRollbackFailed', false],
  ])('reports an endpoint in %s as busy: %s', (status, busy) => {
    expect(isBusy(anEndpoint(STAGING_ENDPOINT, status, V3))).toBe(busy);
  });

  it('reports a missing endpoint as not busy', () => {
    expect(isBusy(undefined)).toBe(false);
  });
});

describe('Function: serves', () => {
  it.each<[string, EndpointObservation | undefined, boolean]>([
    ['InService with the config and nothing pending', anEndpoint(STAGING_ENDPOINT, 'InService', V3), true],
    ['InService with another config', anEndpoint(STAGING_ENDPOINT, 'InService', V2), false],
    ['InService with the config but another one pending', anEndpoint(STAGING_ENDPOINT, 'InService', V3, { pendingConfigName: V2 }), false],
    ['Updating towards the config', anEndpoint(STAGING_ENDPOINT, 'Updating', V2, { pendingConfigName: V3 }), false],
    ['Failed with the config', anEndpoint(STAGING_ENDPOINT, 'Failed', V3), false],
    ['missing', undefined, false],
  ])('says an endpoint %s serves the config: %s', (_, endpoint, expected) => {
    expect(serves(endpoint, V3)).toBe(expected);
  });
});
