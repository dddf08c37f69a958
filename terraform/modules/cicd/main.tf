# From git push to tested function zips and a training run per model group: GitHub (through a CodeConnections
# connection) → CodePipeline V2 → CodeBuild running buildspec.yml (npm ci, npm test, npm run build, zips to
# s3://<artifacts>/builds/<commit>/, the step code to s3://<artifacts>/pipeline/code/<commit>/, then one execution
# of the SageMaker training pipeline per group with that code). The pipeline's definition stays Terraform's.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  project_arn = "arn:${local.partition}:codebuild:${local.region}:${local.account_id}:project/${var.name}"

  # CodePipeline keeps a run's artifacts under <first 20 characters of the pipeline name>/ in the artifact store.
  pipeline_artifacts_arn = "${var.artifacts_bucket_arn}/${substr(var.name, 0, 20)}/*"
  # Every build's function zips, by commit.
  build_outputs_arn = "${var.artifacts_bucket_arn}/builds/*"
  # Every build's pipeline step code, by commit (the CodeUri it starts the training pipeline with).
  step_code_arn = "${var.artifacts_bucket_arn}/pipeline/code/*"

  log_group_name = "/aws/codebuild/${var.name}"
}

# GitHub connection. Created PENDING: someone with access to the GitHub organisation completes the handshake once in
# the console (Developer Tools → Settings → Connections → Update pending connection), which installs the AWS
# Connector for GitHub app. Until then the Source action fails. Connection names are at most 32 characters.
resource "aws_codestarconnections_connection" "this" {
  name          = substr("${var.name}-github", 0, 32)
  provider_type = "GitHub"

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "build" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = coalesce(var.logs_kms_key_arn, var.kms_key_arn)

  tags = var.tags
}

# --- Build ----------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "build_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }

    # Only this account's project may use the role (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.project_arn]
    }
  }
}

data "aws_iam_policy_document" "build" {
  statement {
    sid       = "WriteBuildLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.build.arn}:log-stream:*"]
  }

  statement {
    sid       = "ReadSourceAndWriteOutputArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = [local.pipeline_artifacts_arn]
  }

  statement {
    sid       = "ReadAndWriteBuildOutputs"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.build_outputs_arn]
  }

  # The commit's step scripts, under pipeline/code/<commit>/, which the training pipeline's role reads.
  statement {
    sid       = "UploadStepCode"
    actions   = ["s3:PutObject"]
    resources = [local.step_code_arn]
  }

  # Before it starts training, the build checks that the deployed definition is its commit's (the hash in the
  # pipeline's description); then one execution per model group. No iam:PassRole: starting an execution passes no
  # role (the pipeline has its own), and the build never creates or updates the pipeline, Terraform does.
  statement {
    sid       = "StartTrainingPipeline"
    actions   = ["sagemaker:DescribePipeline", "sagemaker:StartPipelineExecution"]
    resources = [var.training_pipeline_arn]
  }

  # CodeBuild checks the bucket's region and owner before it transfers artifacts.
  statement {
    sid       = "LocateArtifactsBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
    resources = [var.artifacts_bucket_arn]
  }

  # The bucket is SSE-KMS (default key kms_key_arn): reading an object decrypts its data key, writing one (zips,
  # step code) generates it.
  statement {
    sid       = "UseArtifactsKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role" "build" {
  name               = "${var.name}-build"
  description        = "CodeBuild project ${var.name}: tests and builds the control plane, uploads the function zips and the step code, starts the training pipeline."
  assume_role_policy = data.aws_iam_policy_document.build_trust.json

  tags = var.tags
}

resource "aws_iam_role_policy" "build" {
  name   = "build"
  role   = aws_iam_role.build.id
  policy = data.aws_iam_policy_document.build.json
}

resource "aws_codebuild_project" "this" {
  name           = var.name
  description    = "npm ci, npm test, npm run build of ${var.github_repository}; function zips to s3://${var.artifacts_bucket_name}/builds/<commit>/; trains every model group with the commit's step code."
  service_role   = aws_iam_role.build.arn
  build_timeout  = var.build_timeout_minutes
  encryption_key = var.kms_key_arn

  artifacts {
    type = "CODEPIPELINE"
  }

  # npm's download cache stays on the build host between builds (no S3 cost, best effort).
  cache {
    type  = "LOCAL"
    modes = ["LOCAL_CUSTOM_CACHE"]
  }

  environment {
    compute_type                = var.build_compute_type
    image                       = "aws/codebuild/standard:7.0"
    type                        = "LINUX_CONTAINER"
    image_pull_credentials_type = "CODEBUILD"

    environment_variable {
      name  = "ARTIFACTS_BUCKET"
      value = var.artifacts_bucket_name
      type  = "PLAINTEXT"
    }

    # What buildspec.yml's post_build starts: the pipeline, once per group, with s3://$DATA_BUCKET/applications/<group>/.
    environment_variable {
      name  = "TRAINING_PIPELINE_NAME"
      value = var.training_pipeline_name
      type  = "PLAINTEXT"
    }

    environment_variable {
      name  = "MODEL_GROUPS"
      value = var.model_groups
      type  = "PLAINTEXT"
    }

    environment_variable {
      name  = "DATA_BUCKET"
      value = var.data_bucket_name
      type  = "PLAINTEXT"
    }
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.build.name
    }

    s3_logs {
      status = "DISABLED"
    }
  }

  # The buildspec is the repository's own buildspec.yml, so the build changes with the code it builds.
  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspec.yml"
  }

  tags = var.tags

  # The first build must find its permissions in place.
  depends_on = [aws_iam_role_policy.build]
}

