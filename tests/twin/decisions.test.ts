/**
 * Decisions of the simulated lender: every application the endpoint scores is approved or declined at the
 * decision threshold, and each decline carries its top 4 reason codes, computed with the explainer of the version
 * that served the request (its package's `explainer:uri`, read from S3 once per package).
 */
import { DescribeModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { sageMakerClient } from '../../shared/aws/clients';
import { EXPLAINER_METADATA_KEY, explainerSchema, type Explainer } from '../../shared/contracts/explainer';
import type { Application } from '../../shared/contracts/model-input';
import { reasonCodes } from '../../shared/governance/reason-codes';
import { endpointName } from '../../shared/lifecycle/names';
import { parsePolicy } from '../../shared/lifecycle/policy';
import { pushCommit } from '../../scripts/twin/ml/push';
import { DECISION_THRESHOLD, MODEL_SCHEMA } from '../../scripts/twin/ml/schema';
import { syntheticApplications } from '../../scripts/twin/ml/synthetic';
import { s3PipelineStorage } from '../../scripts/twin/services/sagemaker-pipeline-storage';
import { startTraffic, type Decision } from '../../scripts/twin/traffic';
import { createTwinWorld, TWIN_REGION, type TwinWorld } from '../../scripts/twin/world';

const GROUP = 'credit-risk-retail';
const MINUTE = 60_000;
const DECISIONS_URI = 's3://creditai-artifacts/decisions';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const packageArn = (version: number) => `arn:aws:sagemaker:${TWIN_REGION}:111122223333:model-package/${GROUP}/${version}`;

/** A seeded stream of applicants, each kept by its application_id. */
function applicantsById(seed: number) {
  const byId = new Map<string, Application>();
  let batch: Application[] = [];
  let next = seed;
  return {
    byId,
    take(count: number): Application[] {
      while (batch.length < count) batch = [...batch, ...syntheticApplications({ rows: 200, seed: next++ })];
      const taken = batch.splice(0, count);
      for (const a of taken) byId.set(String(a.application_id), a);
      return taken;
    },
  };
}

async function explainerOf(world: TwinWorld, version: number): Promise<{ uri: string; explainer: Explainer }> {
  const pkg = await sageMakerClient({ region: TWIN_REGION }).send(new DescribeModelPackageCommand({ ModelPackageName: packageArn(version) }));
  const uri = pkg.CustomerMetadataProperties![EXPLAINER_METADATA_KEY]!;
  return { uri, explainer: explainerSchema.parse(JSON.parse(text(world.s3.read(uri)))) };
}

describe('Twin: simulated decisions carry reason codes', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  it('declines above the threshold with the top 4 reasons of the serving version, across a version change', async () => {
    // Prepare: v1 trained and on staging
    world = await createTwinWorld();
    await world.manage(GROUP);
    await pushCommit(world, { commit: '4be1c0d3a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4', groups: [GROUP] });
    await world.advance(45 * MINUTE);
    const staging = endpointName(GROUP, 'staging', parsePolicy({}));
    const readSpy = jest.spyOn(world.s3, 'read');

    // Act: applicants for 10 minutes on v1; then v2 (trained on other data) replaces it on staging, traffic goes on
    const applicants = applicantsById(3_000);
    const traffic = startTraffic(world, { endpointName: staging, schema: MODEL_SCHEMA, applications: applicants.take, decisionsUri: DECISIONS_URI });
    await world.advance(10 * MINUTE);
    await pushCommit(world, { commit: '9d2e7f4c1b0a3e6d5c8b7a6f5e4d3c2b1a0f9e8d', groups: [{ group: GROUP, data: { seed: 11 } }] });
    await world.advance(50 * MINUTE);
    traffic.stop();
    const decisions = traffic.decisions();
    const trafficReads = readSpy.mock.calls.map(([uri]) => uri);
    readSpy.mockRestore();

    // Assess: every application of every answered request was decided, by v1 and then by v2
    expect(traffic.stats.refused).toBe(0);
    const answered = traffic.stats.requests - traffic.stats.unavailable;
    expect(decisions).toHaveLength(answered * 5);
    const versions = decisions.map((d) => d.version);
    expect(versions[0]).toBe(1);
    expect(versions.at(-1)).toBe(2);
    expect(versions.indexOf(2)).toBe(versions.lastIndexOf(1) + 1);
    expect(decisions.every((d) => d.modelKey === packageArn(d.version!))).toBe(true);

    // Assess: declined exactly above the threshold; some are, most are not
    expect(decisions.every((d) => d.declined === d.score > DECISION_THRESHOLD)).toBe(true);
    const declined = decisions.filter((d) => d.declined);
    expect(traffic.stats.declined).toBe(declined.length);
    expect(declined.length).toBeGreaterThan(0.02 * decisions.length);
    expect(declined.length).toBeLessThan(0.3 * decisions.length);
    expect(decisions.filter((d) => !d.declined).every((d) => d.reasons.length === 0)).toBe(true);

    // Assess: each decline's reasons are those of its own version's explainer (which is the model: its score is
    // the endpoint's), at most 4, adverse, largest first
    const explainers = { 1: await explainerOf(world, 1), 2: await explainerOf(world, 2) } as Record<number, { uri: string; explainer: Explainer }>;
    expect(explainers[1]!.explainer.coefficients).not.toEqual(explainers[2]!.explainer.coefficients);
    for (const d of declined) {
      const application = applicants.byId.get(d.applicationId!)!;
      const expected = reasonCodes(explainers[d.version!]!.explainer, application, { top: 4, protectedAttributes: ['age_group'] });
      expect(expected.score).toBeCloseTo(d.score, 9);
      expect(d.reasons).toEqual(expected.reasons);
      expect(d.reasons.length).toBeGreaterThanOrEqual(1);
      expect(d.reasons.length).toBeLessThanOrEqual(4);
      expect(d.reasons.every((r, i) => r.contribution > 0 && (i === 0 || r.contribution <= d.reasons[i - 1]!.contribution))).toBe(true);
    }
    // Cheap: each explainer was read from S3 once, however many declines it explained.
    for (const version of [1, 2]) expect(trafficReads.filter((uri) => uri === explainers[version]!.uri)).toHaveLength(1);

    // Assess: each answered request's decisions are one JSON-lines object under decisions/<endpoint>/yyyy/mm/dd/hh/
    const objects = await s3PipelineStorage(world.s3).list(world.twin.context, `${DECISIONS_URI}/${staging}/`);
    expect(objects).toHaveLength(answered);
    expect(objects[0]).toMatch(new RegExp(`^${DECISIONS_URI}/${staging}/2026/11/28/\\d{2}/req-\\d{8}\\.jsonl$`));
    const stored = objects.flatMap((uri) => text(world.s3.read(uri)).trim().split('\n').map((l) => JSON.parse(l) as Decision));
    expect(stored).toEqual(decisions);
  });
});
