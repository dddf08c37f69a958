# One table holds lifecycle state, policies, approval evidence, the endpoint index, rejected events and the
# Powertools idempotency records (shared/aws/dynamodb-state-store.ts lists the item layout).

resource "aws_dynamodb_table" "this" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  # A lost table is a lost lifecycle history: refuse deletion until someone turns this off on purpose.
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  # Powertools idempotency records carry `expiration` (epoch seconds); items without it never expire.
  ttl {
    attribute_name = "expiration"
    enabled        = true
  }
}