# --- Pipeline -------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "pipeline_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codepipeline.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "pipeline" {
  # Both prefixes: the service was renamed from CodeStar Connections to CodeConnections, and which one a call is
  # authorised under depends on the connection's ARN.
  statement {
    sid       = "UseGitHubConnection"
    actions   = ["codestar-connections:UseConnection", "codeconnections:UseConnection"]
    resources = [aws_codestarconnections_connection.this.arn]
  }

  # The source action writes the commit as a zip; the build action's input is read back from there.
  # s3:PutObjectAcl: CodePipeline gives the bucket owner full control of what it writes.
  statement {
    sid       = "ReadAndWritePipelineArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl"]
    resources = [local.pipeline_artifacts_arn]
  }

  statement {
    sid       = "CheckArtifactStore"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"]
    resources = [var.artifacts_bucket_arn]
  }

  statement {
    sid       = "UseArtifactsKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "RunBuild"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = [aws_codebuild_project.this.arn]
  }
}

resource "aws_iam_role" "pipeline" {
  name               = "${var.name}-pipeline"
  description        = "CodePipeline ${var.name}: pulls ${var.github_repository} through the GitHub connection and runs the build."
  assume_role_policy = data.aws_iam_policy_document.pipeline_trust.json

  tags = var.tags
}

resource "aws_iam_role_policy" "pipeline" {
  name   = "pipeline"
  role   = aws_iam_role.pipeline.id
  policy = data.aws_iam_policy_document.pipeline.json
}

resource "aws_codepipeline" "this" {
  name          = var.name
  pipeline_type = "V2"
  role_arn      = aws_iam_role.pipeline.arn

  artifact_store {
    location = var.artifacts_bucket_name
    type     = "S3"

    encryption_key {
      id   = var.kms_key_arn
      type = "KMS"
    }
  }

  stage {
    name = "Source"

    action {
      name             = "Source"
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeStarSourceConnection"
      version          = "1"
      namespace        = "SourceVariables"
      output_artifacts = ["source"]

      # DetectChanges: every push to the branch starts the pipeline (the connection's webhook, no polling).
      configuration = {
        ConnectionArn        = aws_codestarconnections_connection.this.arn
        FullRepositoryId     = var.github_repository
        BranchName           = var.github_branch
        DetectChanges        = "true"
        OutputArtifactFormat = "CODE_ZIP"
      }
    }
  }

  stage {
    name = "Build"

    action {
      name            = "TestAndBuild"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["source"]

      configuration = {
        ProjectName = aws_codebuild_project.this.name
      }
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.pipeline]
}
