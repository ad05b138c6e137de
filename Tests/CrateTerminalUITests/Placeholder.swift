// Tests for CrateTerminalUI arrive with it.
