/**
 * The twin's pipeline stores the drift baseline with every version, as pipeline/steps/prep.py does: the training
 * split's raw features in Model Monitor's statistics.json, referenced by the package's
 * DriftCheckBaselines.ModelDataQuality.Statistics. Then, end to end: the version goes Live through the real
 * functions, applicants reach its production endpoint, the endpoint's Data Capture files land in S3, and a drift
 * check read from those files tells the training population from the drift scenario's shifted one.
 */
import { DescribeModelPackageCommand, ListPipelineExecutionStepsCommand } from '@aws-sdk/client-sagemaker';
import { sageMakerClient } from '../../shared/aws/clients';
import type { Application } from '../../shared/contracts/model-input';
import { checkDrift, parseBaselineStatistics, WindowAccumulator, type BaselineStatistics, type DriftCheck } from '../../shared/judge/drift';
import { isNumericFeature } from '../../shared/judge/drift/statistics';
import { endpointName } from '../../shared/lifecycle/names';
import { parsePolicy } from '../../shared/lifecycle/policy';
import { parseApplications } from '../../scripts/twin/ml/dataset';
import { prepare } from '../../scripts/twin/ml/prepare';
import { pushCommit } from '../../scripts/twin/ml/push';
import { MODEL_SCHEMA } from '../../scripts/twin/ml/schema';
import { syntheticApplications, type SyntheticOptions } from '../../scripts/twin/ml/synthetic';
import { s3PipelineStorage } from '../../scripts/twin/services/sagemaker-pipeline-storage';
import { startTraffic } from '../../scripts/twin/traffic';
import { createTwinWorld, TWIN_REGION, type TwinWorld } from '../../scripts/twin/world';

const GROUP = 'credit-risk-retail';
const COMMIT = '4be1c0d3a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4';
const MINUTE = 60_000;
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';
const DRIFTED: SyntheticOptions = { incomeMean: 520_000, employmentBimodal: true };

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** An endless seeded stream of applicants drawn with `options`. */
function applicants(options: SyntheticOptions, firstSeed: number): (count: number) => Application[] {
  let batch: Application[] = [];
  let seed = firstSeed;
  return (count) => {
    while (batch.length < count) batch = [...batch, ...syntheticApplications({ ...options, rows: 500, seed: seed++ })];
    return batch.splice(0, count);
  };
}

/** Sends applicants to `endpoint` for `minutes`, lets the last capture flush, and returns the new capture files. */
async function captureWindow(world: TwinWorld, endpoint: string, population: SyntheticOptions, firstSeed: number, minutes: number): Promise<string[]> {
  const prefix = `${world.runtime.environment.DATA_CAPTURE_S3_URI}/${endpoint}/`;
  const storage = s3PipelineStorage(world.s3);
  const before = new Set(await storage.list(world.twin.context, prefix));
  const traffic = startTraffic(world, { endpointName: endpoint, schema: MODEL_SCHEMA, applications: applicants(population, firstSeed), requestsPerMinute: 12, rowsPerRequest: 5 });
  await world.advance(minutes * MINUTE);
  traffic.stop();
  await world.advance(2 * MINUTE);
  expect(traffic.stats).toMatchObject({ requests: 12 * minutes, refused: 0, unavailable: 0 });
  return (await storage.list(world.twin.context, prefix)).filter((uri) => !before.has(uri));
}

/** The drift check of the captured files against the baseline. */
function driftOf(world: TwinWorld, baseline: BaselineStatistics, files: string[], thresholds: Parameters<typeof checkDrift>[2]): { check: DriftCheck; rows: number } {
  const window = new WindowAccumulator(baseline, MODEL_SCHEMA);
  for (const uri of files) for (const line of text(world.s3.read(uri)).split('\n')) window.addCaptureLine(line);
  const summary = window.finish();
  expect(summary.unparsedRecords).toBe(0);
  expect(summary.malformedRows).toBe(0);
  return { check: checkDrift(baseline, summary, thresholds), rows: summary.rows };
}

const drifted = (check: DriftCheck) => check.features.filter((f) => f.drifted).map((f) => f.feature);
const distance = (check: DriftCheck, feature: string) => check.features.find((f) => f.feature === feature)!.distance!;

