// Catalog: see docs/architecture.md
