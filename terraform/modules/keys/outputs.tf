output "key_arns" {
  description = "ARN of the customer-managed key of each purpose: state, audit, data, messaging, notify, logs."
  value       = local.key_arns
}

output "alias_names" {
  description = "Alias of each purpose's key (alias/<name>-<purpose>)."
  value       = { for purpose, alias in aws_kms_alias.this : purpose => alias.name }
}
