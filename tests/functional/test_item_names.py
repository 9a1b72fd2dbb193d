"""Item names keep who gets the benefit, so a search for the beneficiary finds every item about it."""

from __future__ import annotations

from datetime import date

from tests.factories.ingest import ParsedDocumentFactory, ParsedGazetteFactory, content_of
from zhengcetong.ingest import flows
from zhengcetong.ingest.measures import extract_items
from zhengcetong.library import items as policy_items
from zhengcetong.search import SearchRequest, search, sync

RECOGNITION = "对首次认定的高新技术企业，给予一次性奖励20万元；重新认定的，给予一次性奖励10万元。"


def test_search_by_the_subject_finds_the_item_that_only_says_what_happened(db_session):
    doc = ParsedDocumentFactory(outline=[("第一条", RECOGNITION)])
    gazette = ParsedGazetteFactory(documents=[doc])
    prepared = flows.Prepared("names.txt", content_of(gazette), gazette, [extract_items(doc)])
    flows.store(db_session=db_session, prepared=[prepared], actor="test")
    policy_items.publish_items(
        db_session=db_session, items=policy_items.list_items(db_session=db_session), actor="test"
    )
    sync(db_session=db_session)  # as a commit would (the test's transaction is rolled back after it)
    page = search(
        db_session=db_session,
        request=SearchRequest(q="高新技术企业", kind=["item"]),
        today=date(2026, 6, 1),
    )
    assert {hit.title for hit in page.hits} == {
        "首次认定的高新技术企业一次性奖励",
        "重新认定的高新技术企业一次性奖励",
    }
