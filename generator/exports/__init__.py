"""Writing the study out in other programs' formats: REFI-QDA, Excel."""
