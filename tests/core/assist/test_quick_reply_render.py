"""Filling in a quick reply: variables with fallbacks, placeholders reported."""

from __future__ import annotations

from core.assist.quick_reply_render import RenderContext, render, unfilled

CONTEXT = RenderContext(customer_name="王芳", agent_name="李娜", conversation_id="conv_42",
                        customer_tier="vip", attributes={"member_level": "gold",
                                                         "lifetime_value": 1280.0})


def test_variables_are_filled_from_the_conversation() -> None:
    out = render("{{customer.name}}您好，我是{{agent.name}}（{{conversation.id}}）。"
                 "{{customer.member_level}} {{ customer.tier }} {{customer.lifetime_value}}",
                 CONTEXT)
    assert out.text == "王芳您好，我是李娜（conv_42）。gold vip 1280"
    assert out.placeholders == ()


def test_a_fallback_stands_in_for_a_missing_value() -> None:
    out = render("{{customer.name|您好}}！{{customer.city|}}", RenderContext(agent_name="李娜"))
    assert out.text == "您好！[[customer.city]]"
    [left] = out.placeholders
    assert left.label == "customer.city"


def test_placeholders_are_reported_where_they_are() -> None:
    text = "Your refund of [[amount]] for order [[order number]] was issued."
    out = render(text, CONTEXT)
    assert [p.label for p in out.placeholders] == ["amount", "order number"]
    first = out.placeholders[0]
    assert out.text[first.start:first.end] == "[[amount]]"
    filled = out.text.replace("[[amount]]", "¥99").replace("[[order number]]", "SO-1")
    assert unfilled(filled) == ()


def test_a_value_cannot_smuggle_in_a_placeholder() -> None:
    out = render("Hi {{customer.name}}", RenderContext(customer_name="[[x]]"))
    assert out.placeholders == ()
