variable "name" {
  description = "Name prefix of the role (<name>-sagemaker-execution), e.g. creditai-mlops-dev."
  type        = string

  validation {
    # IAM role names are at most 64 characters; the suffix takes 21.
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,43}$", var.name))
    error_message = "name: at most 43 characters from IAM's role-name set (letters, digits, +=,.@_-)."
  }
}

variable "partition" {
  description = "AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs."
  type        = string

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.partition)
    error_message = "partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "account_id" {
  description = "AWS account id: the only account whose SageMaker may assume the role, and the owner of its logs and alarms."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "aws_region" {
  description = "Region of the endpoints; selects the account of SageMaker's built-in XGBoost image."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region code such as eu-west-1."
  }
}

variable "artifacts_bucket_arn" {
  description = "ARN of the artifacts bucket whose model artifacts (model.tar.gz) the models load."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_arn))
    error_message = "artifacts_bucket_arn must be an S3 bucket ARN (arn:<partition>:s3:::<bucket>)."
  }
}

variable "capture_bucket_arn" {
  description = "ARN of the data-capture bucket endpoints write requests and responses to (under endpoints/)."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.capture_bucket_arn))
    error_message = "capture_bucket_arn must be an S3 bucket ARN (arn:<partition>:s3:::<bucket>)."
  }
}

variable "kms_key_arns" {
  description = "ARNs of the KMS keys that encrypt the artifacts and capture buckets; the role decrypts and generates data keys with them, through S3 or SageMaker only."
  type        = list(string)

  validation {
    condition     = length(var.kms_key_arns) > 0 && alltrue([for arn in var.kms_key_arns : can(regex("^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/", arn))])
    error_message = "kms_key_arns must hold at least one KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}
