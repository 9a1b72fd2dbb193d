"""``zct demo``: the sample gazette, migrated, ingested and served."""

from __future__ import annotations

from zhengcetong.errors import ZctError

DEMO_REVIEWER = "demo"  # the reviewer account of the demo, and the actor of its publications


def run_demo(*, host: str, port: int, serve: bool) -> None:
    """Write the sample gazette into the data folder, ingest it (idempotent), create the demo reviewer
    account and serve it."""
    from zhengcetong.cli._common import browser_address, check_port
    from zhengcetong.cli.ingest import run_ingest
    from zhengcetong.config import get_settings
    from zhengcetong.samples import write_sample

    settings = get_settings()
    if settings.env == "production":
        raise ZctError(
            "zct demo 只用于演示，不能在生产环境（ZCT_ENV=production）运行：它会发布示例事项，"
            "并创建一个密码打印在屏幕上的审核账号。生产环境请用 zct ingest 导入公报，用 zct users add 创建账号"
        )
    if serve:
        check_port(host, port, retry="make demo PORT={port} 或 zct demo --port {port}")
    path = write_sample(settings.data_dir)
    run_ingest([str(path)], actor=DEMO_REVIEWER)
    _publish_sample_items(path.name)
    _add_sample_interpretation()
    address = browser_address(host, port)
    password = _ensure_demo_reviewer(settings.demo_password())
    print(
        f"演示审核账号：用户名 {DEMO_REVIEWER}，密码 {password}（只在演示中创建；密码保存在 "
        f"{settings.data_dir / 'demo_password'}），在 {address}staff/login 登录审核后台。"
        "正式账号请用 zct users add 创建。",
        flush=True,
    )
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


def _ensure_demo_reviewer(password: str) -> str:
    """Create the demo reviewer account with ``password``, or give it that password back (and enable it)
    when it exists with another, so the login printed at start always works."""
    from zhengcetong.cli.users import cli_actor
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.errors import NotFound
    from zhengcetong.library import users

    with session_scope(get_engine()) as session:
        try:
            user = users.get_user(db_session=session, username=DEMO_REVIEWER)
        except NotFound:
            users.create_user(
                db_session=session,
                username=DEMO_REVIEWER,
                password=password,
                role="reviewer",
                display_name="演示审核人员",
                actor=cli_actor(),
            )
            return password
        if user.role != "reviewer":
            raise ZctError(
                f"已有一个名为 {DEMO_REVIEWER} 的{user.role}账号，演示审核账号无法创建；请换一个数据目录"
            )
        if not users.has_password(user=user, password=password):
            users.reset_password(
                db_session=session, username=DEMO_REVIEWER, password=password, actor=cli_actor()
            )
        if not user.active:
            users.set_active(db_session=session, username=DEMO_REVIEWER, active=True, actor=cli_actor())
    return password
