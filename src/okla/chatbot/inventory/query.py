"""Moved: the parser is okla.chatbot.understanding.query (Catalog moves to inventory.domain).

Kept only so inventory/repository.py imports Catalog until the merge; delete it then.
"""

from okla.chatbot.understanding.query import Catalog

__all__ = ["Catalog"]
