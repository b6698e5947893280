"""The demo's quick replies: a retail shop's everyday answers, in Chinese and English.

Team replies for everyone, and a few personal ones of the demo agents. Written
straight into an empty database (a desktop's first snapshot carries them).
"""

from __future__ import annotations

import sqlalchemy as sa

from core.protocol.assist import QuickReplyChannel, QuickReplyScope
from hub.store import schema as t

# (shortcut, category, title, channel, text)
TEAM_REPLIES = [
    ("hi", "问候", "开场问候", "chat",
     "{{customer.name|您好}}，您好！我是客服{{agent.name}}，很高兴为您服务，请问有什么可以帮您？"),
    ("xx", "问候", "谢谢 / 结束语", "any",
     "感谢您的耐心等待，{{customer.name|亲}}！如还有其他问题，随时联系我们，祝您生活愉快！"),
    ("dd", "订单", "查询订单号", "any",
     "为了帮您查询，请提供一下您的订单号（在“我的订单”里可以看到，以 SO 开头）。"),
    ("fh", "物流", "发货时间", "any",
     "您的订单 [[订单号]] 已在仓库打包，预计 [[日期]] 前发出，发货后会短信通知您物流单号。"),
    ("wl", "物流", "物流查询", "chat",
     "您的包裹由 [[快递公司]] 承运，运单号 [[运单号]]，可在“我的订单-查看物流”中实时跟踪。"),
    ("th", "售后", "退货退款流程", "any",
     "退货请在“我的订单”中点击“申请售后”，选择退货原因并上传照片；审核通过后快递员会上门取件，"
     "仓库签收后 1-3 个工作日内原路退款。"),
    ("ps", "售后", "商品破损", "any",
     "非常抱歉商品到货有破损！麻烦您拍一下外包装和商品破损处的照片发给我，我马上为您登记补发或退款。"),
    ("fp", "发票", "开具发票", "any",
     "电子发票会在确认收货后 24 小时内发到您的邮箱。"
     "如需修改抬头或税号，请告诉我新的抬头 [[发票抬头]]。"),
    ("jf", "会员", "积分兑换", "chat",
     "在 App 的“我的-积分商城”里就可以兑换优惠券和礼品，积分有效期为 12 个月。"),
    ("hello", "Greetings", "Greeting", "chat",
     "Hi {{customer.name|there}}, this is {{agent.name}} from the Zuoxi shop. "
     "How can I help you today?"),
    ("thanks", "Greetings", "Thanks and goodbye", "any",
     "Thanks for your patience, {{customer.name|and have a nice day}}! If anything else "
     "comes up, just reply here."),
    ("order", "Orders", "Ask for the order number", "any",
     "Could you share your order number? You'll find it under My orders; it starts with SO."),
    ("refund", "Returns", "Refund status", "any",
     "Your refund of [[amount]] for order [[order number]] was issued on [[date]]. "
     "It usually shows on your card within 3-5 business days."),
    ("return", "Returns", "How to return an item", "any",
     "To return an item, open My orders, choose Request a return, pick a reason and add a "
     "photo. A courier collects the parcel, and we refund you within 3 business days of "
     "receiving it."),
    ("ship", "Delivery", "Shipping times", "any",
     "Orders placed before 4 pm ship the same day. Standard delivery takes 2-4 days; "
     "express arrives the next business day."),
    ("damaged", "Returns", "Damaged item", "any",
     "I'm sorry your item arrived damaged! Please send a photo of the box and the damage, "
     "and I'll arrange a replacement or a refund right away."),
    ("sig", "Email", "Email sign-off", "email",
     "Kind regards,\n{{agent.name}}\nCustomer care, Zuoxi shop"),
]

# (username, shortcut, category, title, channel, text)
PERSONAL_REPLIES = [
    ("lina", "ddy", "我的", "稍等查询", "chat", "好的，我这边帮您查询一下，请稍等一两分钟哦～"),
    ("lina", "vip", "我的", "VIP 专属回复", "any",
     "{{customer.name|您好}}，作为我们的{{customer.member_level|尊贵}}会员，您这次可以享受免运费和优先售后处理。"),
    ("alex", "brb", "Mine", "Checking now", "chat",
     "Let me look into that for you — it'll take a minute or two."),
]


def seed_quick_replies(conn: sa.Connection, agents: dict[str, str], now: int) -> None:
    """Team and personal demo replies (``agents``: ids by username)."""
    rows = [
        {"id": f"qr_team_{i:02d}", "scope": QuickReplyScope.TEAM.value, "owner_id": None,
         "shortcut": shortcut, "category": category, "title": title,
         "channel": QuickReplyChannel(channel).value, "text": text, "updated_at": now}
        for i, (shortcut, category, title, channel, text) in enumerate(TEAM_REPLIES)
    ]
    rows += [
        {"id": f"qr_{username}_{i:02d}", "scope": QuickReplyScope.PERSONAL.value,
         "owner_id": agents[username], "shortcut": shortcut, "category": category,
         "title": title, "channel": QuickReplyChannel(channel).value, "text": text,
         "updated_at": now}
        for i, (username, shortcut, category, title, channel, text) in enumerate(PERSONAL_REPLIES)
        if username in agents
    ]
    conn.execute(t.quick_replies.insert(), rows)
