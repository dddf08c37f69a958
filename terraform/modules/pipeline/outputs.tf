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
  description = "Default InputDataUri: where the applications CSVs go. Any other value must stay under this prefix."
  value       = "s3://${var.data_bucket_name}/${local.input_prefix}"
}

output "code_uri" {
  description = "Where the step scripts and their configuration are uploaded."
  value       = "s3://${var.artifacts_bucket_name}/${local.code_prefix}"
}
