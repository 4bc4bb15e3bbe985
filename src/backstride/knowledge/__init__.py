"""The cited, versioned knowledge base: clinical rules and content as validated data."""

from backstride.knowledge.load import load_knowledge_base
from backstride.knowledge.model import KnowledgeBase, Record, Source

__all__ = ["KnowledgeBase", "Record", "Source", "load_knowledge_base"]
