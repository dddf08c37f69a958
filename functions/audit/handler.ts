/** audit: every domain event of the project bus → one record in its group's chain of the audit ledger. */
import { awsAuditDeps } from '../../shared/aws/wiring/audit';
import { auditConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeAuditHandler } from '../../shared/runtime/audit-handler';

export const handler = makeAuditHandler(once(() => awsAuditDeps(readConfig(auditConfigSchema, process.env))));
