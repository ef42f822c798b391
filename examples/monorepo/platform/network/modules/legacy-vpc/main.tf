# The legacy VPC, being replaced by module.core; waived in ../../tfwarden.toml.

resource "aws_security_group" "open" {
  name = "legacy-open"
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { env = "prod" }
}

resource "aws_instance" "nat" {
  ami           = "ami-0456"
  instance_type = "t3.micro"
  tags          = { env = "prod" }
}
