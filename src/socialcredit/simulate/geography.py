"""The demo city: Weihai, Shandong (GB/T 2260 371000) and its four county-level districts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str  # full name used in body names ("威海市环翠区", "荣成市")
    short: str  # used in enterprise names ("环翠", "荣成")
    abbr: str  # document-number abbreviation ("威环", "荣")
    court: str  # court code in case numbers (鲁 + this)
    share: float  # share of the city's residents
    subdistricts: tuple[str, ...]


CITY = Area("371000", "威海市", "威海", "威", "10", 0.0, ())

DISTRICTS: tuple[Area, ...] = (
    Area(
        "371002",
        "威海市环翠区",
        "环翠",
        "威环",
        "1002",
        0.36,
        (
            "环翠楼街道",
            "鲸园街道",
            "竹岛街道",
            "孙家疃街道",
            "田和街道",
            "怡园街道",
            "皇冠街道",
            "张村镇",
            "羊亭镇",
            "温泉镇",
            "桥头镇",
        ),
    ),
    Area(
        "371003",
        "威海市文登区",
        "文登",
        "文",
        "1003",
        0.21,
        (
            "龙山街道",
            "天福街道",
            "环山街道",
            "文登营镇",
            "大水泊镇",
            "张家产镇",
            "高村镇",
            "泽库镇",
            "侯家镇",
            "宋村镇",
            "泽头镇",
            "小观镇",
            "葛家镇",
            "米山镇",
            "界石镇",
        ),
    ),
    Area(
        "371082",
        "荣成市",
        "荣成",
        "荣",
        "1082",
        0.25,
        (
            "宁津街道",
            "港湾街道",
            "桃园街道",
            "王连街道",
            "东山街道",
            "斥山街道",
            "崖头街道",
            "城西街道",
            "寻山街道",
            "崂山街道",
            "俚岛镇",
            "成山镇",
            "埠柳镇",
            "港西镇",
            "夏庄镇",
            "荫子镇",
            "滕家镇",
            "大疃镇",
            "上庄镇",
            "虎山镇",
            "人和镇",
        ),
    ),
    Area(
        "371083",
        "乳山市",
        "乳山",
        "乳",
        "1083",
        0.18,
        (
            "城区街道",
            "夏村镇",
            "乳山口镇",
            "海阳所镇",
            "白沙滩镇",
            "大孤山镇",
            "南黄镇",
            "冯家镇",
            "下初镇",
            "午极镇",
            "育黎镇",
            "崖子镇",
            "诸往镇",
            "乳山寨镇",
            "徐家镇",
        ),
    ),
)

# Area index 0 is the city (its municipal bodies), 1..4 the districts.
AREAS: tuple[Area, ...] = (CITY, *DISTRICTS)
DISTRICT_SHARES = tuple(d.share / sum(x.share for x in DISTRICTS) for d in DISTRICTS)

PROVINCE_ABBR = "鲁"
SHANDONG = 37
