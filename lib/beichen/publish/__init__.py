"""Publishing: the build pipeline (papermill, Jupyter Book, PDF), the chapter cache, the multi-edition site, Sphinx extensions."""
