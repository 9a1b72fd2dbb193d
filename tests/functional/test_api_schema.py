"""Schemathesis over every operation of the app's /openapi.json, on SQLite and PostgreSQL: no server
errors, and every response is one the spec documents (status code, content type, body schema).

The run is bounded and reproducible: a fixed number of examples per operation and mode (valid and invalid
data), ``derandomize`` so a failure recurs on the next run, no deadline (the machine is shared).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 20  # per operation and mode: about 440 requests
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)


def _send(client, case):
    """The case sent through the app's TestClient (schemathesis prepares requests-style arguments)."""
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
    request = {k: kwargs[k] for k in ("method", "url", "headers", "params", "cookies") if kwargs.get(k)}
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        request["content" if isinstance(data, bytes | str) else "data"] = data
    return client.request(**request)


def _run(client, operation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @SETTINGS
    def check(case) -> None:
        case.validate_response(_send(client, case), checks=CHECKS)

    check()


@pytest.mark.slow
def test_every_operation_answers_as_documented(client):
    client.cookies.clear()
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11, [op.label for op in operations]
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(client, operation, mode)
            except Unsatisfiable:  # nothing invalid to send (no parameters, or only free-text ones)
                continue
            except Exception as exc:  # collect every operation's failure, not only the first
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
