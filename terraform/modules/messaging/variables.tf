variable "name" {
  description = "Name prefix of the queues (e.g. creditai-mlops-dev)."
  type        = string

  validation {
    # The longest name built from it, "<name>-reconcile-dlq.fifo", must stay within SQS's 80 characters.
    condition     = can(regex("^[a-zA-Z0-9_-]{1,61}$", var.name))
    error_message = "name: 1-61 letters, digits, hyphens and underscores."
  }
}

variable "kms_key_arn" {
  description = "KMS key of the queues (SSE-KMS). Its key policy must let events.amazonaws.com use it (kms:GenerateDataKey, kms:Decrypt): EventBridge writes dead letters to the rules DLQ."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "bus_name" {
  description = "Name of the project event bus domain events go to (the catalogue's bus \"creditai-mlops\")."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.bus_name)) && var.bus_name != "default"
    error_message = "bus_name: letters, digits, '.', '_' and '-', and not \"default\" (that is the account's own bus)."
  }
}

variable "bus_publisher_arns" {
  description = "IAM role ARNs allowed by the bus policy to put events on the project bus (the functions' roles)."
  type        = list(string)

  validation {
    condition     = length(var.bus_publisher_arns) > 0 && alltrue([for arn in var.bus_publisher_arns : can(regex("^arn:[a-z-]+:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "bus_publisher_arns: at least one IAM role ARN, and nothing else."
  }
}
