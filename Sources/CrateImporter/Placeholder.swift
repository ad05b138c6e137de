// CrateImporter: see docs/architecture.md
