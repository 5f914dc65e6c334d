"""Two extension modules sharing one library's state."""

from ._bump import bump
from ._read import read

__all__ = ["bump", "read"]
