/**
 * Wall time of the whole happy path on the twin (DESIGN §11: ≤ 5 s): two versions from push to production through
 * the real functions, in a fresh process. `npx tsx scripts/bench/happy-path.ts` prints the figures as JSON.
 */
import { happyPath } from '../twin/scenarios/happy-path';
import { runScenario } from '../twin/scenarios/run';

async function main(): Promise<void> {
  const started = performance.now();
  const result = await runScenario(happyPath);
  const wallSeconds = (performance.now() - started) / 1000;
  const problems = await happyPath.check(result);
  result.stop();
  console.log(JSON.stringify({ wallSeconds: Number(wallSeconds.toFixed(2)), virtualHours: Number(((result.endMs - result.startMs) / 3_600_000).toFixed(2)), functionInvocations: result.functionInvocations, awsCalls: result.awsCalls, endedAsExpected: problems.length === 0 }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
