// Tests for CrateImporter arrive with it.
