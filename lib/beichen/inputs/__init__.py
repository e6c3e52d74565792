"""Data in and out: load and validate data/ (pandera), the new-year entry sheet, import of what the analyst filled in."""
