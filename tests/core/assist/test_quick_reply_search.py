"""The quick-reply search: Chinese substrings, pinyin initials and syllables,
fuzzy Latin text with typos, ranking; and matching a customer's message."""

from __future__ import annotations

from core.assist.quick_reply_search import match_message, search
from core.protocol.assist import QuickReply, QuickReplyScope

TEAM = QuickReplyScope.TEAM
REPLIES = [
    QuickReply("thanks", TEAM, "谢谢 / 结束语", "感谢您的耐心等待，祝您生活愉快！", shortcut="xx"),
    QuickReply("en-thanks", TEAM, "Thanks and goodbye", "Thanks for your patience!",
               shortcut="thanks"),
    QuickReply("return", TEAM, "退货退款流程", "退货请在“我的订单”中点击“申请售后”。",
               shortcut="th"),
    QuickReply("damaged", TEAM, "商品破损", "非常抱歉商品到货有破损！请拍照发给我。",
               shortcut="ps"),
    QuickReply("refund", TEAM, "Refund status",
               "Your refund of [[amount]] was issued; it takes 3-5 business days.",
               shortcut="refund"),
    QuickReply("order", TEAM, "Ask for the order number",
               "Could you share your order number?", shortcut="order"),
    QuickReply("ship", TEAM, "Shipping times", "Orders placed before 4 pm ship the same day.",
               shortcut="ship"),
]


def ids(query: str) -> list[str]:
    return [h.reply.id for h in search(REPLIES, query)]


def test_chinese_by_any_substring() -> None:
    assert ids("退款") == ["return"]
    assert ids("破损")[0] == "damaged"
    assert ids("生活愉快") == ["thanks"]  # in the text only


def test_pinyin_initials_and_syllables() -> None:
    assert ids("xx")[0] == "thanks"  # 谢谢 (also its shortcut)
    assert ids("thtk")[0] == "return"  # 退货退款
    assert ids("spps")[0] == "damaged"  # 商品破损
    assert ids("tuihuo")[0] == "return"


def test_latin_fuzzy_subsequence_and_typos() -> None:
    assert ids("thk")[0] == "en-thanks"  # t-h-k in "thanks"
    assert ids("refnud") == ["refund"]  # one slip
    assert ids("shiping")[0] == "ship"
    assert ids("ORDER")[0] == "order"  # case does not matter


def test_ranking_shortcut_then_title_then_text() -> None:
    ranked = ids("order")
    assert ranked[0] == "order"  # shortcut and title
    assert "ship" in ranked and ranked.index("ship") > 0  # "Orders" in its text only
    assert ids("refund status") == ["refund"]  # every word must match


def test_empty_query_lists_everything_and_nonsense_nothing() -> None:
    assert len(ids("")) == len(REPLIES)
    assert ids("zzqqy") == []


def test_a_customer_message_finds_the_replies_that_answer_it_with_why() -> None:
    [hit] = match_message(REPLIES, "我想退货，商品有破损，怎么申请售后？", limit=1)
    assert hit.reply.id in ("return", "damaged")
    found = match_message(REPLIES, "我想退货，怎么申请售后？")
    assert found[0].reply.id == "return"
    assert "退货" in found[0].matched and "申请售后" in found[0].matched
    [refund] = match_message(REPLIES, "Where is my refund? It has been a week.")
    assert refund.reply.id == "refund" and refund.matched == ("refund",)
    assert match_message(REPLIES, "好的，谢谢") == []
    assert match_message(REPLIES, "ok") == []
