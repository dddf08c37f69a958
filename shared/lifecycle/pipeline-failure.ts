/**
 * Diagnosis of a failed training-pipeline execution from SageMaker's FailureReason text, so the page on-call
 * receives says what to fix ("the role lacks s3:GetObject on s3://bucket/prefix") rather than a raw stack.
 */
export interface PipelineDiagnosis {
  category: 'missing-permission' | 'resource-limit' | 'data' | 'algorithm' | 'condition-not-met' | 'unknown';
  summary: string;
  action?: string;
  resource?: string;
  principal?: string;
}

/** `arn:aws:s3:::bucket/key` → `s3://bucket/key`, so the page names the path people know. */
function readableResource(resource: string): string {
  const s3 = /^arn:aws[a-z-]*:s3:::(.+)$/.exec(resource);
  return s3 ? `s3://${s3[1]}` : resource;
}

const RULES: { test: RegExp; diagnose: (m: RegExpExecArray) => PipelineDiagnosis }[] = [
  {
    // IAM's own wording: "User: <arn> is not authorized to perform: <action> on resource: <arn>".
    test: /User: (\S+) is not authorized to perform: ([\w-]+:[\w*]+)(?: on resource: ("?)([^\s"]+)\3)?/,
    diagnose: (m) => ({
      category: 'missing-permission',
      principal: m[1],
      action: m[2],
      ...(m[4] ? { resource: readableResource(m[4].replace(/[.,;]$/, '')) } : {}),
      summary: `${m[1]} lacks ${m[2]}${m[4] ? ` on ${readableResource(m[4].replace(/[.,;]$/, ''))}` : ''}: grant it in the pipeline execution role's policy`,
    }),
  },
  {
    // S3 as SageMaker reports it for a channel: "... AccessDenied ... s3://bucket/prefix".
    test: /(?:AccessDenied|Access Denied|403 Forbidden)[\s\S]*?(s3:\/\/[^\s'",)]+)/i,
    diagnose: (m) => ({
      category: 'missing-permission',
      action: 's3:GetObject',
      resource: m[1]!.replace(/[.,;]$/, ''),
      summary: `Access denied reading ${m[1]!.replace(/[.,;]$/, '')}: the pipeline execution role needs s3:GetObject (and s3:ListBucket) on it`,
    }),
  },
  {
    test: /ResourceLimitExceeded[:\s]*(.*)/,
    diagnose: (m) => ({ category: 'resource-limit', summary: `Service quota reached: ${m[1]!.trim() || 'request a limit increase'}` }),
  },
  {
    test: /(ClientError: .*(?:Data|data|channel|CSV|csv|label).*)/,
    diagnose: (m) => ({ category: 'data', summary: `The training data was refused: ${m[1]}` }),
  },
  {
    test: /(AlgorithmError: .*)/,
    diagnose: (m) => ({ category: 'algorithm', summary: `The training or processing code failed: ${m[1]}` }),
  },
  {
    // Word-bounded and case-sensitive: "did" or "directory" after "stopping condition" is not a fairness check.
    test: /\b(?:FailStep|Fail step|ConditionStep|Condition step)\b[\s\S]*?\b(?:AUC|[Dd]isparate [Ii]mpact|DI|threshold)\b/,
    diagnose: () => ({ category: 'condition-not-met', summary: 'The pipeline stopped at its quality/fairness condition: the model did not meet the policy' }),
  },
];

export function diagnosePipelineFailure(failureReason: string): PipelineDiagnosis {
  for (const rule of RULES) {
    const m = rule.test.exec(failureReason);
    if (m) return rule.diagnose(m);
  }
  return { category: 'unknown', summary: failureReason.slice(0, 300) || 'SageMaker gave no failure reason' };
}
