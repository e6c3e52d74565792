"""The website: the reader's interface over Jupyter Book's pages, Chinese search, offline charts, the landing page of every edition."""
