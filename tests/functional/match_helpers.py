"""Helpers of the matching tests: the seed and sample gazettes ingested and published in a test's session."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import seed_path
from zhengcetong.samples import SINGLE_NOTICE, sample_path

CREDIT_CODE = "91330100799655058B"


def library(db_session, *, seeds: bool = True) -> None:
    """Ingest the sample gazette (and the two seed gazettes) into ``db_session`` and publish every item."""
    from tests.factories.ingest import ingest_file
    from zhengcetong.library import items as policy_items
    from zhengcetong.library.models import PolicyItem

    files = [sample_path(), sample_path(SINGLE_NOTICE)]
    if seeds:
        files += [seed_path("5"), seed_path("6-7")]
    for path in files:
        ingest_file(db_session, path.read_bytes(), path.name)
    drafts = list(db_session.scalars(select(PolicyItem)))
    policy_items.publish_items(db_session=db_session, items=drafts, actor="test")
    db_session.flush()


def document(**fields) -> dict:
    """An enterprise profile document with a valid name and credit code."""
    return {"name": "聊城示例电子有限公司", "credit_code": CREDIT_CODE, **fields}


def answers_for(db_session, *needles: str) -> dict:
    """Facts saying yes to every question (``answers.…``, ``claims.…``) of the items whose name contains one
    of ``needles``, by namespace: ``{"claims": {"q…": True}}``."""
    from zhengcetong.library.models import PolicyItem
    from zhengcetong.match.service import question_labels

    found = {}
    for item in db_session.scalars(select(PolicyItem)):
        if any(n in item.name for n in needles):
            for fact in question_labels(item.conditions):
                namespace, _, name = fact.partition(".")
                found.setdefault(namespace, {})[name] = True
    return found
