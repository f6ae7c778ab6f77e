"""Deterministic demo attendees: the same N people every time, Chinese and international."""
from __future__ import annotations

import random
from collections.abc import Iterator

from kiosk.models import Attendee
from kiosk.pinyin import name_syllables

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宁凯浩宇晨欣怡佳琪子涵梓轩思远博雅雪梅立新海燕丹晓峰"
WESTERN_FIRST = ["James", "Maria", "David", "Anna", "Michael", "Sarah", "Thomas", "Laura", "Daniel", "Emma",
                 "Lukas", "Sofia", "Pierre", "Julia", "Kenji", "Yuki", "Raj", "Priya", "Olivia", "Ahmed",
                 "Elena", "Marco", "Hannah", "Carlos", "Ingrid", "Noah", "Fatima", "Jonas", "Chloe", "Mateo"]
WESTERN_LAST = ["Smith", "Müller", "Rossi", "Dubois", "Johnson", "García", "Tanaka", "Kim", "Brown", "Schmidt",
                "Nguyen", "Patel", "Andersson", "Novak", "Costa", "Fischer", "Martin", "Wilson", "Suzuki", "Lopez"]
ORGS_ZH = [("Peking University Health Science Center", "北京大学医学部"),
           ("Tsinghua University School of Medicine", "清华大学医学院"),
           ("Chinese Academy of Medical Sciences", "中国医学科学院"),
           ("Beijing Chaoyang Hospital", "北京朝阳医院"),
           ("Peking Union Medical College Hospital", "北京协和医院"),
           ("Changping Laboratory", "昌平实验室"),
           ("National Institute of Biological Sciences, Beijing", "北京生命科学研究所"),
           ("Zhongguancun Life Science Park", "中关村生命科学园"),
           ("Beijing Institute of Technology", "北京理工大学"),
           ("China Pharmaceutical University", "中国药科大学"),
           ("Xuanwu Hospital", "宣武医院"),
           ("Beijing Tiantan Hospital", "北京天坛医院"),
           ("Changping District Health Commission", "昌平区卫生健康委员会"),
           ("China Daily", "中国日报"),
           ("Xinhua News Agency", "新华社")]
ORGS_INTL = ["Karolinska Institutet", "Charité Berlin", "Novartis", "Roche", "Medtronic", "Siemens Healthineers",
             "Johns Hopkins University", "University of Cambridge", "Institut Pasteur", "Nature Medicine",
             "The Lancet", "Reuters", "Philips", "Stryker", "Intuitive Surgical"]
TITLES = ["Professor", "Researcher", "Director", "Chief Physician", "Engineer", "Investor", "Reporter", "Manager",
          "PhD Student", "CEO", "Product Manager", "Clinical Scientist"]
# weights: mostly attendees, a few of each other kind
TYPE_WEIGHTS = [("attendee", 70), ("vip", 5), ("speaker", 4), ("press", 5), ("exhibitor", 10), ("staff", 6)]


def generate_attendees(n: int, seed: int = 2023, exhibitor_orgs: list[tuple[str, str]] | None = None
                       ) -> Iterator[Attendee]:
    """Yield n attendees with ids A000001…; roughly three in four have Chinese names."""
    rng = random.Random(seed)
    types = [t for t, w in TYPE_WEIGHTS for _ in range(w)]
    exhibitor_orgs = exhibitor_orgs or [("BeiGene", "百济神州")]
    for i in range(1, n + 1):
        badge_type = types[rng.randrange(len(types))]
        if rng.random() < 0.75:
            surname = SURNAMES[rng.randrange(len(SURNAMES))]
            given = "".join(GIVEN[rng.randrange(len(GIVEN))] for _ in range(rng.choice((1, 2, 2))))
            name_zh = surname + given
            syll = name_syllables(name_zh)
            name = f"{syll[0].capitalize()} {''.join(syll[1:]).capitalize()}"
            org_en, org_zh = (exhibitor_orgs[rng.randrange(len(exhibitor_orgs))]
                              if badge_type == "exhibitor" else ORGS_ZH[rng.randrange(len(ORGS_ZH))])
            organisation = org_zh if rng.random() < 0.5 else org_en
        else:
            name_zh = ""
            name = f"{rng.choice(WESTERN_FIRST)} {rng.choice(WESTERN_LAST)}"
            organisation = (exhibitor_orgs[rng.randrange(len(exhibitor_orgs))][0] if badge_type == "exhibitor"
                            else rng.choice(ORGS_INTL))
        email_user = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalpha())
        attention = ""
        if badge_type == "vip" and rng.random() < 0.5:
            attention = "VIP: escort to the front row"
        elif rng.random() < 0.01:
            attention = "Wheelchair access needed"
        yield Attendee(
            id=f"A{i:06d}", name=name, name_zh=name_zh, organisation=organisation,
            title=rng.choice(TITLES), email=f"{email_user}{i}@example.org",
            phone=f"+86 138 {rng.randrange(10000):04d} {rng.randrange(10000):04d}",
            badge_type=badge_type, consent=rng.random() < 0.6,
            code=f"REG-{i:06d}" if rng.random() < 0.3 else "", attention=attention)
