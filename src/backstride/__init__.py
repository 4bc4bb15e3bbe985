"""backstride: information and self-management support for runners with lower back pain."""

__version__ = "0.1.0"

# What backstride is for and what it is not lives in the knowledge base (`text.purpose`,
# read with `knowledge.texts.intended_purpose`): importing the package loads nothing.

__all__ = ["__version__"]
