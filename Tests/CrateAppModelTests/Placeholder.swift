// Tests for CrateAppModel arrive with it.
