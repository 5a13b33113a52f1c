"""The e-edition (数字报): the print pages as pictures with each article a region on them, the articles as text, search."""
