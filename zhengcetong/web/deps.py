"""Request-scoped dependencies: one database session per request, committed or rolled back at the edge."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def get_db(request: Request) -> Iterator[Session]:
    """Open the request's session; commit on success, roll back on error."""
    session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# "function" scope: the commit happens before the response is sent, so a redirect after a write never
# reaches a page that cannot see it yet, and a failed commit is an error response, not a "saved" one.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
