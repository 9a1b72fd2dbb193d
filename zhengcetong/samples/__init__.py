"""The project's own sample gazettes (a fictional city, 青禾市), written for the demo and the tests.

``qinghe_2026_03.txt`` is a whole issue with every layout artefact of real gazettes: cover and table of
contents, running heads and page numbers (mid-sentence too), page continuations (下转/上接, two on one
page), a jumbled cover letter, a header title broken over two lines, markdown residue, a table, an
opinion, two appointment notices and a chronicle. ``qinghe_single_notice.txt`` is one notice as a
government website shows it, in traditional script.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
GAZETTE = "qinghe_2026_03.txt"
SINGLE_NOTICE = "qinghe_single_notice.txt"


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
