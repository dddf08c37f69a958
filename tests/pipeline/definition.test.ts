/**
 * The training pipeline definition (scripts/pipeline/definition.ts → pipeline/definition.json): valid JSON whose
 * references, properties and parameters all resolve, an acyclic step graph, a Register step carrying everything
 * the control plane reads, gate paths that exist in the report layouts the gates parse, and committed files that
 * are exactly what the generator produces.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definitionProblems, dependencies, findCycle, getsIn, placeholdersIn, resolveValue, stepsOf, type SampleValues } from '../../scripts/pipeline/check';
import {
  AUC_PATH,
  BIAS_METHODS,
  CLARIFY_ENDPOINT_PREFIX,
  CODE_DIR,
  CODE_FILES,
  DATA,
  HYPERPARAMETERS,
  PARAMETERS,
  PLACEHOLDERS,
  S3_LAYOUT,
  clarifyAnalysisConfig,
  disparateImpactPath,
  encodedFeatures,
  pipelineDefinition,
  stepConfig,
} from '../../scripts/pipeline/definition';
import { renderAll, staleFiles } from '../../scripts/pipeline/generate';
import { IMAGES, imageUri, supportedRegions } from '../../scripts/pipeline/images';
import type { ConditionStep, PipelineDefinition, ProcessingStep, RegisterModelStep, Step, Value } from '../../scripts/pipeline/schema';
import { LINEAGE_KEYS } from '../../shared/aws/sagemaker-registry';
import { EXPLAINER_METADATA_KEY } from '../../shared/contracts/explainer';
import { clarifyAnalysisSchema, evaluationReportSchema } from '../../shared/contracts/reports';
import { GROUP_PARAMETER } from '../../shared/ingress/pipeline-execution';
import { DEFAULT_POLICY } from '../../shared/lifecycle/policy';
import { diagnosePipelineFailure } from '../../shared/lifecycle/pipeline-failure';
import { REPO, STEPS_DIR } from './python';

const committed = JSON.parse(readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8')) as PipelineDefinition;
const step = <T extends Step>(definition: PipelineDefinition, name: string) => stepsOf(definition).find((p) => p.step.Name === name)!.step as T;
const clone = (): PipelineDefinition => structuredClone(committed);

const SAMPLE: SampleValues = {
  placeholders: {
    role_arn: 'arn:aws:iam::123456789012:role/creditai-mlops-dev-training-exec',
    artifacts_bucket: 'creditai-mlops-dev-artifacts-123456789012',
    kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    sklearn_image: imageUri('sklearn', 'eu-west-1'),
    xgboost_image: imageUri('xgboost', 'eu-west-1'),
    clarify_image: imageUri('clarify', 'eu-west-1'),
  },
  execution: { PipelineExecutionId: 'k3xz9q1m2abc', PipelineExecutionArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/creditai-mlops-dev-training/execution/k3xz9q1m2abc' },
  trainingJobName: 'pipelines-k3xz9q1m2abc-Train-AbCdEf1234',
};

const CODE_URI: Value = { Get: 'Parameters.CodeUri' };

/** Does a value read from CodeUri: the parameter itself, or a Std:Join starting with it (CodeUri + a file name)? */
function fromCodeUri(value: Value): boolean {
  if (typeof value === 'object' && 'Std:Join' in value) return value['Std:Join'].On === '' && JSON.stringify(value['Std:Join'].Values[0]) === JSON.stringify(CODE_URI);
  return JSON.stringify(value) === JSON.stringify(CODE_URI);
}

/**
 * Why the step code would not come from CodeUri: a step running a script from the code directory without a code
 * input, or a code input (local path under CODE_DIR) read from anywhere but CodeUri. Empty: every step runs the
 * code the execution was started with.
 */
