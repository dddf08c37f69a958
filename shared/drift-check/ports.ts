/** What the drift check reads and writes through, beyond the reconciler's ports. */
import type { IngressDeps } from '../ingress/ingress';
import type { DocumentWriter, Documents, Registry } from '../reconcile/ports';

/** Captured requests: the JSON lines of every capture file under a prefix, in no promised order. */
export interface CaptureSource {
  lines(prefixUri: string): AsyncIterable<string>;
}

export interface DriftCheckDeps extends Pick<IngressDeps, 'state' | 'bus' | 'queue' | 'clock'> {
  registry: Pick<Registry, 'describePackage'>;
  documents: Documents & DocumentWriter;
  capture: CaptureSource;
  /** Where endpoints capture (DATA_CAPTURE_S3_URI): `<uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/`. */
  captureUri: string;
  /** Where the check writes its reports (`<uri>/<group>/v<version>/<window end>/`). */
  reportsUri: string;
}
