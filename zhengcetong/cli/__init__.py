"""The ``zct`` command. Each domain's commands live in their own module and are imported only when run,
so that ``zct --help`` does not pay for SQLAlchemy, FastAPI or jieba.

The thin wrappers here are named ``<command>_command`` where a module of the same name exists
(``zhengcetong.cli.ingest``), so the package attribute is never ambiguous.
"""

from __future__ import annotations

import typer

from zhengcetong.cli.help_zh import install as _speak_chinese

_speak_chinese()

app = typer.Typer(
    name="zct",
    help="政策通 zhengcetong：把政府公报变成政策文件库。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
docs_app = typer.Typer(help="查看政策文件库。", no_args_is_help=True)
db_app = typer.Typer(help="数据库迁移。", no_args_is_help=True)
items_app = typer.Typer(help="政策事项的审核与发布。", no_args_is_help=True)
review_app = typer.Typer(help="审核队列。", no_args_is_help=True)
users_app = typer.Typer(help="账号管理。", no_args_is_help=True)
profiles_app = typer.Typer(help="企业画像：导入、查看。", no_args_is_help=True)
notify_app = typer.Typer(help="推送：发送待发的通知邮件、查看发送记录。", no_args_is_help=True)
search_app = typer.Typer(help="全文检索：查询、重建索引、管理分词词语。", no_args_is_help=True)
terms_app = typer.Typer(
    help="分词词典中的库内词语（发文机关、责任部门、人工添加的词）。", invoke_without_command=True
)
search_app.add_typer(terms_app, name="terms")
app.add_typer(search_app, name="search")
app.add_typer(users_app, name="users")
app.add_typer(profiles_app, name="profiles")
app.add_typer(docs_app, name="docs")
app.add_typer(items_app, name="items")
app.add_typer(review_app, name="review")
app.add_typer(db_app, name="db")
app.add_typer(notify_app, name="notify")


@app.command()
def extract(
    file: str = typer.Argument(..., help="公报或单篇公文的文本文件"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（格式见 README）"),
    pretty: bool = typer.Option(False, "--pretty", help="JSON 缩进排版"),
) -> None:
    """只解析、不写数据库：输出文件列表，或 --json 输出完整解析结果。"""
    from zhengcetong.cli.ingest import run_extract

    run_extract(file, as_json=as_json, pretty=pretty)


@app.command("ingest")
def ingest_command(
    files: list[str] = typer.Argument(..., help="一个或多个公报文本文件"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人"),
) -> None:
    """解析并入库；重复导入同一文件不做改动；任一文件出错则全部不写入。"""
    from zhengcetong.cli.ingest import run_ingest

    run_ingest(files, actor=actor)


@docs_app.command("list")
def docs_list(
    valid_on: str = typer.Option(None, "--valid-on", help="按该日期（YYYY-MM-DD）计算有效性，默认今天"),
    only_valid: bool = typer.Option(False, "--only-valid", help="只列出该日期现行有效的文件"),
    issuer: str = typer.Option(None, "--issuer", help="发文机关"),
    kind: str = typer.Option(
        None, "--kind", help="notice / opinion / decision / appointment / chronicle / other"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出文件及其在某一日期的有效性。"""
    from zhengcetong.cli.docs import run_list

    run_list(valid_on=valid_on, only_valid=only_valid, issuer=issuer, kind=kind, as_json=as_json)


@docs_app.command("show")
def docs_show(
    uid: str = typer.Argument(..., help="文件编号（如 聊政发-2023-3）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """查看一篇文件。"""
    from zhengcetong.cli.docs import run_show

    run_show(uid, as_json=as_json)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库结构升级到最新版本。"""
    from zhengcetong.cli.db import run_upgrade

    run_upgrade()


@db_app.command("check")
def db_check() -> None:
    """检查数据表模型与迁移是否一致（不一致时退出码为 1）。"""
    from zhengcetong.cli.db import run_check

    run_check()


@items_app.command("list")
def items_list(
    doc: str = typer.Option(None, "--doc", help="文号（如 聊政办发〔2023〕7号）或文件编号"),
    status: str = typer.Option(None, "--status", help="draft / published / withdrawn"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出政策事项。"""
    from zhengcetong.cli.items import run_list

    run_list(doc=doc, status=status, as_json=as_json)


@items_app.command("publish")
def items_publish(
    ids: list[str] = typer.Argument(None, help="事项 ID 或稳定键"),
    doc: str = typer.Option(None, "--doc", help="发布该文件全部待审核事项"),
    publish_all: bool = typer.Option(False, "--all", help="发布全部待审核事项"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的审核人"),
) -> None:
    """审核通过并发布政策事项（每次变更都留有记录）。"""
    from zhengcetong.cli.items import run_publish

    run_publish(ids=ids or [], doc=doc, publish_all=publish_all, actor=actor)


@items_app.command("show")
def items_show(
    item_id: str = typer.Argument(..., help="事项 ID 或稳定键"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """查看一项政策事项：规则的文字表述和修改记录（版本历史）。"""
    from zhengcetong.cli.items import run_show

    run_show(item_id, as_json=as_json)


@items_app.command("withdraw-lapsed")
def items_withdraw_lapsed(
    on: str = typer.Option(None, "--on", help="按该日期（YYYY-MM-DD）判断，默认今天"),
    actor: str = typer.Option("system", "--actor", help="记入修改记录和审计日志的操作人"),
) -> None:
    """把所属文件已失效或已废止的已发布事项记为“已撤回”（可每日定时运行）。"""
    from zhengcetong.cli.items import run_withdraw_lapsed

    run_withdraw_lapsed(on=on, actor=actor)


@review_app.command("queue")
def review_queue(
    today: str = typer.Option(None, "--today", help="按该日期（YYYY-MM-DD）计算时限，默认今天"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """新入库文件的审核时限与超期情况。"""
    from zhengcetong.cli.items import run_queue

    run_queue(today=today, as_json=as_json)


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option(
        "reviewer", "--role", help="admin（管理员）/ reviewer（审核人员）/ enterprise（企业账号）"
    ),
    display_name: str = typer.Option(None, "--name", help="显示名称"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人"),
    enterprise: str = typer.Option(
        None, "--enterprise", help="企业账号所代表的企业（统一社会信用代码，须已导入；仅 --role enterprise）"
    ),
    email: str = typer.Option(None, "--email", help="接收通知邮件的邮箱（未设置时发往企业画像的联系邮箱）"),
) -> None:
    """创建账号（密码以 Argon2 哈希保存）。"""
    from zhengcetong.cli.users import run_add

    run_add(
        username=username,
        role=role,
        display_name=display_name,
        password_stdin=password_stdin,
        actor=actor,
        enterprise=enterprise,
        email=email,
    )


@users_app.command("list")
def users_list() -> None:
    """列出账号：用户名、角色、是否停用、是否被锁定（从哪些地址）。"""
    from zhengcetong.cli.users import run_list

    run_list()


@users_app.command("disable")
def users_disable(username: str = typer.Argument(..., help="用户名")) -> None:
    """停用账号：不能再登录，已登录的会话随即失效。"""
    from zhengcetong.cli.users import run_set_active

    run_set_active(username=username, active=False)


@users_app.command("enable")
def users_enable(username: str = typer.Argument(..., help="用户名")) -> None:
    """重新启用停用的账号。"""
    from zhengcetong.cli.users import run_set_active

    run_set_active(username=username, active=True)


@users_app.command("reset-password")
def users_reset_password(
    username: str = typer.Argument(..., help="用户名"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取新密码"),
) -> None:
    """重设密码：该用户已登录的会话全部失效，登录锁定一并解除。"""
    from zhengcetong.cli.users import run_reset_password

    run_reset_password(username=username, password_stdin=password_stdin)


@users_app.command("unlock")
def users_unlock(
    username: str = typer.Argument(..., help="用户名"),
    address: str = typer.Option(
        None, "--address", help="只解除从该地址的锁定（并清零该地址的失败计数）；默认解除全部地址"
    ),
) -> None:
    """解除登录失败造成的锁定。"""
    from zhengcetong.cli.users import run_unlock

    run_unlock(username=username, address=address)


@profiles_app.command("import")
def profiles_import(
    files: list[str] = typer.Argument(..., help="JSON（一个对象或列表）、JSON Lines、CSV 或 XLSX 文件"),
    source: str = typer.Option("staff", "--source", help="staff（工作人员导入）/ exchange（数据交换）"),
    actor: str = typer.Option("cli", "--actor", help="记入来源和审计日志的操作人"),
    match: bool = typer.Option(
        True,
        "--match/--no-match",
        help="同时更新新增和修改的画像保存的匹配结果（默认）；--no-match 留给 zct match --all",
    ),
) -> None:
    """按统一社会信用代码新增或更新企业画像；任何一处有误则全部不写入。"""
    from zhengcetong.cli.profiles import run_import

    run_import(files, source=source, actor=actor, match=match)


@profiles_app.command("show")
def profiles_show(
    credit_code: str = typer.Argument(..., help="统一社会信用代码"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（画像、来源、版本）"),
) -> None:
    """查看一家企业的画像，以及每个字段的来源和时间。"""
    from zhengcetong.cli.profiles import run_show

    run_show(credit_code, as_json=as_json)


@profiles_app.command("list")
def profiles_list(
    q: str = typer.Option(None, "--q", help="企业名称或统一社会信用代码中的文字"),
    region: str = typer.Option(None, "--region", help="所在地区"),
    limit: int = typer.Option(100, "--limit", min=1, max=10000, help="显示多少家"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出企业：统一社会信用代码、名称、地区、版本、更新时间。"""
    from zhengcetong.cli.profiles import run_list

    run_list(q=q, region=region, limit=limit, as_json=as_json)


@app.command("calc")
def calc_command(
    item: str = typer.Option(..., "--item", help="事项 ID 或稳定键"),
    profile: str = typer.Option(..., "--profile", help="企业画像 JSON 或 YAML 文件，- 表示从标准输入读取"),
    on: str = typer.Option(None, "--on", help="评估日期（YYYY-MM-DD），默认今天"),
    version: int = typer.Option(None, "--version", help="按该事项的第 N 版规则计算（默认现行版本）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """试算：企业按某一政策事项可获得的待遇，列出理由、计算过程、待补充信息和条款出处。"""
    from zhengcetong.cli.calc import run_calc

    run_calc(item=item, profile=profile, on=on, version=version, as_json=as_json)


@app.command("match")
def match_command(
    profile: str = typer.Option(
        None, "--profile", help="企业画像文档（JSON 或 YAML 文件），- 表示从标准输入读取"
    ),
    match_all: bool = typer.Option(
        False, "--all", help="全部已存企业：写 --jsonl 文件，或刷新保存的匹配结果"
    ),
    on: str = typer.Option(None, "--on", help="评估日期（YYYY-MM-DD），默认今天"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（与 POST /api/v1/match 相同）"),
    jsonl: str = typer.Option(None, "--jsonl", help="与 --all 一起：每家企业一行的结果文件"),
    workers: int = typer.Option(
        None, "--workers", min=1, help="与 --all --jsonl 一起：并行计算的进程数，默认为 CPU 核数（最多 2）"
    ),
) -> None:
    """匹配：企业可以享受的全部公开政策事项（符合、可能符合及待补充的信息），按金额排序。"""
    from zhengcetong.cli.match import run_match

    run_match(profile=profile, match_all=match_all, on=on, as_json=as_json, jsonl=jsonl, workers=workers)


@search_app.command("query")
def search_query(
    q: str = typer.Argument(..., help='检索词（语法同网站：空格为“且”，"…" 为短语，OR，-排除）'),
    kind: list[str] = typer.Option(None, "--kind", help="document / clause / item / interpretation，可重复"),
    limit: int = typer.Option(10, "--limit", min=1, max=100, help="显示多少条"),
    valid: bool = typer.Option(False, "--valid", help="只要今天现行有效的"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（与 GET /api/v1/search 相同）"),
) -> None:
    """检索文件、条款、政策事项和政策解读。"""
    from zhengcetong.cli.search import run_query

    run_query(q, kinds=kind or [], limit=limit, valid=valid, as_json=as_json)


@search_app.command("rebuild")
def search_rebuild(actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人")) -> None:
    """删除并重建全部检索索引（修改了词典或主题模型之后）。"""
    from zhengcetong.cli.search import run_rebuild

    run_rebuild(actor=actor)


@terms_app.callback()
def search_terms(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出库内词语。"""
    if ctx.invoked_subcommand is None:
        from zhengcetong.cli.search import run_terms

        run_terms(as_json=as_json)


@terms_app.command("add")
def search_terms_add(
    words: list[str] = typer.Argument(..., help="要加入分词词典的词语"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人"),
) -> None:
    """添加词语；含这些词的索引条目随即重新分词。"""
    from zhengcetong.cli.search import run_add_terms

    run_add_terms(words, actor=actor)


@notify_app.command("run")
def notify_run(
    limit: int = typer.Option(100, "--limit", min=1, max=100000, help="本次最多发送多少封"),
) -> None:
    """发送到期的通知邮件（可反复运行，不会重复发送；失败的稍后重试）。"""
    from zhengcetong.cli.notify import run_send

    run_send(limit=limit)


@notify_app.command("list")
def notify_list(
    status: str = typer.Option(None, "--status", help="pending / sending / sent / failed / cancelled"),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="显示多少封"),
) -> None:
    """列出最近的通知邮件：收件人、事项、状态、尝试次数、错误。"""
    from zhengcetong.cli.notify import run_list

    run_list(status=status, limit=limit)


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    workers: int = typer.Option(None, help="工作进程数（默认取 ZCT_WORKERS）"),
    reload: bool = typer.Option(False, help="代码变动时自动重启（开发用）"),
) -> None:
    """按当前配置的数据库启动网站。"""
    from zhengcetong.cli.serve import run_serve

    run_serve(host=host, port=port, workers=workers, reload=reload)


@app.command("demo")
def demo_command(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    no_serve: bool = typer.Option(False, "--no-serve", help="只导入示例，不启动网站"),
) -> None:
    """写出示例公报，迁移数据库，导入，然后启动网站。"""
    from zhengcetong.cli.demo import run_demo

    run_demo(host=host, port=port, serve=not no_serve)


def main() -> None:
    """Entry point of the ``zct`` script: user errors exit with code 2 and one clear line."""
    from zhengcetong.cli._common import run_app

    run_app(app)
