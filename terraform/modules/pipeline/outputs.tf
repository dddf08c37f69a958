output "pipeline_arn" {
  description = "ARN of the training pipeline (StartPipelineExecution, EventBridge and Scheduler targets)."
  value       = aws_sagemaker_pipeline.this.arn
}

output "pipeline_name" {
  description = "Name of the training pipeline (<name>-training)."
  value       = aws_sagemaker_pipeline.this.pipeline_name
}

output "execution_role_arn" {
  description = "Role the pipeline and its jobs run as; whoever updates the pipeline must be allowed to pass it."
  value       = aws_iam_role.this.arn
}

output "input_data_uri" {
  description = "Where the applications CSVs go, one folder per model group (<this><group>/, what a push trains the group on). Every InputDataUri must stay under this prefix."
  value       = "s3://${var.data_bucket_name}/${local.input_prefix}"
}

output "code_uri" {
  description = "The CodeUri default: the step scripts and their configuration as of the last apply (a push's build uploads its own to pipeline/code/<commit>/)."
  value       = "s3://${var.artifacts_bucket_name}/${local.default_code_prefix}"
}

output "definition_sha256" {
  description = "SHA-256 of the deployed pipeline/definition.json (also in the pipeline's description, where the build compares it with its commit's)."
  value       = local.definition_sha256
}
