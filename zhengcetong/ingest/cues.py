"""How a benefit shows in Chinese policy text: sentences, comma segments, and the cue of each segment.

A segment is a *grant* when a grant verb (给予, 予以, 享受, 进行, 发放, 可获得, 奖励 + amount, 全额承担,
可申领) carries money (an amount, a rate, 补贴/奖励/资助/… or 资金), a *relief* (减免, 免征, 即征即退,
不再增收, 免费提供…), or a *right* (不受…限制, 豁免, 可不, 无需, 放宽, 可提高至, 可简化, 可自主, 绿色通道,
容缺受理, 落户, 子女入学, 直接申报职称, 纳入…卡/定点…). Negations (不得享受), duties of government (要建立…
绿色通道) and honours (通报表扬) are not cues.

Every pattern here is bounded or anchored on a literal, so finding cues is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhengcetong.ingest.numbers import find_money, find_rates

SEG_CHAR = r"[^，,。；;：:\n]"  # one character inside a segment
MONEY_NOUN = r"(?:补贴|补助|奖励|奖补|资助|经费|贴息|奖金|津贴|补偿|资金支持|扶持资金)"
GRANT_RE = re.compile(
    r"(?:分别|每项分别|均|一次性|可)?(?:给予|予以|享受|进行|发放|可(?:以)?获得|可获|可(?:以)?领取)"
    r"|提供(?!者|商|方|单位|人)(?=[^，,。；;：:\n]{0,6}[0-9０-９一二三四五六七八九十])"
    r"|可(?:以)?(?:按|按照|依)?"
    + r"[^，,。；;：:\n]{0,16}?申请(?=[^，,。；;：:\n]{0,16}(?:补贴|补助|奖励|资助|贴息|奖补))"
)
# "奖励200万元", "一次性奖励三十万元", "分别奖励企业经营者20万元" (not a budget: "奖补资金2000万元")
VERB_AMOUNT_RE = re.compile(
    r"(?:分别|一次性)?(?:奖励|补贴|补助|资助|奖补)(?:一次性)?"
    r"(?:(?!资金|总额|规模|预算|经费|比例|标准|不超过|最高|期限|限额|上限)[^，,。；;、的\d０-９零〇一二两三四五六七八九十]){0,8}"
    # an amount follows, not a duration ("连续补贴5年")
    r"(?=[0-9０-９零〇一二两三四五六七八九十][0-9０-９.． 零〇一二两三四五六七八九十百千]{0,10}(?:亿|万|千)?(?:元|[%％‰]|万|亿))"
)
# a share or standard raised to a new value ("返还比例由30%提至50%"), or stated as the grant itself
# ("补贴为当地最低工资标准的80%", "奖励标准为每人2000元")
STATED_GRANT_RE = re.compile(
    r"(?:补贴|补助|奖励|返还|贴息|资助|奖补)(?:比例|标准)(?:由|从)(?=[^，,。；;\n]{0,16}?"
    r"(?:提高|提升|提|上调|调高|增加)(?:至|到))"
    r"|(?<![和及、])(?:补贴|补助|奖励|资助|奖补)(?:标准|金额|额度)?(?:原则上|一般|暂定)?(?:为|是)(?=[^，,。；;\n]{0,24}(?:[%％‰]|元))"
    r"|(?<=[%％])的?(?:补贴|补助|奖励|资助|奖补)(?!资金|政策|标准|比例)"  # "按机具价格的30%补贴"
)
FULL_RE = re.compile(r"全额(?:承担|补贴|贴息|资助|补助)|(?:给予|予以)(?:全额|等额)")
VOUCHER_RE = re.compile(r"可(?:以)?申领")
LOAN_RE = re.compile(r"^[^，。；]{0,4}(?:贷款|授信|融资|担保)")
GENERAL_POLICY_RE = re.compile(r"(?:政策|待遇|办法)(?:和|、|$)|政策[^，。；]{0,4}$")
RELIEF_RE = re.compile(
    r"减免|免征|免收|免缴|免交|(?:依次)?扣减|即征即退|[一二三四五两]免[一二三四五两]减半|减半征收|不再增收|不再收取|零收费"
    r"|(?:可以|可)?免费(?:查阅|提供|使用|开放|办理|获得|入驻)|出让底价" + SEG_CHAR + r"{0,6}按"
    r"|加计扣除|税前(?:加计)?(?:扣除|摊销)|[%％](?:的比例)?(?:在税前)?扣除|免除"
    + SEG_CHAR
    + r"{0,8}(?:租金|费用|税)"
    r"|(?:可)?(?<!已)退(?:还)?(?:增值税|消费税|所得税|税款)"
)
RIGHT_RE = re.compile(
    r"不受" + SEG_CHAR + r"{0,16}限制|豁免|免于|免予|可不(?!得|能|应|宜|超过|低于|少于)|无需|不再需要"
    r"|放宽" + SEG_CHAR + r"{0,20}(?:条件|标准|限制|要求|门槛)|(?:可|适当)(?:暂时|适当)?放宽|放宽(?:至|到)"
    r"|可(?:适当)?(?:提高|提升|放大)(?:至|到)|可简化|简化" + SEG_CHAR + r"{0,8}程序|可自主|自主采取"
    r"|绿色通道|容缺受理|容缺办理|零门槛|帮办代办|代办服务|免费(?:培训|指导|咨询)"
    r"|可(?:在|以)?" + SEG_CHAR + r"{0,12}落(?:常住)?户|办理落户|落户手续"
    r"|子女" + SEG_CHAR + r"{0,20}(?:入学|就读|入园|入托)|办理" + SEG_CHAR + r"{0,12}入学手续"
    r"|直接申报" + SEG_CHAR + r"{0,12}职称|纳入" + SEG_CHAR + r"{0,24}(?:卡" + SEG_CHAR + r"{0,6}范围|定点)"
)
QUALIFICATION_RE = re.compile(
    r"(?:申请|申报)[^。；;\n]{0,60}?(?:应|须|需|必须)(?:当)?(?:具备|符合|满足)(?:以下|下列|如下)(?:基本)?条件"
)
SELECTION_RE = re.compile(r"每(?:[一两二三四五]|\d)?年(?:组织)?评选(?:认定)?一次")
PREAMBLE_RE = re.compile(r"^(?:落实|执行|严格执行|贯彻|争取|积极争取|按照[^，]{0,30}(?:要求|规划|部署))")
NOT_ITEM_START_RE = re.compile(r"^(?:落实|执行|严格执行|贯彻|争取|积极争取|鼓励|引导|推动|加大)")
MARKER_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d)"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*"
)
DEPARTMENTS_RE = re.compile(
    r"[（(](?:责任单位|牵头单位|责任部门|牵头部门)[：:]([^（）()]{0,300}(?:[（(][^（）()]{0,60}[）)][^（）()]{0,300}){0,12})[）)]"
)
_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_WIDE_RE = re.compile("[０-９．％]")


def to_ascii_digits(text: str) -> str:
    """Full-width digits, point and percent sign to ASCII (same length: offsets hold; commas stay)."""
    return text.translate(_DIGITS) if _WIDE_RE.search(text) else text


@dataclass
class Segment:
    """A comma-delimited piece of a sentence; offsets are in the clause text."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: cut after 。；;！？ and at line breaks."""
    spans, start = [], 0
    for m in re.finditer(r"[。；;！？!?]|\n", text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def split_segments(text: str, start: int, end: int) -> list[Segment]:
    """The comma segments of ``text[start:end]``, without splitting inside brackets."""
    out, depth, seg_start = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,：:":
            out.append(Segment(seg_start, i, text[seg_start:i]))
            seg_start = i + 1
    tail = text[seg_start:end].rstrip("。；;！？!?\n")
    out.append(Segment(seg_start, seg_start + len(tail), tail))
    return [s for s in out if s.text.strip()]


def is_heading(sentence: str) -> bool:
    """ "（四）税收减免政策。": a short numbered title, not a provision."""
    marker = MARKER_RE.match(sentence)
    if not marker:
        return False
    rest = sentence[marker.end() :].strip("。；; \n")
    return len(rest) <= 16 and not re.search(r"[，,对的]", rest)


@dataclass
class Cue:
    """Where in a segment a benefit starts, and what kind it is."""

    kind: str  # grant | relief | right | qualification
    at: int  # offset of the cue in the segment text
    end: int
    family: str = ""


NEGATION_RE = re.compile(r"不得|不再|不予|不能|不可|停止|取消|暂停|收回|无法|无权|不$|未$|已$")
DUTY_RE = re.compile(
    r"(?:要|应当|应|须|负责)" + SEG_CHAR + r"{0,6}(?:建立|完善|健全|制定|加强|推进|做好|简化|优化|提高|规范)"
)


def grant_cue(text: str, following: str = "") -> Cue | None:
    """A money grant in one segment (``following``: the next segment, for its cap), or None."""
    for m in GRANT_RE.finditer(text):
        if _in_note(text, m.start()):
            continue  # "（含享受最低生活保障人员）": a note inside brackets grants nothing
        after = text[m.end() : m.end() + 40]  # bounded: linear however many verbs a segment holds
        if re.match(r"(?:[^，。；]{0,8})(?:表扬|表彰|通报|荣誉)", after):
            continue  # an honour, not money
        money = bool(re.search(MONEY_NOUN, after)) or bool(
            re.search(
                r"[0-9０-９][0-9０-９.． ]*(?:亿|万|千)?元|[零〇一二两三四五六七八九十百千]+(?:万|亿)?元|全额|[%％‰]|百分之",
                after,
            )
        )
        if not money and re.match(r"(?:适当|必要的|一定的?)?(?:支持|扶持)", after):
            before = text[max(0, m.start() - 60) : m.start()]
            money = (
                "资金" in text[max(0, m.start() - 40) : m.end() + 40]
                or bool(re.search(r"[%％‰]|百分之|元", before) and re.search(r"按", before))
                or bool(find_money(following) and re.search(r"最高|不超过", following))
            )
        if not money:
            continue
        if m.group(0).endswith("享受") and GENERAL_POLICY_RE.search(after) and not re.search(r"\d", after):
            continue
        if re.match(r"(?:适当|一定)?(?:的)?(?:政策|待遇|倾斜)", after):
            continue
        if NEGATION_RE.search(text[max(0, m.start() - 4) : m.start()]):
            continue  # "不得享受本办法规定的奖励"
        early = VERB_AMOUNT_RE.search(text, 0, m.start())
        if early and not NEGATION_RE.search(text[max(0, early.start() - 4) : early.start()]):
            return Cue("grant", early.start(), early.end())  # "每亩补助1500元（…分三次发放…）"
        return Cue("grant", m.start(), m.end())
    m = VERB_AMOUNT_RE.search(text) or FULL_RE.search(text) or STATED_GRANT_RE.search(text)
    if m and not NEGATION_RE.search(text[max(0, m.start() - 4) : m.start()]):
        return Cue("grant", m.start(), m.end())
    m = VOUCHER_RE.search(text)
    if m:
        return Cue("grant", m.start(), m.end(), "voucher")
    return None


def find_cue(segment: str, following: str = "") -> Cue | None:
    """The benefit cue of a segment: relief and rights before grants of money without an amount."""
    relief = RELIEF_RE.search(segment)
    if relief and (
        (
            "符合" in segment[: relief.start()]
            and (segment.rstrip().endswith("的") or _POLICY_AFTER_RE.match(segment, relief.end()))
        )
        or re.match(
            r"期限|比例|标准|额度|政策的|税?(?:批件|证明|材料|手续|申请表|备案表)", segment[relief.end() :]
        )
    ):
        relief = None  # "符合…减免政策的项目" is a condition, "减免期限不超过3年" a limit
    right = RIGHT_RE.search(segment)
    if right and DUTY_RE.search(segment[: right.end()]):
        right = None  # "各地要建立企业服务绿色通道工作机制": a duty of government
    grant = grant_cue(segment, following)
    if grant and segment.rstrip().endswith("的"):
        grant = None  # "已享受省级奖补的": a condition
    if grant and grant.family != "voucher":
        if not relief and not right:
            return grant
        after = segment[grant.end :]
        has_amount = bool(find_money(after) or find_rates(after))
        if relief and not find_money(after) and relief.start() >= grant.at:  # "享受50%的房租减免"
            return Cue("relief", relief.start(), relief.end())
        if right and not has_amount and not re.search(MONEY_NOUN, after):
            return Cue("right", right.start(), right.end(), family_of(right.group(0)))
        return grant
    if relief:
        return Cue("relief", relief.start(), relief.end())
    if right:
        return Cue("right", right.start(), right.end(), family_of(right.group(0)))
    return grant


_POLICY_AFTER_RE = re.compile(SEG_CHAR + r"{0,12}?(?:政策|条件|规定|范围)")


def _in_note(text: str, at: int) -> bool:
    """Whether ``at`` lies inside a bracketed note, looking back at most 60 characters."""
    before = text[max(0, at - 60) : at]
    return before.rfind("（") > before.rfind("）") or before.rfind("(") > before.rfind(")")


def family_of(cue: str) -> str:
    if "落" in cue and "户" in cue:
        return "settlement"
    return cue[:2]


def last_match(matches):
    """The last of an iterator of matches, or None."""
    found = None
    for found in matches:  # noqa: B007
        pass
    return found


def strip_marker(text: str) -> str:
    return MARKER_RE.sub("", text, count=1)


def strip_quotes(text: str) -> str:
    return re.sub(r"[“”\"「」]", "", text)


BENEFIT_START_RE = re.compile(
    r"^(?:并|且|同时|另)?(?:可|可以)?(?:按规定|按照规定|按有关规定)?"
    r"(?:享受|实行|实施|开设|开辟|畅通|给予|予以|提供|办理|开通|落实|用足用好|执行)"
)
PERIOD_TAIL_RE = re.compile(
    r"(?:"
    + SEG_CHAR
    + r"{0,3}内)?(?:每人每月|每人每年|每人|每户每年|每年|每月|每[辆台套个项家户处座]|每平方米|每立方米|每千瓦|每吨|每公里)"
    r"(?:分别|最高|最多|不超过)?$"
)
GRANTOR_TAIL_RE = re.compile(
    r"(?:由)?(?:市|县|区|省|市、县两|市县)?级?财政(?:一次性)?$|"
    + SEG_CHAR
    + r"{0,12}(?:单位|部门|机构)(?:应当|应|要|可)$"
)
ADVERBS_RE = re.compile(
    r"^(?:并|且|同时|另|另行|再|也|均|可|可以|适当|视情|按规定|按照规定|分别|一次性|实行)+$"
)
INNER_VERB_RE = re.compile(r"(?:并|同时)?(?:可|可以)?(?:给予|予以|享受|提供(?!者|商|方|单位))")


def benefit_start(segment: str, at: int, kind: str = "grant") -> int:
    """Move a cue's start back over what belongs to the benefit: "并可享受…", "每人每月", "“"."""
    prefix = segment[:at]
    core = strip_marker(prefix)
    if core and (BENEFIT_START_RE.match(core) or ADVERBS_RE.match(core)):
        return len(prefix) - len(core)
    verb = last_match(v for v in INNER_VERB_RE.finditer(prefix) if not _in_note(prefix, v.start()))
    if verb is not None and verb.start() > 0:
        return verb.start()
    period = PERIOD_TAIL_RE.search(prefix)
    if period:
        return period.start()
    formula = last_match(
        re.finditer(
            r"按(?:照)?(?=" + SEG_CHAR + r"{0,12}(?:\d|[零〇一二两三四五六七八九十]+(?:万|亿)?元|百分之))",
            prefix,
        )
    )
    if kind == "relief" and formula is not None and formula.start() > 0:
        return formula.start()  # "三年内按每户每年14400元依次扣减增值税"

    while at > 0 and segment[at - 1] in '“《"「':
        at -= 1
    return at


def condition_prefix(prefix: str) -> str:
    """The part of a segment's text before its benefit that is condition, not grantor."""
    return GRANTOR_TAIL_RE.sub("", prefix)
