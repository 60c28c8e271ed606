"""Reports of a Comparison: terminal (rich), one self-contained HTML file, JSON and CSV."""

from .html import render_html, write_html
from .json import to_csv, to_json
from .terminal import print_report

__all__ = ["print_report", "render_html", "write_html", "to_json", "to_csv"]
