"""The printed edition: the LaTeX build and the print rules applied to its document tree."""
