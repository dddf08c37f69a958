variable "name" {
  description = "Name prefix of the buckets (<name>-<purpose>-<account_id>), e.g. creditai-mlops-dev."
  type        = string

  validation {
    # The longest bucket name, <name>-artifacts-<12 digits>, must stay within S3's 63 characters.
    condition     = can(regex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", var.name)) && length(var.name) <= 40
    error_message = "name: lower-case letters, digits and hyphens, at most 40 characters (bucket naming rules)."
  }
}

variable "account_id" {
  description = "AWS account id, the suffix that makes the bucket names globally unique."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key of the buckets' default encryption (SSE-KMS with bucket keys)."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}
