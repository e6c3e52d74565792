"""Data in: load and validate data/ (pandera), the plan and sign-off files, the narrative file format, the new-year entry sheet, import of what the analyst filled in."""
