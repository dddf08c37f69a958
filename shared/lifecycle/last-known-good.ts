/**
 * The rollback target of a group: the newest version that once served production and was replaced there, unless
 * its approval has since been revoked (such a version is never put back in front of customers).
 */
import type { VersionStatus } from './model';

export function lastKnownGood(versions: readonly VersionStatus[], isRevoked: (version: number) => boolean): VersionStatus | undefined {
  return versions
    .filter((v) => v.phase === 'Superseded' && v.liveSince && v.deployments.production && !isRevoked(v.version))
    .sort((a, b) => b.version - a.version)[0];
}
