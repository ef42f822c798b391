variable "name" {
  type = string
}

resource "terraform_data" "config" {
  input = {
    name = var.name
    tags = { owner = "platform" }
  }
}

data "terraform_remote_state" "unused" {
  count   = 0
  backend = "local"
}
