// Tests for CrateCLI arrive with it.
