"""Runs the command line as ``python -m exporter``."""

from exporter.cli import main

if __name__ == "__main__":  # worker processes import this module under another name
    main()
