// CrateS3: see docs/architecture.md
