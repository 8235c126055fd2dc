"""Static-site reports for mixed-methods case-study research.

Markdown content with YAML front-matter goes in; a validated framework
matrix and one searchable MkDocs site per local authority come out.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
