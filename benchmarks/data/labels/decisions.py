"""Hand decisions applied by build.py, each with its reason (data, not code).

DROP: items removed although they pass the automatic checks.
FIX: label changes to staging items, so every label follows the definitions in README.md.
SAME_STORY: items that report one event or one document in different words (not
reprints, so they stay separate items); build.py keeps each tuple in one split.
"""

DROP = {
    "m-0017": "English text (Zhejiang government's English portal); the set is Chinese-language news",
}

FIX = {
    "m-0007": ({"category": "application"},
               "no named speaker in headline or lead (the quote is unattributed): not voice; "
               "the blockchain fiscal e-bill system in use is the subject -> application"),
    "l-0009": ({"level": "provincial", "province": "江苏", "city": None},
               "the actors are the high courts of four provinces (上海、浙江、江苏、安徽), not a city; "
               "province = the first one the headline names"),
    # Central actors whose headline names the single place the action concerns get that place
    # (the same rule newsmon's labeller documents in docs/labels.md).
    "l-0018": ({"province": "广东", "city": "广州"}, "central approval of 广州's zone: place = 广州"),
    "l-0020": ({"province": "贵州"}, "central party delegation's survey in 贵州: place = 贵州"),
    "d-0080": ({"province": "河南", "city": "郑州"}, "工信部 reply supporting 郑州's zone: place = 郑州"),
    "m-0020": ({"province": "北京", "city": "北京"}, "national centre opened in 北京中关村: place = 北京"),
    "c-0006": ({"province": "上海", "city": "上海"}, "national e-CNY centre opened in 上海: place = 上海"),
    "x-0005": ({"province": "上海", "city": "上海"}, "national fund set up in 上海: place = 上海"),
    "x-0015": ({"province": "上海", "city": "上海"}, "central plan for 上海's financial centre: place = 上海"),
    "a-0019": ({"province": "贵州", "city": "贵阳"}, "central pilot list naming 贵州省、贵阳市: place = 贵州 / 贵阳"),
    "c-0022": ({"province": "香港"}, "central halt of 香港 RWA business: place = 香港"),
    "a-0047": ({"province": "香港"}, "PBoC institute's MoU with 香港 banks, signed in 香港: place = 香港"),
    "a-0037": ({"province": "海南"}, "中共中央、国务院 plan for the 海南 free trade port: place = 海南"),
}

SAME_STORY = [
    (("a-0042", "x-0003", "n-0015"), "习近平 at the Politburo study session on blockchain, 2019-10-24"),
    (("a-0039", "x-0002"), "five ministries' risk notice on 'virtual currency' fundraising, 2018-08-24"),
    (("a-0049", "x-0004"), "最高人民法院 online litigation rules, 2021-06-17"),
    (("d-0029", "a-0021"), "seven ministries' ICO notice, 2017-09-04"),
    (("d-0016", "d-0020", "a-0026"), "工信部 / 中央网信办 guidance on blockchain, 2021-06"),
    (("d-0051", "a-0024"), "blockchain engineer skill standards, 2021-02-22"),
    (("d-0007", "a-0032"), "广州黄埔区 blockchain measures, 2019-10-28"),
    (("a-0012", "n-0013"), "海南 blockchain pilot zone set up, 2018-10"),
    (("l-0018", "a-0035", "l-0011", "n-0017"), "广州 blockchain pilot demonstration zone, 2020"),
    (("d-0074", "n-0018"), "国家电网 blockchain laboratory, 2020-07"),
    (("d-0076", "n-0019"), "北京 blockchain + government services, 2020-07"),
    (("d-0066", "n-0020"), "河北 blockchain action plan, 2020-07/08"),
    (("x-0013", "n-0005"), "上海 opinions on the global asset-management centre, 2026-06-02"),
    (("x-0009", "n-0004"), "上海 opinions on service industries, 2026-05-27"),
    (("x-0022", "n-0003"), "上海 '数字上海' 15th five-year plan, 2026-08-19"),
    (("d-0015", "a-0030"), "巩富文's blockchain proposals at the 2020 two sessions"),
    (("c-0009", "a-0019", "d-0019"), "national blockchain innovation pilots: call, shortlist, list (2021-10 to 2022-01)"),
    (("c-0027", "x-0025"), "blockchain standards-system guide: draft (2023-03) and final (2023-12)"),
    (("a-0046", "a-0048"), "香港 HKMA trade-finance blockchain platform, 2018"),
    (("a-0001", "c-0024"), "first batch of blockchain information-service filings, 2019-03-30"),
    # labels_extra (labelsmore helper)
    (("e-0003", "e-0004"), "许正宇 on licensed stablecoins, 2026-06-11 (财联社 and 东方财富 flashes)"),
    (("e-0013", "d-0004"), "江苏省区块链产业发展行动计划, 2020-10/12"),
    (("e-0038", "m-0003"), "杭州互联网法院 judicial blockchain goes live, 2018-09-18"),
]
