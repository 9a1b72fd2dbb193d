"""The project's own sample gazettes (a fictional city, 青禾市), written for the demo and the tests.

``qinghe_2026_03.txt`` is a whole issue with every layout artefact of real gazettes: cover and table of
contents (one entry in the other 目录 style, one title that differs from the document's), running heads
and page numbers ("— 5 —", "·6·", mid-sentence too), three page continuations (下转/上接, two on one
page, one of them backwards), a jumbled cover letter, header titles broken or spaced, markdown residue,
a half-width item, a table, an opinion, two appointment notices and a chronicle.
``qinghe_single_notice.txt`` is one notice as a government website shows it, in traditional script.
``expected.yaml`` is the ground truth a correct parse of both must give (its header states the
conventions).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).resolve().parent
GAZETTE = "qinghe_2026_03.txt"
SINGLE_NOTICE = "qinghe_single_notice.txt"
EXPECTED = "expected.yaml"


def sample_path(name: str = GAZETTE) -> Path:
    """Path of a bundled sample file."""
    path = SAMPLES_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"no sample named {name} in {SAMPLES_DIR}")
    return path


def write_sample(dest_dir: Path | str, name: str = GAZETTE) -> Path:
    """Copy a sample into ``dest_dir`` (created if needed) and return the copy's path."""
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / name
    shutil.copyfile(sample_path(name), target)
    return target


def load_expected() -> dict[str, Any]:
    """The ground truth for the samples: ``{"files": {file name: {issue, toc, documents, …}}}``.

    Examples:
        >>> expected = load_expected()["files"]
        >>> expected[GAZETTE]["issue"], len(expected[GAZETTE]["documents"])
        ('2026年第3期', 9)
    """
    import yaml

    with sample_path(EXPECTED).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
