variable "bucket_name" {
  description = "Name of the audit-ledger bucket, e.g. creditai-mlops-prod-audit-<account_id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name: 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the records; it must outlive the retention."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "retention_years" {
  description = "Default Object Lock COMPLIANCE retention of each record, in whole years (regulation: at least 7)."
  type        = number
  default     = 7

  validation {
    condition     = var.retention_years >= 7 && var.retention_years <= 100 && floor(var.retention_years) == var.retention_years
    error_message = "retention_years must be a whole number of years, at least 7 (and at most S3's 100)."
  }
}
