"""Exhibitor search as a visitor types it: pinyin, Chinese, booth numbers, products."""
from __future__ import annotations

import json

import pytest

from kiosk.directory import Directory, matching_booths, normalise_booth
from kiosk.models import Exhibitor
from kiosk.paths import demo


@pytest.fixture(scope="module")
def event():
    return json.loads((demo() / "event.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def directory(event):
    exhibitors = [Exhibitor(**{**e, "booths": tuple(e["booths"]), "products": tuple(e["products"])})
                  for e in event["exhibitors"]]
    return Directory(exhibitors, {c["id"]: (c["name"], c["name_zh"]) for c in event["categories"]})


def names(found):
    return [e.name for e in found]


@pytest.mark.parametrize("query", ["baiji", "bjsz", "BJSZ", "bai ji", "百济", "百济神州", "beigene", "Bei"])
def test_beigene_first_by_pinyin_chinese_and_english(directory, query):
    assert names(directory.search(query))[0] == "BeiGene"


@pytest.mark.parametrize("query, booth", [("A01", "A01"), ("a1", "A01"), ("c20", "C20"), ("B 7", "B07")])
def test_booth_number_finds_its_exhibitor_first(directory, query, booth):
    found = directory.search(query)
    assert booth in found[0].booths


def test_second_booth_of_a_two_booth_exhibitor(directory):
    beigene = directory.search("BeiGene")[0]
    assert len(beigene.booths) == 2
    assert directory.search(beigene.booths[1])[0] is beigene
    assert directory.by_booth(beigene.booths[1]) is beigene


def test_ranking_name_before_products_before_description(directory):
    found = names(directory.search("robot"))
    robot_names = [n for n in found if "robot" in n.lower()]
    assert robot_names and found[:len(robot_names)] == robot_names  # names first
    assert "Estun" in found  # by its products ("rehabilitation robot")
    assert found.index("Estun") > found.index(robot_names[-1])


def test_category_filter_and_category_words(directory):
    only = directory.search("", category="finance")
    assert only and {e.category for e in only} == {"finance"}
    assert {e.category for e in directory.search("medical", category="devices")} == {"devices"}
    assert "Estun" in names(directory.search("医疗机器人"))  # the category's Chinese name


def test_products_and_chinese_substring(directory):
    assert "Wantai BioPharm" in names(directory.search("HPV"))
    assert names(directory.search("同仁"))[0] == "Tong Ren Tang"
    assert directory.search("zzzz-nothing") == []
    assert directory.search("   ") == directory.search("")


def test_matching_booths_keeps_order_once(directory):
    found = directory.search("BeiGene") + directory.search("BeiGene")
    assert matching_booths(found) == list(found[0].booths)
    assert normalise_booth(" a-001 ") == "a1"
