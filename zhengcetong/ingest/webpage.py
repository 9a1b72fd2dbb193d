"""Text copied from a government website: the page furniture around the policy, and what it says.

A page copied from a browser carries breadcrumbs ("首页 > 政务公开 > 政策文件"), a line of
来源/发布时间/浏览次数, the 字号 大 中 小 / 打印 / 关闭 / 分享 controls, a 附件下载 list of files,
扫一扫 lines, 上一篇/下一篇 links and a copyright footer. :func:`strip_residue` drops those lines
(they are never policy text) and keeps what they state: the publishing body (来源) and the publication
date, which a document without a header of its own falls back on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from zhengcetong.chinese import remove_spaces, to_halfwidth_digits
from zhengcetong.ingest.lines import Line
from zhengcetong.ingest.segment import info_pairs

_CRUMB_SEP = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|＞＞)\s*")
_CRUMB_HEAD = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|位置[：:])[：:]?|^(?:首页|主页|网站首页)(?:>|＞|»|›|→)"
)
# "来源：市科技局 发布时间：2023-05-12 浏览次数：1234": label-value pairs, all labels from this list
_META_LABELS = (
    "信息来源",
    "文章来源",
    "来源",
    "作者",
    "发布者",
    "发布时间",
    "发布日期",
    "更新时间",
    "时间",
    "日期",
    "浏览次数",
    "浏览量",
    "阅读次数",
    "阅读量",
    "点击数",
    "点击量",
    "访问量",
    "访问次数",
    "字号",
    "字体",
    "责任编辑",
    "编辑",
    "审核",
    "校对",
    "分享到",
    "分享",
)
_META_PAIR = re.compile(r"[【\[]?(" + "|".join(_META_LABELS) + r")[】\]]?\s*[：:]\s*")
# a line made only of page controls: 【字号 大 中 小】【打印】【关闭】, 分享到 微信 微博, 繁体 无障碍
_CONTROLS = (
    "字号",
    "字体",
    "大",
    "中",
    "小",
    "默认",
    "打印",
    "打印本页",
    "打印此页",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "分享",
    "分享到",
    "收藏",
    "加入收藏",
    "保存",
    "返回",
    "返回顶部",
    "返回列表",
    "纠错",
    "我要纠错",
    "繁体",
    "简体",
    "繁體",
    "无障碍",
    "长者模式",
    "微信",
    "微博",
    "QQ空间",
    "QQ",
    "朋友圈",
    "复制链接",
    "放大",
    "缩小",
    "视力保护色",
    "相关稿件",
    "相关链接",
    "相关文件",
    "相关新闻",
    "相关阅读",
    "解读",
    "图解",
    "下载",
    "文字版",
)
_CONTROL_TOKEN = re.compile(r"[【】\[\]（）()|｜:：·•、,，/\s]+")
_LINKS = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|前一篇|后一篇|热门搜索|相关推荐|推荐内容|推荐阅读|猜你喜欢|延伸阅读"
    r"|【?资料图】?|主题词|关键词|温馨提示|扫码关注|欢迎致电|服务时间|未经允许不得转载|转载请注明|免责声明)"
)
_SCAN = re.compile(r"扫一扫|扫描二维码|二维码分享|手机扫描|用手机扫")
_FOOTER = re.compile(
    r"版权所有|Copyright|©|ICP备|ICP证|网站标识码|公网安备|公安备案|京公网|网站地图|联系我们"
    r"|技术支持[：:]|主办单位[：:].{0,40}承办|建议使用.{0,20}浏览器|分辨率",
    re.IGNORECASE,
)
_DOWNLOADS = re.compile(r"^(?:附件下载|相关附件|相关下载|附件列表|下载附件)[：:]?$")
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|xlsx?|wps|et|zip|rar|ofd|txt|jpg|png)\b", re.IGNORECASE)


# a byline glued to the start of the text: "2015年05月25日16:28来源:网易财经5月21日,…", "绵阳在线发布时间:2022-08-18…"
_BYLINE_PREFIX = re.compile(
    r"^(?:[^\s，。：:]{0,10}?(?:发布时间|发布日期|时间)[：:]\s*)?"
    r"(?P<date>(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日))\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*"
    r"(?:(?:来源|信息来源|文章来源)[：:](?P<source>[^\d，,。：:\s]{2,10}))?\s*"
)


@dataclass
class PageInfo:
    """What a copied web page says about its policy, and how many of its lines were furniture."""

    removed: int = 0
    source: str | None = None  # 来源 / 信息来源: the publishing body
    published: str | None = None  # 发布时间 / 发布日期, as printed


def strip_residue(lines: list[Line]) -> tuple[list[Line], PageInfo]:
    """Drop web page furniture from ``lines``; return the kept lines and what the furniture said.

    Lines of an information block (发文机关：…, 发文字号：…) are kept: the segmenter reads them.
    """
    info = PageInfo()
    kept: list[Line] = []
    in_downloads = False
    block = {key for line in lines[:30] for key, _ in info_pairs(line.text)}
    for line in lines:
        text = remove_spaces(to_halfwidth_digits(line.text))
        if len(block) >= 2 and _is_info_line(line.text):
            kept.append(line)
            continue
        if in_downloads:
            if _FILE_NAME.search(text) or _DOWNLOADS.match(text):
                info.removed += 1
                continue
            in_downloads = False
        if _DOWNLOADS.match(text):
            in_downloads = True
            info.removed += 1
            continue
        if _is_residue(line.text, text, info):
            info.removed += 1
            continue
        line = _without_byline(line, info)
        kept.append(line)
    return kept, info


def _without_byline(line: Line, info: PageInfo) -> Line:
    """The line without a byline glued to its start (its date and source are kept in ``info``)."""
    m = _BYLINE_PREFIX.match(line.text.strip())
    if not m or not (m.group("source") or m.group(0).rstrip() != m.group("date") or ":" in m.group(0)):
        return line
    rest = line.text.strip()[m.end() :]
    if len(rest) < 4:
        return line
    info.published = info.published or m.group("date")
    if m.group("source") and not info.source:
        info.source = m.group("source")
    info.removed += 1
    return replace(line, text=rest)


def _is_info_line(raw: str) -> bool:
    """A line of the information block: only its keys, no byline label such as 浏览次数 among them."""
    pairs = info_pairs(raw)
    return bool(pairs) and not any(
        m.group(1) not in _INFO_LABELS for m in _META_PAIR.finditer(raw) if m.group(1) not in ("日期",)
    )


_INFO_LABELS = ("发布日期",)  # the byline labels an information block uses too


_LEADING_CONTROLS = re.compile(r"^\s*(?:[【\[]([^】\]]{1,8})[】\]]\s*)+")


def _is_residue(raw: str, text: str, info: PageInfo) -> bool:
    if not text:
        return True
    lead = _LEADING_CONTROLS.match(raw)
    if lead and all(t in _CONTROLS for t in re.findall(r"[【\[]([^】\]]{1,8})[】\]]", lead.group(0))):
        raw = raw[lead.end() :]  # "【我要纠错】 责任编辑：…": the controls, then a byline
        text = remove_spaces(to_halfwidth_digits(raw))
        if not text:
            return True
    if _LINKS.match(text) or _SCAN.search(text) or (len(text) <= 120 and _FOOTER.search(text)):
        return True
    if _is_breadcrumb(raw, text):
        return True
    if _is_meta_line(raw, info):
        return True
    return _is_controls(raw)


def _is_breadcrumb(raw: str, text: str) -> bool:
    if _CRUMB_HEAD.match(text):
        return True
    parts = [p for p in _CRUMB_SEP.split(raw.strip()) if p.strip()]
    return (
        len(parts) >= 3
        and all(len(remove_spaces(p)) <= 12 for p in parts)
        and not re.search(r"[。；，]", text)
        and len(_CRUMB_SEP.findall(raw)) >= 2
    )


def _is_meta_line(raw: str, info: PageInfo) -> bool:
    """A line of label-value pairs from the page's byline (来源：… 发布时间：… 浏览次数：…)."""
    stripped = raw.strip()
    pairs = list(_META_PAIR.finditer(stripped))
    if not pairs or pairs[0].start() > 1:
        return False
    # the line must be nothing but pairs: the text between two labels is the first one's value
    values: dict[str, str] = {}
    for k, m in enumerate(pairs):
        end = pairs[k + 1].start() if k + 1 < len(pairs) else len(stripped)
        values[m.group(1)] = stripped[m.end() : end].strip(" 　|｜【】[]")
    if len(pairs) == 1:
        label = pairs[0].group(1)
        value = values[label]
        # one pair alone: only byline labels whose value is short (a sentence "时间：…" is body text)
        if label in ("时间", "日期", "编辑", "审核", "作者") and not re.fullmatch(
            r"[\d\-/.: 年月日]{6,22}|[\u4e00-\u9fff]{2,4}", value
        ):
            return False
        if len(value) > 40 or re.search(r"[。；]", value):
            return False
    source = values.get("信息来源") or values.get("文章来源") or values.get("来源")
    if source and not info.source:
        info.source = remove_spaces(source).strip("，,")
    published = values.get("发布时间") or values.get("发布日期") or values.get("时间") or values.get("日期")
    if published and not info.published:
        info.published = published
    return True


def _is_controls(raw: str) -> bool:
    tokens = [t for t in _CONTROL_TOKEN.split(raw) if t]
    return (
        bool(tokens)
        and all(t in _CONTROLS for t in tokens)
        and len(tokens) >= 1
        and _has_control_word(tokens)
    )


def _has_control_word(tokens: list[str]) -> bool:
    # "大", "中" and "小" alone could be a one-character line of a table; demand a real control word
    return any(len(t) >= 2 for t in tokens)
