variable "name" {
  description = "Prefix of every resource name (e.g. creditai-mlops-dev); also the name of the pipeline and the build project."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,50}$", var.name))
    error_message = "name: lower-case letters, digits and hyphens, starting with a letter, at most 51 characters (the role names add a suffix)."
  }
}

variable "github_repository" {
  description = "owner/name of the GitHub repository the pipeline builds from."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "github_branch" {
  description = "Branch whose pushes start the pipeline."
  type        = string
  default     = "main"

  validation {
    condition     = length(var.github_branch) > 0 && !can(regex("\\s", var.github_branch))
    error_message = "github_branch must be a branch name without spaces."
  }
}

variable "artifacts_bucket_name" {
  description = "Artifacts bucket: the pipeline's artifact store and, under builds/<commit>/, the function zips of every build."
  type        = string
}

variable "artifacts_bucket_arn" {
  description = "ARN of the artifacts bucket, for the IAM policies."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the artifacts bucket: encrypts pipeline artifacts and build outputs."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key of the build's CloudWatch log group; its key policy must let logs.<region>.amazonaws.com use it. Null: kms_key_arn, which must then allow CloudWatch Logs."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention of the build logs in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "build_compute_type" {
  description = "CodeBuild compute type (BUILD_GENERAL1_SMALL: 2 vCPU, 3 GB; enough for npm test and the esbuild bundles)."
  type        = string
  default     = "BUILD_GENERAL1_SMALL"

  validation {
    condition     = contains(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"], var.build_compute_type)
    error_message = "build_compute_type must be BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM or BUILD_GENERAL1_LARGE."
  }
}

variable "build_timeout_minutes" {
  description = "Minutes after which CodeBuild stops a build."
  type        = number
  default     = 30

  validation {
    condition     = var.build_timeout_minutes >= 5 && var.build_timeout_minutes <= 480
    error_message = "build_timeout_minutes must be between 5 and 480."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}

variable "training_pipeline_name" {
  description = "Name of the SageMaker training pipeline (module pipeline) a successful build starts, once per model group (TRAINING_PIPELINE_NAME of the build)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$", var.training_pipeline_name))
    error_message = "training_pipeline_name must be a SageMaker pipeline name (letters, digits, hyphens)."
  }
}

variable "training_pipeline_arn" {
  description = "ARN of that pipeline: the only resource the build role may start executions of and describe."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:sagemaker:[a-z0-9-]+:[0-9]{12}:pipeline/[a-zA-Z0-9-]+$", var.training_pipeline_arn))
    error_message = "training_pipeline_arn must be a SageMaker pipeline ARN (arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>)."
  }
}

variable "model_groups" {
  description = "Model package groups a push trains, comma-separated (MODEL_GROUPS of the build): one training execution per group. Empty: a push trains nothing."
  type        = string
  default     = ""

  validation {
    # Each name goes into an S3 key, a --pipeline-parameters value and the execution's display name
    # (<12-character commit>-<group>, at most 82 characters): a model package group name of at most 63 characters.
    condition     = alltrue([for group in compact(split(",", var.model_groups)) : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", trimspace(group)))])
    error_message = "model_groups must be comma-separated model package group names (letters, digits and hyphens, at most 63 characters each)."
  }
}

variable "data_bucket_name" {
  description = "Data bucket: each group's training data is read from s3://<bucket>/applications/<group>/ (DATA_BUCKET of the build)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_bucket_name))
    error_message = "data_bucket_name must be an S3 bucket name."
  }
}
