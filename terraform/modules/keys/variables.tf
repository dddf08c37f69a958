variable "name" {
  description = "Name prefix of the aliases (alias/<name>-<purpose>), e.g. creditai-mlops-dev."
  type        = string

  validation {
    # Alias names allow letters, digits, '/', '_' and '-'; 256 characters at most.
    condition     = can(regex("^[a-zA-Z0-9_-]{1,200}$", var.name))
    error_message = "name: letters, digits, '_' and '-' only (it becomes part of alias/<name>-<purpose>)."
  }
}

variable "account_id" {
  description = "AWS account id that owns and administers the keys."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "partition" {
  description = "AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs and service principals."
  type        = string

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.partition)
    error_message = "partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "aws_region" {
  description = "Region of the keys: the CloudWatch Logs service principal and the SageMaker endpoint are regional."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region code such as eu-west-1."
  }
}
