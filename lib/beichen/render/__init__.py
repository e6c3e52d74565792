"""Rendering an edition: Chinese number style, sentences, narrative passages, tables and charts, the chapter toolkit."""