function codeInputProblems(definition: PipelineDefinition): string[] {
  const problems: string[] = [];
  for (const { step: s } of stepsOf(definition)) {
    if (s.Type !== 'Processing') continue;
    const codeInputs = s.Arguments.ProcessingInputs.filter((i) => i.S3Input.LocalPath === CODE_DIR || i.S3Input.LocalPath.startsWith(`${CODE_DIR}/`));
    const runsScript = [...(s.Arguments.AppSpecification.ContainerEntrypoint ?? []), ...(s.Arguments.AppSpecification.ContainerArguments ?? [])].some(
      (e) => typeof e === 'string' && e.startsWith(`${CODE_DIR}/`),
    );
    if (runsScript && codeInputs.length === 0) problems.push(`${s.Name} runs a script from ${CODE_DIR} but has no input there`);
    for (const i of codeInputs) {
      if (!fromCodeUri(i.S3Input.S3Uri)) problems.push(`${s.Name} input ${i.InputName} reads its code from ${JSON.stringify(i.S3Input.S3Uri)}, not from the CodeUri parameter`);
    }
  }
  return problems;
}

/** `a.b[0].c` over a JSON value (the JsonPath subset the definition's Std:JsonGet paths use). */
function jsonPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
    if (!m) throw new Error(`Unsupported JsonPath segment ${segment}`);
    current = (current as Record<string, unknown> | undefined)?.[m[1]!];
    for (const [, index] of m[2]!.matchAll(/\[(\d+)\]/g)) current = (current as unknown[] | undefined)?.[Number(index)];
  }
  return current;
}

/** An analysis.json as Clarify writes it (aws-facts §3.2) for the configured facet values and methods. */
function sampleAnalysis(di: number[]) {
  const facet = (metrics: readonly string[], values: (i: number) => number[]) =>
    DATA.protectedValues.map((v, i) => ({ value_or_threshold: v, metrics: metrics.map((name, j) => ({ name, description: name, value: values(i)[j]! })) }));
  return {
    pre_training_bias_metrics: { label: DATA.label, label_value_or_threshold: '0', facets: { [DATA.protectedAttribute]: facet(BIAS_METHODS.preTraining, () => [0.1, 0.02]) } },
    post_training_bias_metrics: { label: DATA.label, label_value_or_threshold: '0', facets: { [DATA.protectedAttribute]: facet(BIAS_METHODS.postTraining, (i) => [di[i]!, 0.01]) } },
    explanations: { kernel_shap: { label0: { global_shap_values: Object.fromEntries(encodedFeatures().map((f) => [f, 0.01])), expected_value: 0.1 } } },
  };
}