describe('Twin: the pipeline stores drift baselines and a drift check reads captured traffic', () => {
  let world: TwinWorld;
  afterEach(() => world?.stop());

  it('registers statistics.json of the training split, and tells the training population from the shifted one in captured traffic', async () => {
    // Prepare: a push trains and registers v1; staging is verified
    world = await createTwinWorld();
    await world.manage(GROUP);
    const { [GROUP]: executionArn } = await pushCommit(world, { commit: COMMIT, groups: [GROUP] });
    await world.advance(45 * MINUTE);
    const sagemaker = sageMakerClient({ region: TWIN_REGION });
    const steps = (await sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: executionArn }))).PipelineExecutionSteps ?? [];
    const packageArn = steps.find((s) => s.StepName === 'Register')!.Metadata!.RegisterModel!.Arn!;

    // Assess: the package points to the baseline Prep wrote, and it describes the training split
    const pkg = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }));
    const statisticsUri = pkg.DriftCheckBaselines?.ModelDataQuality?.Statistics?.S3Uri;
    const executionId = executionArn!.split('/').pop();
    expect(statisticsUri).toBe(`s3://creditai-artifacts/pipeline/executions/${executionId}/Prep/baseline/statistics.json`);
    expect(pkg.DriftCheckBaselines?.ModelDataQuality?.Statistics?.ContentType).toBe('application/json');
    const baseline = parseBaselineStatistics(JSON.parse(text(world.s3.read(statisticsUri!))));
    const uploaded = parseApplications(text(world.s3.read(`s3://creditai-data/applications/${GROUP}/applications.csv`)));
    const training = prepare(uploaded).train.applications;
    const lineage = JSON.parse(text(world.s3.read(`s3://creditai-artifacts/pipeline/executions/${executionId}/Prep/lineage/lineage.json`)));
    expect(baseline.dataset.item_count).toBe(lineage.rows.train);
    expect(baseline.dataset.item_count).toBe(training.length);
    expect(baseline.features.map((f) => f.name)).toEqual([...MODEL_SCHEMA.numeric, ...Object.keys(MODEL_SCHEMA.categorical)]);
    for (const feature of baseline.features) {
      if (isNumericFeature(feature)) {
        const values = training.map((a) => Number(a[feature.name]));
        const stats = feature.numerical_statistics;
        expect(stats.common).toEqual({ num_present: training.length, num_missing: 0 });
        expect(stats.distribution.kll.buckets.reduce((n, b) => n + b.count, 0)).toBe(training.length);
        expect(stats.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
        expect([stats.min, stats.max]).toEqual([Math.min(...values), Math.max(...values)]);
      } else {
        const buckets = feature.string_statistics.distribution.categorical.buckets;
        for (const { value, count } of buckets) expect(count).toBe(training.filter((a) => a[feature.name] === value).length);
        expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(training.length);
      }
    }

    // Act: a risk officer approves; v1 goes Live on the production endpoint
    world.sagemaker.updateAsHuman(world.twin.context, JANE, { ModelPackageArn: packageArn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'Validation pack VP-201 reviewed' });
    await world.advance(15 * MINUTE);
    expect((await world.state.load(GROUP)).versions.map((v) => [v.version, v.phase])).toEqual([[1, 'Live']]);
    const production = endpointName(GROUP, 'production', parsePolicy({}));

    // Act: 20 minutes of the training population, then 20 minutes of the drift scenario's
    const same = await captureWindow(world, production, {}, 1_000, 20);
    const shifted = await captureWindow(world, production, DRIFTED, 2_000, 20);

    // Assess: the policy's check (L∞ over the baseline's buckets, 0.2) on 1,200 captured rows each
    const policy = { comparisonMethod: 'linf_simple', comparisonThreshold: 0.2 } as const;
    const quiet = driftOf(world, baseline, same, policy);
    const moved = driftOf(world, baseline, shifted, policy);
    expect([quiet.rows, moved.rows]).toEqual([1_200, 1_200]);
    expect(quiet.check.drifted).toBe(false);
    expect(Math.max(...quiet.check.features.map((f) => f.distance!))).toBeLessThan(0.1);
    // Employment years turn bimodal and income's centre moves 450,000 → 520,000: both past the threshold (the
    // population values are about 0.31 and 0.26); loan amounts follow income a little, under the threshold.
    expect(drifted(moved.check)).toEqual(['annual_income', 'employment_years']);
    expect(distance(moved.check, 'employment_years')).toBeGreaterThan(0.25);
    expect(distance(moved.check, 'annual_income')).toBeGreaterThan(0.2);
    expect(distance(moved.check, 'annual_income')).toBeGreaterThan(4 * distance(quiet.check, 'annual_income'));
    // Model Monitor's defaults (linf_robust, 0.1) subtract the sampling noise and find both, and nothing else.
    const modelMonitor = { comparisonMethod: 'linf_robust', comparisonThreshold: 0.1 } as const;
    expect(drifted(driftOf(world, baseline, shifted, modelMonitor).check)).toEqual(['annual_income', 'employment_years']);
    expect(driftOf(world, baseline, same, modelMonitor).check.drifted).toBe(false);
  });
});
