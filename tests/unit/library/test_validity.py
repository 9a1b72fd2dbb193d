"""status_on: the five statuses, their boundaries, and the inputs it accepts."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.factories.ingest import ParsedDocumentFactory
from zhengcetong.library.models import Document, DocumentRelation
from zhengcetong.library.validity import IN_FORCE_STATUSES, DocumentStatus, status_on

D = date


def doc(issued=D(2023, 5, 5), start=D(2023, 6, 10), until=D(2028, 6, 9)):
    return SimpleNamespace(date=issued, effective_from=start, effective_until=until)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2023, 5, 4), "未生效"),
        (D(2023, 6, 9), "未生效"),  # the day before it takes effect
        (D(2023, 6, 10), "现行有效"),  # the first day
        (D(2028, 6, 9), "现行有效"),  # the last day of its term
        (D(2028, 6, 10), "已失效"),
    ],
)
def test_dates_alone(on, expected):
    assert status_on(doc(), on) == expected


def test_without_effective_dates_a_document_is_in_force_from_its_date():
    undated_term = doc(start=None, until=None)
    assert status_on(undated_term, D(2023, 5, 4)) == DocumentStatus.NOT_YET
    assert status_on(undated_term, D(2023, 5, 5)) == DocumentStatus.IN_FORCE
    assert status_on(undated_term, D(2099, 1, 1)) == DocumentStatus.IN_FORCE


def test_a_document_with_no_dates_at_all_is_in_force():
    assert status_on(doc(issued=None, start=None, until=None), D(1990, 1, 1)) == "现行有效"


def test_repeal_takes_effect_on_its_day():
    relations = [("repeal", D(2025, 1, 1))]
    assert status_on(doc(), D(2024, 12, 31), relations) == "现行有效"
    assert status_on(doc(), D(2025, 1, 1), relations) == "已废止"
    assert status_on(doc(), D(2030, 1, 1), relations) == "已废止"  # repealed before its term ran out


def test_a_document_that_lapsed_before_its_repeal_stays_expired():
    assert status_on(doc(until=D(2024, 6, 30)), D(2025, 3, 1), [("repeal", D(2025, 1, 1))]) == "已失效"


def test_a_repeal_before_it_takes_effect_means_it_never_will():
    assert status_on(doc(), D(2023, 6, 1), [("repeal", D(2023, 5, 20))]) == "已废止"


def test_amendment_keeps_it_in_force_but_modified():
    relations = [("amend", D(2025, 1, 1))]
    assert status_on(doc(), D(2024, 12, 31), relations) == "现行有效"
    assert status_on(doc(), D(2025, 1, 1), relations) == "已修改"
    assert status_on(doc(), D(2028, 6, 10), relations) == "已失效"
    assert status_on(doc(), D(2023, 6, 1), [("amend", D(2023, 1, 1))]) == "未生效"


def test_repeal_outranks_amendment():
    relations = [("amend", D(2024, 1, 1)), ("repeal", D(2025, 1, 1))]
    assert status_on(doc(), D(2024, 6, 1), relations) == "已修改"
    assert status_on(doc(), D(2025, 6, 1), relations) == "已废止"


def test_an_undated_relation_counts_as_in_effect():
    assert status_on(doc(), D(2024, 1, 1), [("repeal", None)]) == "已废止"
    assert status_on(doc(), D(2024, 1, 1), [("amend", None)]) == "已修改"


def test_accepts_rows_parsed_documents_and_relation_objects():
    row = Document(date=D(2023, 5, 5), effective_from=D(2023, 6, 10), effective_until=None)
    relation = DocumentRelation(action="repeal", effective_on=D(2025, 1, 1))
    assert status_on(row, D(2025, 2, 1), [relation]) == "已废止"
    assert status_on(row, D(2025, 2, 1), [{"action": "amend", "effective_on": D(2024, 1, 1)}]) == "已修改"
    parsed = ParsedDocumentFactory(date=D(2023, 5, 5), effective_from=None, effective_until=D(2023, 12, 31))
    assert status_on(parsed, D(2024, 1, 1)) == "已失效"


def test_statuses_are_strings_in_chinese():
    assert [str(s) for s in DocumentStatus] == ["未生效", "现行有效", "已失效", "已废止", "已修改"]
    assert set(IN_FORCE_STATUSES) == {DocumentStatus.IN_FORCE, DocumentStatus.AMENDED}
