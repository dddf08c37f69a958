/**
 * The Python the pipeline step scripts run on in tests: Debian's /usr/bin/python3 with python3-pandas,
 * python3-sklearn and python3-xgboost (`.ci/run` installs them). Not `python3` from PATH, which may be a pyenv
 * without them. Tests that need it are skipped, with the reason in their name, only when that import fails.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const REPO = resolve(__dirname, '..', '..');
export const STEPS_DIR = join(REPO, 'pipeline', 'steps');

function detect(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, xgboost, pandas'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} lacks scikit-learn, xgboost or pandas (apt-get install python3-sklearn python3-xgboost python3-pandas)`;
  return undefined;
}

/** Why the Python tests cannot run here; undefined when they can. */
export const pythonUnavailable: string | undefined = detect();

/** `describe`, or `describe.skip` with the reason appended to the title when the packages are missing. */
export function describeWithPython(title: string, body: () => void): void {
  if (!pythonUnavailable) return describe(title, body);
  // Jest does not print the titles of a file whose tests are all skipped: say why on the console too.
  console.warn(`Skipped "${title}": ${pythonUnavailable}. CI installs the packages (.ci/run).`);
  describe.skip(`${title} (skipped: ${pythonUnavailable})`, body);
}

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script with /usr/bin/python3 (no user site, no bytecode files in the repository). */
export function runPython(script: string, args: string[], cwd: string): PythonRun {
  const run = spawnSync(PYTHON, ['-B', '-s', script, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: '/usr/bin:/bin', HOME: cwd, PYTHONHASHSEED: '0', OMP_NUM_THREADS: '2' },
  });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? (run.error ? String(run.error) : '') };
}

/** Runs a script and fails the test with its output unless it exits 0. */
export function runPythonOk(script: string, args: string[], cwd: string): PythonRun {
  const run = runPython(script, args, cwd);
  if (run.status !== 0) throw new Error(`${script} exited with ${run.status}:\n${run.stderr || run.stdout}`);
  return run;
}
