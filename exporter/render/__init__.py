"""Renderers: the model, shaped by a theme, into the HTML every edition starts from."""
