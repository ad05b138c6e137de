// Tests for CrateStorage arrive with it.
