// Tests for CrateS3 arrive with it.
