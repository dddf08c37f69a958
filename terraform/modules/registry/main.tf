# The model registry: one SageMaker model package group per managed model group, and the group's lifecycle policy
# seeded in the state table, where the control plane reads it (shared/aws/dynamodb-state-store.ts).

resource "aws_sagemaker_model_package_group" "this" {
  for_each = var.model_groups

  model_package_group_name        = each.key
  model_package_group_description = each.value.description

  # Versioned packages inherit the group's tags.
  tags = {
    "creditai:model-group" = each.key
  }
}

# GROUP#<g> / POLICY: the overrides merged over the platform defaults. DynamoDB JSON cannot carry an `any` value,
# so the overrides travel as a JSON string, which the store adapter parses. Terraform owns this item: a policy
# changed outside Terraform (mlops CLI) is reset by the next apply.
resource "aws_dynamodb_table_item" "policy" {
  for_each = var.model_groups

  table_name = var.state_table_name
  hash_key   = "pk"
  range_key  = "sk"

  item = jsonencode({
    pk        = { S = "GROUP#${each.key}" }
    sk        = { S = "POLICY" }
    overrides = { S = jsonencode(lookup(var.policy_overrides, each.key, {})) }
  })

  # A policy names a group that exists in the registry.
  depends_on = [aws_sagemaker_model_package_group.this]
}

# GROUPS / <g>: the managed-groups list the sweep walks. Written after the policy, so a listed group always has one.
resource "aws_dynamodb_table_item" "managed" {
  for_each = var.model_groups

  table_name = var.state_table_name
  hash_key   = "pk"
  range_key  = "sk"

  item = jsonencode({
    pk = { S = "GROUPS" }
    sk = { S = each.key }
  })

  depends_on = [aws_dynamodb_table_item.policy]
}
