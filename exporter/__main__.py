"""Runs the command line as ``python -m exporter``."""

from exporter.cli import main

main()
