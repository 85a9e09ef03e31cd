"""Policy packs: declarative YAML that says what records mean and what follows from them."""
