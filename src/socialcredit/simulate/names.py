"""Chinese names for persons, enterprises and public bodies, assembled column-wise."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

# Common surnames on the Jiaodong peninsula, with rough relative frequencies.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 9.0), ("张", 7.0), ("刘", 6.5), ("李", 6.0), ("于", 5.0), ("孙", 4.5), ("林", 3.5),
    ("丛", 2.5), ("毕", 2.5), ("曲", 2.5), ("鞠", 2.0), ("宋", 2.5), ("邹", 2.0), ("董", 2.0),
    ("姜", 3.0), ("高", 2.5), ("谷", 1.5), ("梁", 1.5), ("汤", 1.5), ("孔", 1.0), ("陈", 3.0),
    ("杨", 2.5), ("赵", 2.5), ("吕", 1.5), ("邵", 1.5), ("田", 1.5), ("周", 2.0), ("徐", 2.0),
    ("郭", 1.5), ("马", 1.5), ("戚", 1.0), ("初", 1.5), ("夏", 1.0), ("隋", 1.0), ("慕", 0.8),
    ("车", 0.8), ("苗", 0.8), ("岳", 0.8), ("殷", 0.8), ("蔡", 0.8),
)

GIVEN_MALE = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宁", "亮", "建", "国", "海", "峰", "成", "志", "春", "东", "文", "俊",
    "凯", "浩", "宇", "昊", "晨", "博", "旭", "德", "福", "庆", "祥", "永", "玉", "振", "忠",
)
GIVEN_FEMALE = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "红", "梅",
    "琳", "倩", "颖", "晶", "丹", "萍", "洁", "莉", "佳", "欣", "怡", "璐", "媛", "薇", "悦",
    "美", "秀", "凤", "春", "玉", "新", "文", "晓", "丽", "华", "月", "云", "彤", "琪", "蕾",
)

TRADE_CHARS = (
    "海", "鑫", "华", "瑞", "泰", "丰", "源", "达", "盛", "宏", "兴", "安", "信", "德", "祥",
    "福", "金", "恒", "通", "远", "东", "明", "凯", "康", "润", "宇", "博", "宁", "和", "嘉",
    "正", "诚", "利", "新", "龙", "威", "荣", "顺", "升", "佳", "联", "发", "昌", "洋", "蓝",
)

SECTORS: tuple[str, ...] = (
    "food", "drugs", "mining", "chemicals", "p2p_lending", "logistics", "e_commerce",
    "construction", "manufacturing", "retail", "other",
)
# Weihai: food processing (fisheries) and manufacturing weigh heavily; mining and P2P are rare.
SECTOR_WEIGHTS = (0.13, 0.02, 0.008, 0.03, 0.006, 0.08, 0.08, 0.12, 0.19, 0.21, 0.126)
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "food": ("食品", "水产食品", "海洋食品", "海产品加工", "调味食品"),
    "drugs": ("医药", "药业", "生物医药", "医疗器械"),
    "mining": ("矿业", "石材开采", "黄金矿业"),
    "chemicals": ("化工", "精细化工", "涂料"),
    "p2p_lending": ("网络借贷信息中介", "互联网金融信息服务"),
    "logistics": ("物流", "货运", "供应链管理", "国际货运代理"),
    "e_commerce": ("电子商务", "网络科技", "跨境电子商务"),
    "construction": ("建筑工程", "建设工程", "建筑安装", "市政工程"),
    "manufacturing": ("机械", "橡胶轮胎", "渔具", "电子", "船舶配件", "纺织"),
    "retail": ("商贸", "超市", "百货", "贸易"),
    "other": ("科技", "文化传媒", "咨询服务", "旅游开发", "物业管理"),
}
COMPANY_FORMS = (("有限公司", 0.82), ("有限责任公司", 0.12), ("股份有限公司", 0.06))


def _strings(values: tuple[str, ...] | list[str]) -> pa.StringArray:
    array = pa.array(list(values), pa.string())
    assert isinstance(array, pa.StringArray)
    return array


def _weights(pairs: tuple[tuple[str, float], ...]) -> npt.NDArray[np.float64]:
    w = np.array([p[1] for p in pairs], dtype=np.float64)
    return w / w.sum()


def person_names(rng: np.random.Generator, male: npt.NDArray[np.bool_]) -> pa.Array:
    n = len(male)
    surname = rng.choice(len(SURNAMES), n, p=_weights(SURNAMES))
    pool = _strings([*GIVEN_MALE, *GIVEN_FEMALE])
    shift = np.where(male, 0, len(GIVEN_MALE))
    first = rng.integers(0, len(GIVEN_MALE), n) + shift
    second = np.where(rng.random(n) < 0.72, rng.integers(0, len(GIVEN_MALE), n) + shift, -1)
    second_text = pc.if_else(
        pa.array(second >= 0), pool.take(pa.array(np.maximum(second, 0))), pa.scalar("")
    )
    return pc.binary_join_element_wise(
        _strings([s for s, _ in SURNAMES]).take(pa.array(surname)),
        pool.take(pa.array(first)),
        second_text,
        "",
    )


def enterprise_names(
    rng: np.random.Generator,
    place: pa.Array,
    sector: npt.NDArray[np.int64],
) -> pa.Array:
    """``<place><two trade characters><industry word><company form>``, e.g. 荣成市海润食品有限公司."""
    n = len(sector)
    trade = _strings(list(TRADE_CHARS))
    words: list[str] = []
    starts: list[int] = []
    for name in SECTORS:
        starts.append(len(words))
        words.extend(SECTOR_WORDS[name])
    counts = np.array([len(SECTOR_WORDS[s]) for s in SECTORS])
    word = np.array(starts)[sector] + (rng.random(n) * counts[sector]).astype(np.int64)
    form = rng.choice(len(COMPANY_FORMS), n, p=_weights(COMPANY_FORMS))
    return pc.binary_join_element_wise(
        place,
        trade.take(pa.array(rng.integers(0, len(TRADE_CHARS), n))),
        trade.take(pa.array(rng.integers(0, len(TRADE_CHARS), n))),
        _strings(words).take(pa.array(word)),
        _strings([f for f, _ in COMPANY_FORMS]).take(pa.array(form)),
        "",
    )
