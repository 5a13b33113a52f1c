"""Chinese text knowledge shared by the parser, the fonts and the editions: scripts, dates and typography."""
