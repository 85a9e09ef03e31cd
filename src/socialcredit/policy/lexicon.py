"""The protected-grounds lexicon: the words no pack may use for what it scores or lists.

The second line of defence, behind the allow-lists (a category, attribute or
measure outside them is refused whatever it is called). Terms are English,
pinyin and Chinese, by ground. English and pinyin terms match whole tokens
or runs of two or three tokens joined by ``_`` (``native_place``,
``falun_gong``); Chinese terms match as substrings. Words a shipped pack uses
innocently are left out on purpose: ``blood`` (``blood_donation``,
``blood_alcohol_mg``), ``illness`` (harm a food violation caused consumers),
``elderly`` (``elderly_care`` volunteering), ``minor`` (a severity class),
``household`` alone (``household registration``).
"""

from __future__ import annotations


def _terms(words: str) -> frozenset[str]:
    return frozenset(words.split())


GROUND_TERMS: dict[str, frozenset[str]] = {
    "ethnicity": _terms(
        "ethnic ethnicity ethnic_group ethnic_minority race racial nationality_group "
        "skin_colour skin_color ancestry tribe tribal language mother_tongue dialect "
        "minzu shaoshu_minzu uyghur uighur uygur weiwuer weizu tibetan zangzu kazakh "
        "mongolian zhuang manchu hanzu han_chinese"
    ),
    "religion or belief": _terms(
        "religion religious faith belief creed worship worshipper sect cult church mosque "
        "temple pray prayer praying veil hijab burqa niqab headscarf beard halal ramadan "
        "quran koran bible buddhist muslim islam islamic christian catholic protestant "
        "taoist falun falun_gong falungong zongjiao xinyang qidao miansha"
    ),
    "political opinion or speech": _terms(
        "political politics opinion speech expression petition petitioning petitioner "
        "leapfrog shangfang xinfang protest demonstration dissent dissident ideology rumor "
        "rumour online_false online_speech online_comment online_post vpn fanqiang "
        "gathering unregistered_gathering illegal_assembly party_member party_membership "
        "dangyuan censorship"
    ),
    "health": _terms(
        "health medical_history medical_record medical_condition disease diagnosis "
        "disability disabled pregnancy pregnant hiv mental_health psychiatric genetic dna "
        "vaccination vaccine blood_type blood_group hospital hospitalisation "
        "hospitalization patient jiankang jibing"
    ),
    "sex": _terms(
        "sex gender sexual sexuality sexual_orientation orientation lgbt gay lesbian "
        "transgender male female xingbie"
    ),
    "age": _terms(
        "age aged birth birthday birth_year date_of_birth dob year_of_birth nianling "
        "chusheng chusheng_riqi"
    ),
    "birthplace": _terms(
        "birthplace birth_place place_of_birth native_place hometown jiguan hukou "
        "hukou_origin chushengdi"
    ),
    "family and social ties": _terms(
        "family spouse husband wife marriage marital divorce relative kin kinship parent "
        "father mother child children son daughter sibling household_member "
        "household_default household_head relation relationship linked_party friend "
        "associate acquaintance contacts colleague neighbour neighbor guanxi "
        "social_connection social_network social_circle jiashu qinshu hunyin jiating peiou"
    ),
}

CHINESE_TERMS: dict[str, tuple[str, ...]] = {
    "ethnicity": ("民族", "种族", "维吾尔", "维族", "藏族", "回族", "哈萨克", "蒙古族", "汉族"),
    "religion or belief": (
        "宗教", "信仰", "祈祷", "礼拜", "面纱", "头巾", "清真", "斋月", "法轮", "教会",
        "寺", "基督", "伊斯兰", "佛教",
    ),
    "political opinion or speech": (
        "政治", "言论", "上访", "信访", "越级", "集会", "游行", "示威", "党员", "翻墙",
        "谣言", "异见",
    ),
    "health": ("健康", "病", "医疗", "残疾", "怀孕", "疫苗", "住院", "血型"),
    "sex": ("性别", "性取向"),
    "age": ("年龄", "出生日期", "出生年月", "生日"),
    "birthplace": ("籍贯", "户口", "户籍", "出生地"),
    "family and social ties": ("家属", "亲属", "婚姻", "家庭", "配偶", "子女", "父母", "关联人"),
}  # fmt: skip

# phrases that use a term innocently: their tokens are not looked up on their own
EXEMPT_PHRASES: frozenset[str] = _terms("public_health")

TERM_GROUND: dict[str, str] = {t: g for g, terms in GROUND_TERMS.items() for t in terms}

# letters of other scripts that look like Latin ones, folded before matching
LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ο": "o", "α": "a", "β": "b",
        "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u",
        "χ": "x", "ӏ": "l", "ı": "i",
    }
)  # fmt: skip
