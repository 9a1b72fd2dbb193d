"""``zct db upgrade`` and ``zct db check``."""

from __future__ import annotations


def run_upgrade() -> None:
    """Migrate the configured database to the newest revision."""
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import current, upgrade
    from zhengcetong.search import refresh_engine

    engine = get_engine()
    upgrade(engine)
    print(f"数据库已是最新版本 {current(engine)}：{get_settings().effective_database_url}")
    # Build the search top lists here rather than in the first write after the upgrade (SQLite; a
    # no-op when they are in step): at a million entries that takes about a minute.
    with session_scope(engine) as session:
        result = refresh_engine(db_session=session)
    if result.built:
        print(f"检索常见词候选表：{result.lists} 个词（{result.seconds:.1f} 秒）")


def run_check() -> None:
    """Exit 1 when the models and the migrations disagree."""
    from zhengcetong.db.engine import get_engine
    from zhengcetong.db.migrate import check_drift, upgrade

    engine = get_engine()
    upgrade(engine)
    drift = check_drift(engine)
    if drift:
        for diff in drift:
            print(f"不一致：{diff}")
        raise SystemExit(1)
    print("数据表模型与迁移一致")