describe('Pipeline definition: the committed file', () => {
  it('is valid JSON of schema version 2020-12-01 with steps', () => {
    expect(committed.Version).toBe('2020-12-01');
    expect(committed.Steps.length).toBeGreaterThan(0);
  });

  it('has no unresolved reference, unknown property, undeclared parameter or cycle', () => {
    expect(definitionProblems(committed)).toEqual([]);
  });

  it('runs the steps in the intended order: Prep → Train → ClarifyModel → Evaluate → Clarify → Gate → Register | Fail', () => {
    const deps = dependencies(committed);
    const after = (a: string, b: string) => deps.get(b)!.has(a);
    expect(after('Prep', 'Train')).toBe(true);
    expect(after('Train', 'ClarifyModel')).toBe(true);
    expect(after('ClarifyModel', 'Evaluate')).toBe(true);
    expect(after('Evaluate', 'Clarify')).toBe(true);
    expect(after('Clarify', 'Gate') && after('Evaluate', 'Gate')).toBe(true);
    expect(after('Gate', 'Register') && after('Gate', 'Fail')).toBe(true);
    const gate = step<ConditionStep>(committed, 'Gate');
    expect(gate.Arguments.IfSteps.map((s) => s.Name)).toEqual(['Register']);
    expect(gate.Arguments.ElseSteps.map((s) => s.Name)).toEqual(['Fail']);
  });

  it('uses only the placeholders Terraform fills, and no other template syntax', () => {
    const text = readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8');
    expect(placeholdersIn(text)).toEqual(Object.values(PLACEHOLDERS).map((p) => p.slice(2, -1)).sort());
    expect(text).not.toContain('%{');
  });

  it('reads every step’s code from the CodeUri parameter, whose default is the scripts Terraform uploads', () => {
    expect(codeInputProblems(committed)).toEqual([]);
    const withCode = stepsOf(committed)
      .map((p) => p.step)
      .filter((s): s is ProcessingStep => s.Type === 'Processing' && s.Arguments.ProcessingInputs.some((i) => i.S3Input.LocalPath === CODE_DIR));
    expect(withCode.map((s) => s.Name)).toEqual(['Prep', 'Evaluate']);
    expect(committed.Parameters.find((p) => p.Name === 'CodeUri')).toEqual({
      Name: 'CodeUri',
      Type: 'String',
      DefaultValue: `s3://${PLACEHOLDERS.artifactsBucket}/${S3_LAYOUT.defaultCodePrefix}`,
    });
    // The code prefix is named nowhere else: no step can bypass the parameter.
    const text = readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8');
    expect(text.split(S3_LAYOUT.codePrefix).length - 1).toBe(1);
  });

  it('runs only scripts that exist in pipeline/steps and are uploaded to the code prefix', () => {
    const scripts = stepsOf(committed)
      .flatMap(({ step: s }) => (s.Type === 'Processing' ? (s.Arguments.AppSpecification.ContainerEntrypoint ?? []) : []))
      .filter((e): e is string => typeof e === 'string' && e.endsWith('.py'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const name = /^\/opt\/ml\/processing\/input\/code\/([\w.]+)$/.exec(script)?.[1];
      expect(CODE_FILES).toContain(name);
      expect(() => readFileSync(join(STEPS_DIR, name!))).not.toThrow();
    }
  });
});

describe('Pipeline definition: what the control plane reads', () => {
  const register = step<RegisterModelStep>(committed, 'Register');

  it('registers into the group named by the parameter the pipeline-execution ingress reads', () => {
    expect(register.Arguments.ModelPackageGroupName).toEqual({ Get: `Parameters.${GROUP_PARAMETER}` });
    expect(committed.Parameters.find((p) => p.Name === GROUP_PARAMETER)).toEqual({ Name: GROUP_PARAMETER, Type: 'String' });
    expect(register.Arguments.ModelApprovalStatus).toBe('PendingManualApproval');
  });

  it('carries every lineage key of LINEAGE_KEYS, one hyperparameter entry per hyperparameter, within the metadata limits', () => {
    const props = register.Arguments.CustomerMetadataProperties;
    expect(Object.keys(props)).toEqual(expect.arrayContaining([LINEAGE_KEYS.trainingDataUri, LINEAGE_KEYS.trainingDataHash, LINEAGE_KEYS.commitId]));
    const hyper = Object.fromEntries(
      Object.entries(props)
        .filter(([k]) => k.startsWith(LINEAGE_KEYS.hyperparameterPrefix))
        .map(([k, v]) => [k.slice(LINEAGE_KEYS.hyperparameterPrefix.length), v]),
    );
    expect(hyper).toEqual(HYPERPARAMETERS);
    // And the training step trains with exactly these.
    expect(step<Step & { Type: 'Training' }>(committed, 'Train').Arguments.HyperParameters).toEqual(HYPERPARAMETERS);
    expect(props[LINEAGE_KEYS.commitId]).toEqual({ Get: 'Parameters.CommitId' });
    expect(register.Arguments.MetadataProperties).toEqual({ CommitId: { Get: 'Parameters.CommitId' }, GeneratedBy: { Get: 'Execution.PipelineExecutionArn' } });
  });

  it('reads the data URI and hash from the lineage.json the prep step writes', () => {
    const props = register.Arguments.CustomerMetadataProperties;
    const prep = step<ProcessingStep>(committed, 'Prep');
    const file = prep.PropertyFiles!.find((f) => f.PropertyFileName === 'Lineage')!;
    expect(file).toEqual({ PropertyFileName: 'Lineage', OutputName: 'lineage', FilePath: 'lineage.json' });
    expect(props[LINEAGE_KEYS.trainingDataUri]).toEqual({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Prep.PropertyFiles.Lineage' }, Path: 'training_data_uri' } });
    expect(props[LINEAGE_KEYS.trainingDataHash]).toEqual({ 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Prep.PropertyFiles.Lineage' }, Path: 'training_data_hash' } });
  });

  it('registers the evaluation statistics, the bias report and the explainability report (ModelMetrics)', () => {
    const m = register.Arguments.ModelMetrics;
    const uri = (v: Value) => resolveValue(committed, v, SAMPLE);
    const base = `s3://${SAMPLE.placeholders.artifacts_bucket}/pipeline/executions/${SAMPLE.execution.PipelineExecutionId}`;
    expect(uri(m.ModelQuality!.Statistics!.S3Uri)).toBe(`${base}/Evaluate/evaluation/evaluation.json`);
    expect(uri(m.Bias!.Report!.S3Uri)).toBe(`${base}/Clarify/analysis_result/analysis.json`);
    expect(uri(m.Explainability!.Report!.S3Uri)).toBe(`${base}/Clarify/analysis_result/analysis.json`);
    for (const source of [m.ModelQuality!.Statistics!, m.Bias!.Report!, m.Explainability!.Report!]) expect(source.ContentType).toBe('application/json');
    // The files the property files read are the files registered.
    expect(step<ProcessingStep>(committed, 'Evaluate').PropertyFiles).toContainEqual({ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' });
    expect(step<ProcessingStep>(committed, 'Clarify').PropertyFiles).toContainEqual({ PropertyFileName: 'BiasReport', OutputName: 'analysis_result', FilePath: 'analysis.json' });
  });

  it('registers the drift baseline (Prep’s statistics.json) and the explainer (Evaluate’s explainer.json, under explainer:uri)', () => {
    const uri = (v: Value) => resolveValue(committed, v, SAMPLE);
    const base = `s3://${SAMPLE.placeholders.artifacts_bucket}/pipeline/executions/${SAMPLE.execution.PipelineExecutionId}`;
    const statistics = register.Arguments.DriftCheckBaselines!.ModelDataQuality!.Statistics!;
    expect(statistics.ContentType).toBe('application/json');
    expect(uri(statistics.S3Uri)).toBe(`${base}/Prep/baseline/statistics.json`);
    expect(uri(register.Arguments.CustomerMetadataProperties[EXPLAINER_METADATA_KEY]!)).toBe(`${base}/Evaluate/explainer/explainer.json`);
    // The steps write them where the package points: Prep's baseline output, Evaluate's explainer output, which
    // reads the training split it fits the surrogate on.
    const outputs = (name: string) => step<ProcessingStep>(committed, name).Arguments.ProcessingOutputConfig.Outputs.map((o) => o.OutputName);
    expect(outputs('Prep')).toContain('baseline');
    expect(outputs('Evaluate')).toContain('explainer');
    const evaluateInputs = step<ProcessingStep>(committed, 'Evaluate').Arguments.ProcessingInputs;
    expect(evaluateInputs.find((i) => i.InputName === 'train')!.S3Input.S3Uri).toEqual({ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
  });

  it('serves the registered model with the built-in XGBoost image and the trained artifact', () => {
    const [container] = register.Arguments.InferenceSpecification.Containers;
    expect(container).toEqual({ Image: PLACEHOLDERS.xgboostImage, ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } });
    expect(register.Arguments.InferenceSpecification.SupportedContentTypes).toEqual(['text/csv']);
  });
});

describe('Pipeline definition: the gate', () => {
  const gate = step<ConditionStep>(committed, 'Gate');

  it('defaults its thresholds to the lifecycle policy defaults', () => {
    const defaults = Object.fromEntries(PARAMETERS.map((p) => [p.Name, p.DefaultValue]));
    expect(defaults.MinAuc).toBe(DEFAULT_POLICY.gates.minAuc);
    expect(defaults.MinDisparateImpact).toBe(DEFAULT_POLICY.gates.disparateImpact.min);
    expect(defaults.MaxDisparateImpact).toBe(DEFAULT_POLICY.gates.disparateImpact.max);
  });

  it('checks AUC against MinAuc and the DI of every age group against both bounds', () => {
    const conditions = gate.Arguments.Conditions.map((c) => ({ type: c.Type, left: getsIn(c.LeftValue)[0]?.jsonPath, right: c.RightValue }));
    expect(conditions).toContainEqual({ type: 'GreaterThanOrEqualTo', left: AUC_PATH, right: { Get: 'Parameters.MinAuc' } });
    DATA.protectedValues.forEach((_, i) => {
      expect(conditions).toContainEqual({ type: 'GreaterThanOrEqualTo', left: disparateImpactPath(i), right: { Get: 'Parameters.MinDisparateImpact' } });
      expect(conditions).toContainEqual({ type: 'LessThanOrEqualTo', left: disparateImpactPath(i), right: { Get: 'Parameters.MaxDisparateImpact' } });
    });
    expect(conditions).toHaveLength(1 + 2 * DATA.protectedValues.length);
  });

  it('reads AUC where evaluation.json has it (the layout evaluationReportSchema parses)', () => {
    const report = evaluationReportSchema.parse({ binary_classification_metrics: { auc: { value: 0.87, standard_deviation: 0.01 }, ks: { value: 0.6 } } });
    expect(jsonPath(report, AUC_PATH)).toBe(0.87);
  });

  it('reads each age group’s DI where Clarify’s analysis.json has it (DI first among the post-training metrics)', () => {
    expect(BIAS_METHODS.postTraining[0]).toBe('DI');
    // Clarify may list metrics in the configured order or sorted by name: DI comes first either way.
    expect([...BIAS_METHODS.postTraining].sort()[0]).toBe('DI');
    const analysis = clarifyAnalysisSchema.parse(sampleAnalysis([0.91, 1.02, 0.97, 1.1]));
    expect(DATA.protectedValues.map((_, i) => jsonPath(analysis, disparateImpactPath(i)))).toEqual([0.91, 1.02, 0.97, 1.1]);
    expect(DATA.protectedValues.map((_, i) => jsonPath(analysis, disparateImpactPath(i, 'value_or_threshold')))).toEqual([...DATA.protectedValues]);
  });

  it('fails with a message naming the figures, which the control plane diagnoses as a policy refusal', () => {
    const fail = gate.Arguments.ElseSteps[0]!;
    expect(fail.Type).toBe('Fail');
    // Render the message with the run-time values a refused model would produce.
    const analysis = sampleAnalysis([0.72, 1.02, 0.97, 1.1]);
    const evaluation = { binary_classification_metrics: { auc: { value: 0.81 } } };
    const render = (v: Value): string => {
      if (typeof v !== 'object') return String(v);
      if ('Std:Join' in v) return v['Std:Join'].Values.map(render).join(v['Std:Join'].On);
      if ('Std:JsonGet' in v) {
        const file = v['Std:JsonGet'].PropertyFile.Get.endsWith('EvaluationReport') ? evaluation : analysis;
        return String(jsonPath(file, v['Std:JsonGet'].Path));
      }
      return String(PARAMETERS.find((p) => `Parameters.${p.Name}` === v.Get)?.DefaultValue);
    };
    const message = render((fail.Arguments as { ErrorMessage: Value }).ErrorMessage);
    expect(message).toBe(
      'FailStep reached: the model did not meet the training policy. AUC 0.81 (minimum 0.85); disparate impact by age group (band 0.8 to 1.25): 18-25 0.72, 26-40 1.02, 41-60 0.97, 61+ 1.1.',
    );
    expect(diagnosePipelineFailure(`Step Fail failed: ${message}`).category).toBe('condition-not-met');
  });
});

describe('Pipeline definition: the step configuration and the Clarify analysis configuration', () => {
  it('knows every categorical value the staging smoke-test applications use', () => {
    const smoke = JSON.parse(readFileSync(join(REPO, 'events', 'smoke-test', 'applications.json'), 'utf8')) as { applications: Record<string, string | number>[] };
    for (const app of smoke.applications) {
      for (const [column, values] of Object.entries(DATA.categorical)) expect(values).toContain(app[column]);
    }
    expect(encodedFeatures().slice(0, DATA.numeric.length)).toEqual([...DATA.numeric]);
  });

  it('gives Clarify the columns of clarify.csv, excludes the protected attribute from model input, and names its endpoints with the prefix the role allows', () => {
    const config = clarifyAnalysisConfig();
    expect(config.headers).toEqual([DATA.label, ...encodedFeatures(), DATA.protectedAttribute]);
    expect(config.label).toBe(DATA.label);
    expect(config.facet).toEqual([{ name_or_index: DATA.protectedAttribute }]);
    expect(config.excluded_columns).toEqual([DATA.protectedAttribute]);
    expect(config.methods.post_training_bias.methods).toEqual([...BIAS_METHODS.postTraining]);
    expect(config.methods.pre_training_bias.methods).toEqual([...BIAS_METHODS.preTraining]);
    expect(config.predictor.endpoint_name_prefix).toBe(CLARIFY_ENDPOINT_PREFIX);
    expect(config.predictor).not.toHaveProperty('model_name');
    const tf = readFileSync(join(REPO, 'terraform', 'modules', 'pipeline', 'main.tf'), 'utf8');
    expect(tf).toContain(`clarify_endpoint_prefix = "${CLARIFY_ENDPOINT_PREFIX}"`);
  });

  it('keeps hyperparameters and the split in the step configuration the scripts read', () => {
    const config = stepConfig();
    expect(config.hyperparameters).toEqual(HYPERPARAMETERS);
    expect(config.split.train + config.split.validation + config.split.test).toBeCloseTo(1, 10);
    expect(config.features).toEqual(encodedFeatures());
  });

  it('knows every image in the same regions, at least eu-west-1, eu-central-1, us-east-1 and us-west-2', () => {
    expect(supportedRegions()).toEqual(expect.arrayContaining(['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']));
    for (const spec of Object.values(IMAGES)) expect(Object.keys(spec.accounts).sort()).toEqual(supportedRegions());
    expect(imageUri('xgboost', 'eu-west-1')).toBe('141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(() => imageUri('clarify', 'mars-north-1')).toThrow(/scripts\/pipeline\/images\.ts/);
  });
});

describe('Pipeline definition: the checker finds what is wrong (self-test)', () => {
  const problemsAfter = (mutate: (d: PipelineDefinition) => void) => {
    const d = clone();
    mutate(d);
    return definitionProblems(d).join('\n');
  };
  const prep = (d: PipelineDefinition) => step<ProcessingStep>(d, 'Prep');
  const register = (d: PipelineDefinition) => step<RegisterModelStep>(d, 'Register');

  it('a reference to a step that does not exist', () => {
    expect(problemsAfter((d) => (register(d).Arguments.ModelPackageDescription = { Get: 'Steps.Preparation.ProcessingJobName' }))).toMatch(/names no step "Preparation"/);
  });

  it('a property the step type does not expose', () => {
    expect(problemsAfter((d) => (register(d).Arguments.ModelPackageDescription = { Get: 'Steps.Train.ModelName' }))).toMatch(/Training step exposes no property "ModelName"/);
  });

  it('an output the step does not have', () => {
    expect(
      problemsAfter((d) => (prep(d).Arguments.ProcessingInputs[0]!.S3Input.S3Uri = { Get: "Steps.Train.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" })),
    ).toMatch(/Training step exposes no property/);
    expect(
      problemsAfter((d) => (step<ProcessingStep>(d, 'Evaluate').Arguments.ProcessingInputs[1]!.S3Input.S3Uri = { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['tests'].S3Output.S3Uri" })),
    ).toMatch(/Prep has no output "tests"/);
  });

  it('a parameter that is not declared', () => {
    expect(problemsAfter((d) => (prep(d).Arguments.AppSpecification.ContainerArguments![1] = { Get: 'Parameters.InputUri' }))).toMatch(/names no declared parameter/);
  });

  it('a property file that is not declared, and a step in a branch read from outside it', () => {
    expect(problemsAfter((d) => (register(d).Arguments.CustomerMetadataProperties['lineage:commit'] = { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Prep.PropertyFiles.Lineages' }, Path: 'x' } }))).toMatch(
      /no property file "Lineages"/,
    );
    expect(problemsAfter((d) => (prep(d).Arguments.AppSpecification.ContainerArguments![1] = { Get: 'Steps.Register.ModelPackageArn' }))).toMatch(/runs only in Gate\.IfSteps/);
  });

  it('a cycle', () => {
    expect(problemsAfter((d) => (prep(d).DependsOn = ['Clarify']))).toMatch(/cycle: .*Prep.*Clarify|cycle: .*Clarify.*Prep/);
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
  });

  it('a code input that does not read from CodeUri, and a script without a code input', () => {
    const evaluate = (d: PipelineDefinition) => step<ProcessingStep>(d, 'Evaluate');
    const d = clone();
    evaluate(d).Arguments.ProcessingInputs.find((i) => i.InputName === 'code')!.S3Input.S3Uri = `s3://${PLACEHOLDERS.artifactsBucket}/${S3_LAYOUT.defaultCodePrefix}`;
    prep(d).Arguments.ProcessingInputs = prep(d).Arguments.ProcessingInputs.filter((i) => i.InputName !== 'code');
    expect(codeInputProblems(d)).toEqual([
      `Prep runs a script from ${CODE_DIR} but has no input there`,
      `Evaluate input code reads its code from "s3://\${artifacts_bucket}/pipeline/code/default/", not from the CodeUri parameter`,
    ]);
    const joined = clone();
    prep(joined).Arguments.ProcessingInputs.find((i) => i.InputName === 'code')!.S3Input.S3Uri = { 'Std:Join': { On: '', Values: [CODE_URI, 'prep.py'] } };
    expect(codeInputProblems(joined)).toEqual([]);
  });

  it('a metadata value SageMaker would refuse', () => {
    expect(problemsAfter((d) => (register(d).Arguments.CustomerMetadataProperties['hyperparameter:note'] = '{"json": "refused"}'))).toMatch(/not 1-256 characters/);
  });
});

describe('Pipeline definition: generated files', () => {
  it('the committed pipeline/ files are exactly what `npm run pipeline:definition` writes', () => {
    const rendered = renderAll();
    expect(Object.keys(rendered).sort()).toEqual(['pipeline/definition.json', 'pipeline/images.json', 'pipeline/steps/analysis_config.json', 'pipeline/steps/config.json']);
    for (const [path, text] of Object.entries(rendered)) expect({ path, text: readFileSync(join(REPO, path), 'utf8') }).toEqual({ path, text });
    expect(staleFiles(rendered)).toEqual([]);
    expect(JSON.parse(rendered['pipeline/definition.json']!)).toEqual(pipelineDefinition());
  });

  it('--check notices an edited or missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-check-'));
    try {
      const rendered = renderAll();
      for (const [path, text] of Object.entries(rendered)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      expect(staleFiles(rendered, dir)).toEqual([]);
      writeFileSync(join(dir, 'pipeline/definition.json'), rendered['pipeline/definition.json']!.replace('0.85', '0.80'));
      rmSync(join(dir, 'pipeline/images.json'));
      expect(staleFiles(rendered, dir).sort()).toEqual(['pipeline/definition.json', 'pipeline/images.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
