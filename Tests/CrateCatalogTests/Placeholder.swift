// Tests for CrateCatalog arrive with it.
