/**
 * The rollback target of a group: the newest version that once served production and was replaced there, among
 * those `isEligible` accepts (decide() refuses a version whose approval was revoked or whose package is gone).
 */
import type { VersionStatus } from './model';

export function lastKnownGood(versions: readonly VersionStatus[], isEligible: (version: number) => boolean): VersionStatus | undefined {
  return versions
    .filter((v) => v.phase === 'Superseded' && v.liveSince && v.deployments.production && isEligible(v.version))
    .sort((a, b) => b.version - a.version)[0];
}
