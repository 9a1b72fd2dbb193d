"""Push's pure rules: what a subscription may be, when an item meets it, unsubscribe tokens, backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from zhengcetong.errors import InputError
from zhengcetong.library import PolicyItem
from zhengcetong.notify import Subscription, outbox
from zhengcetong.notify import service as notify_service

SECRET = "s" * 40


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("topic", "天气", "没有主题“天气”"),
        ("keyword", "   ", "请填写要订阅的关键词"),
        ("department", "局" * 101, "部门太长"),
        ("region", "青禾", "订阅类型“region”无效"),
    ],
)
def test_a_subscription_that_cannot_be_stored_says_why(kind, value, message):
    with pytest.raises(InputError, match=message):
        notify_service.check_subscription(kind, value)


def test_subscription_values_are_tidied():
    assert notify_service.check_subscription("topic", " 科技创新 ") == "科技创新"
    assert notify_service.check_subscription("keyword", "首台 套") == "首台 套"


def test_an_item_meets_a_subscription_by_topic_department_or_keyword():
    item = PolicyItem(
        name="设备更新补贴",
        condition="上一年度营业收入2000万元以上",
        quote="按设备购置金额10%",
        departments=["市财政局"],
    )
    holds = notify_service.subscription_holds
    assert holds(Subscription(kind="keyword", value="营业收入"), item, [])  # in the condition
    assert holds(Subscription(kind="keyword", value="购置"), item, [])  # in the quote
    assert not holds(Subscription(kind="keyword", value="人才"), item, [])
    assert holds(Subscription(kind="department", value="市财政局"), item, [])
    assert not holds(Subscription(kind="department", value="财政局"), item, [])  # whole names only
    assert holds(Subscription(kind="topic", value="产业发展"), item, ["产业发展", "财政金融"])
    assert not holds(Subscription(kind="topic", value="人才"), item, ["产业发展"])


def test_unsubscribe_tokens_cannot_be_forged_or_moved():
    token = notify_service.unsubscribe_token(SECRET, enterprise_id=3, email="a@example.com")
    assert notify_service.read_unsubscribe_token(SECRET, token) == (3, "a@example.com")
    assert notify_service.read_unsubscribe_token("t" * 40, token) is None
    assert notify_service.read_unsubscribe_token(SECRET, token[:-2]) is None
    assert notify_service.read_unsubscribe_token(SECRET, "") is None
    other = notify_service.unsubscribe_token(SECRET, enterprise_id=4, email="a@example.com")
    assert other != token


def test_backoff_doubles_and_is_capped():
    assert [outbox.backoff(n, 30) for n in (1, 2, 3, 4)] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert outbox.backoff(100, 30) == timedelta(days=1)
