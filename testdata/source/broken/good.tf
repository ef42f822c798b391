resource "aws_s3_bucket" "ok" {
  tags = {}
}
