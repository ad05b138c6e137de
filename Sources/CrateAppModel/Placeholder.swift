// CrateAppModel: see docs/architecture.md
