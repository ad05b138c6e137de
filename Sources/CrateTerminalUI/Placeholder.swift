// CrateTerminalUI: see docs/architecture.md
