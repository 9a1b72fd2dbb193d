"""The topic model: documented rule, bit masks, and sensible topics for real kinds of documents."""

from __future__ import annotations

import pytest

from zhengcetong.search.topics import classify, mask_of, model, names, topic_names


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("关于印发促进残疾人就业三年行动实施方案的通知", "残疾人按比例就业…公益性岗位…就业培训", "就业创业"),
        ("关于印发博士后工作管理办法的通知", "博士后科研工作站…博士后人才…生活补贴", "人才"),
        ("关于印发地方储备粮管理办法的通知", "储备粮的收购、储存、轮换…粮食安全", "农业农村"),
        ("关于做好黄河防汛工作的通知", "防汛抢险…汛期…隐患排查", "安全生产"),
        ("2023年政务公开工作要点", "政务公开…政府信息公开…政务服务", "政务服务"),
        ("关于任免工作人员职务的通知", "任命…为…免去…职务", "机构人事"),
    ],
)
def test_documents_get_the_topic_a_reader_would_give_them(title, body, expected):
    assert classify(title, body)[0].name == expected


def test_assignment_follows_the_documented_limits():
    m = model()
    topics = classify("科技创新与人才若干措施", "研发 人才 创新券 贷款 贴息 就业 农业 防汛 政务公开 " * 3)
    assert 1 <= len(topics) <= m.max_topics
    assert all(t.score >= m.threshold for t in topics)
    assert classify("", "") == []


def test_masks_round_trip_and_unknown_names_fail():
    every = topic_names()
    assert names(mask_of(every)) == every and names(0) == []
    with pytest.raises(KeyError):
        mask_of(["不存在的主题"])
