"""Chinese names for persons, enterprises and public bodies, assembled column-wise."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

# Common surnames on the Jiaodong peninsula, with rough relative frequencies.
SURNAMES: tuple[str, ...] = tuple(
    "王张刘李于孙林丛毕曲鞠宋邹董姜高谷梁汤孔陈杨赵吕邵田周徐郭马戚初夏隋慕车苗岳殷蔡"
)
# fmt: off
SURNAME_WEIGHTS: tuple[float, ...] = (
    9.0, 7.0, 6.5, 6.0, 5.0, 4.5, 3.5, 2.5, 2.5, 2.5, 2.0, 2.5, 2.0, 2.0,
    3.0, 2.5, 1.5, 1.5, 1.5, 1.0, 3.0, 2.5, 2.5, 1.5, 1.5, 1.5, 2.0, 2.0,
    1.5, 1.5, 1.0, 1.5, 1.0, 1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8,
)
# fmt: on
GIVEN_MALE: tuple[str, ...] = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁亮建国海峰成志春东文俊凯浩宇昊晨博旭德福庆祥永玉振忠"
)
GIVEN_FEMALE: tuple[str, ...] = tuple(
    "芳娜敏静丽艳娟霞燕玲婷雪慧红梅琳倩颖晶丹萍洁莉佳欣怡璐媛薇悦美秀凤春玉新文晓丽华月云彤琪蕾"
)
TRADE_CHARS: tuple[str, ...] = tuple(
    "海鑫华瑞泰丰源达盛宏兴安信德祥福金恒通远东明凯康润宇博宁和嘉正诚利新龙威荣顺升佳联发昌洋蓝"
)

SECTORS: tuple[str, ...] = (
    "food",
    "drugs",
    "mining",
    "chemicals",
    "p2p_lending",
    "logistics",
    "e_commerce",
    "construction",
    "manufacturing",
    "retail",
    "other",
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
    out: npt.NDArray[np.float64] = w / w.sum()
    return out


def person_names(rng: np.random.Generator, male: npt.NDArray[np.bool_]) -> pa.Array:
    n = len(male)
    weights = np.array(SURNAME_WEIGHTS)
    surname = rng.choice(len(SURNAMES), n, p=weights / weights.sum())
    pool = _strings([*GIVEN_MALE, *GIVEN_FEMALE])
    shift = np.where(male, 0, len(GIVEN_MALE))
    first = rng.integers(0, len(GIVEN_MALE), n) + shift
    second = np.where(rng.random(n) < 0.72, rng.integers(0, len(GIVEN_MALE), n) + shift, -1)
    second_text = pc.if_else(
        pa.array(second >= 0), pool.take(pa.array(np.maximum(second, 0))), pa.scalar("")
    )
    return pc.binary_join_element_wise(
        _strings(SURNAMES).take(pa.array(surname)),
        pool.take(pa.array(first)),
        second_text,
        "",
    )


def enterprise_names(
    rng: np.random.Generator,
    place: pa.Array,
    sector: npt.NDArray[np.int64],
) -> pa.Array:
    """``<place><two trade characters><industry word><form>``, e.g. 荣成市海润食品有限公司."""
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
