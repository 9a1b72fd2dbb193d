"""Database layer: the only code that knows which database is underneath."""

from zhengcetong.db.base import Base
from zhengcetong.db.engine import get_engine, make_engine, make_sessionmaker, session_scope

__all__ = ["Base", "get_engine", "make_engine", "make_sessionmaker", "session_scope"]
