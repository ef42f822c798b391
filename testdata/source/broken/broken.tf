resource "aws_s3_bucket" "lost" {
  tags = {
    owner = "web"
  # the closing braces are missing
