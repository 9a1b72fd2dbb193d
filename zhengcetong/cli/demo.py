"""``zct demo``: the sample gazette, migrated, ingested and served."""

from __future__ import annotations


def run_demo(*, host: str, port: int, serve: bool) -> None:
    """Write the sample gazette into the data folder, ingest it (idempotent) and serve it."""
    from zhengcetong.cli._common import browser_address
    from zhengcetong.cli.ingest import run_ingest
    from zhengcetong.config import get_settings
    from zhengcetong.samples import write_sample

    settings = get_settings()
    path = write_sample(settings.data_dir)
    run_ingest([str(path)], actor="demo")
    _publish_sample_items(path.name)
    _add_sample_interpretation()
    address = browser_address(host, port)
    if not serve:
        print(f"示例公报已导入。运行 zct serve 后，在浏览器打开 {address} 即可浏览政策文件库。", flush=True)
        return
    print(f"示例公报已导入，请在浏览器打开 {address} 浏览政策文件库（按 Ctrl+C 停止）。", flush=True)
    from zhengcetong.cli.serve import run_serve

    run_serve(host=host, port=port, workers=1, reload=False, announce=False)


def _publish_sample_items(source_name: str) -> None:
    """Publish the sample gazette's draft items as the reviewer "demo", so the portal has items to show
    (a real library's items wait in the review queue for a person; see zct review queue)."""
    from sqlalchemy import select

    from zhengcetong import notify
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.library import Document, Gazette, PolicyItem, PublicationStatus
    from zhengcetong.library import items as policy_items

    notify.install()  # as every publisher: the search index, the stored matches, and the notifications
    with session_scope(get_engine()) as session:
        drafts = session.scalars(
            select(PolicyItem)
            .join(Document)
            .join(Gazette)
            .where(
                Gazette.source_name.endswith(source_name), PolicyItem.status == PublicationStatus.DRAFT.value
            )
        ).all()
        count = policy_items.publish_items(db_session=session, items=list(drafts), actor="demo")
    if count:
        print(
            f"示例：以审核人员 demo 的身份发布了示例公报的 {count} 项政策事项（修改记录中可查）", flush=True
        )


def _add_sample_interpretation() -> None:
    """Publish the sample 政策解读 of the 专精特新 measures once (zhengcetong/samples/interpretation.py)."""
    from zhengcetong import search
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.samples import interpretation

    search.install()  # the interpretation reaches the search index in the same transaction
    with session_scope(get_engine()) as session:
        uid = interpretation.add_to_library(session, actor="demo")
    if uid:
        print(f"示例政策解读已发布：/interpretations/{uid}", flush=True)
