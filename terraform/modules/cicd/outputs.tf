output "connection_arn" {
  description = "GitHub connection. It is PENDING until its handshake is completed once in the console (Developer Tools → Settings → Connections)."
  value       = aws_codestarconnections_connection.this.arn
}

output "connection_status" {
  description = "Status of the GitHub connection as of the last apply or refresh: PENDING until the console handshake, then AVAILABLE."
  value       = aws_codestarconnections_connection.this.connection_status
}

output "pipeline_name" {
  description = "Name of the CodePipeline (V2) that runs on every push to the branch."
  value       = aws_codepipeline.this.name
}

output "build_project_name" {
  description = "Name of the CodeBuild project that runs buildspec.yml."
  value       = aws_codebuild_project.this.name
}

output "build_role_arn" {
  description = "Role of the CodeBuild project: writes the zips and the step code, describes and starts the training pipeline (never updates it)."
  value       = aws_iam_role.build.arn
}

output "build_log_group_name" {
  description = "CloudWatch log group of the builds."
  value       = aws_cloudwatch_log_group.build.name
}
