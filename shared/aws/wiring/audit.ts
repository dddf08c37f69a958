/** Composition for audit: the ledger's records in the audit bucket, its index in the state table, the clock. */
import type { AppendDeps } from '../../governance/append-record';
import type { AuditConfig } from '../../runtime/config';
import { dynamoDbDocumentClient, s3Client } from '../clients';
import { makeDynamoDbLedgerIndex } from '../dynamodb-ledger-index';
import { makeS3Ledger } from '../s3-ledger-store';
import { systemClock } from './clock';

export function awsAuditDeps(config: AuditConfig): AppendDeps {
  const region = { region: config.AWS_REGION };
  return {
    store: makeS3Ledger(s3Client(region), { bucket: config.AUDIT_BUCKET }),
    index: makeDynamoDbLedgerIndex(dynamoDbDocumentClient(region), { tableName: config.STATE_TABLE }),
    clock: systemClock,
  };
}
