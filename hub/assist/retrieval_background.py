"""Messages no knowledge base of a shop answers, in Chinese and English (parallel).

Used to measure, per article, how similar it looks to any message at all: an
article that resembles small talk as much as a real question must not be
suggested for small talk (see ``hub.assist.retrieval``). The two lists say the same
things, so the difference between them also measures the model's preference for
passages in the question's own language.
"""

from __future__ import annotations

BACKGROUND_EN = (
    "hi there",
    "good morning",
    "thank you very much",
    "ok, got it",
    "are you a real person?",
    "what time is it now",
    "will it rain tomorrow",
    "tell me something funny",
    "what is the meaning of life",
    "who is the president of the United States",
    "how do I cook rice",
    "recommend a book to read",
    "which team won the match last night",
    "what is 17 times 23",
    "translate this sentence into French",
    "I am bored",
    "what's your favourite colour",
    "how far is the moon",
    "can you sing a song",
    "my cat is sleeping on the sofa",
    "where can I study computer science",
    "is it healthy to drink coffee every day",
    "how do I learn to swim",
    "what is the best smartphone brand",
    "can you help me with my homework",
    "I want to talk about the news",
    "how many people live in Beijing",
    "what should I name my dog",
    "good night",
    "see you later",
)

BACKGROUND_ZH = (
    "你好呀",
    "早上好",
    "非常感谢",
    "好的，知道了",
    "你是真人吗？",
    "现在几点了",
    "明天会下雨吗",
    "说点好玩的",
    "人生的意义是什么",
    "美国总统是谁",
    "米饭怎么煮",
    "推荐一本书看看",
    "昨晚的比赛哪个队赢了",
    "17 乘以 23 等于多少",
    "把这句话翻译成法语",
    "好无聊啊",
    "你最喜欢什么颜色",
    "月亮离地球有多远",
    "你会唱歌吗",
    "我的猫在沙发上睡觉",
    "哪里可以学计算机",
    "每天喝咖啡健康吗",
    "怎么学游泳",
    "哪个牌子的手机最好",
    "你能帮我写作业吗",
    "我想聊聊新闻",
    "北京有多少人口",
    "我的狗叫什么名字好",
    "晚安",
    "回头见",
)
