variable "model_groups" {
  description = "Managed model groups keyed by name, with their registry description."
  type = map(object({
    description = string
  }))
  default = {}

  validation {
    # SageMaker's model package group name pattern, and room for the '-staging' endpoint suffix.
    condition     = alltrue([for name in keys(var.model_groups) : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,40}$", name))])
    error_message = "Model group names: letters, digits and hyphens, starting and ending with a letter or digit, at most 41 characters."
  }

  validation {
    condition     = alltrue([for group in values(var.model_groups) : length(group.description) <= 1024])
    error_message = "A model group description is at most 1024 characters (SageMaker's limit)."
  }

}

variable "policy_overrides" {
  description = "Lifecycle policy overrides per model group (any shape per group), stored as JSON in the group's POLICY item; groups without an entry get the platform defaults."
  type        = any
  default     = {}

  validation {
    # The overrides are objects of policy sections (README, 'Lifecycle policy'), never a list or a scalar.
    condition     = alltrue([for o in values(var.policy_overrides) : startswith(jsonencode(o), "{")])
    error_message = "Each group's policy overrides must be an object (a map of policy sections), e.g. { approval = { production = \"manual\" } }."
  }
}

variable "state_table_name" {
  description = "The DynamoDB state table the policies and the managed-groups list are written to."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.state_table_name))
    error_message = "state_table_name: 3-255 letters, digits, '_', '-' and '.'."
  }
}
