variable "name" {
  description = "Prefix of every resource name (e.g. creditai-mlops-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,60}$", var.name))
    error_message = "name: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the topics and the PagerDuty secret. Its key policy must let events.amazonaws.com and cloudwatch.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt), or their publishes are dropped."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "notification_emails" {
  description = "Email addresses subscribed to the notices and approvals topics. Each address must confirm its subscription from the mail AWS sends."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for email in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "notification_emails: every entry must be an email address."
  }
}

variable "pagerduty_enabled" {
  description = "Create the Secrets Manager secret that holds the PagerDuty Events API v2 routing key (its value is set outside Terraform)."
  type        = bool
  default     = false
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted PagerDuty secret can still be restored (0 deletes at once; 7-30 otherwise)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
