resource "aws_s3_bucket" "deep" {
  bucket = "acme-deep"
  tags   = {}
}
