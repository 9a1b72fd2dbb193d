"""``zct demo``: the sample gazette, migrated, ingested and served."""

from __future__ import annotations


def run_demo(*, host: str, port: int, serve: bool) -> None:
    """Write the sample gazette into the data folder, ingest it (idempotent) and serve it."""
    from zhengcetong.cli.ingest import run_ingest
    from zhengcetong.config import get_settings
    from zhengcetong.samples import write_sample

    settings = get_settings()
    path = write_sample(settings.data_dir)
    run_ingest([str(path)], actor="demo")
    if serve:
        from zhengcetong.cli.serve import run_serve

        run_serve(host=host, port=port, workers=1, reload=False)
