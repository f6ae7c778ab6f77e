"""The attendee map page's words and shape rules, without building the page."""
from __future__ import annotations

from kiosk.eventdata import Category
from kiosk.models import Exhibitor
from ui.attendee_layout import SIDE_MIN_PX, SIDE_PANEL_PX, is_landscape, side_height, side_width
from ui.map_page_texts import count_text, is_filtering, legend_entries, no_route_text, result_text

BEIGENE = Exhibitor(id="e1", name="BeiGene", name_zh="百济神州", category="bio", booths=("A01", "A02"))


def test_result_rows_put_the_screen_language_first():
    assert result_text(BEIGENE, zh=False) == "BeiGene\nBooth A01, A02   ·   百济神州"
    assert result_text(BEIGENE, zh=True) == "百济神州\nBooth A01, A02   ·   BeiGene"
    plain = Exhibitor(id="e2", name="Acme", name_zh="", category="", booths=("C20",))
    assert result_text(plain, zh=True) == "Acme\nBooth C20"  # no second name when there is no other


def test_count_line_and_filtering():
    assert not is_filtering("   ", "") and is_filtering("bei", "") and is_filtering("", "ai")
    assert count_text(42, filtering=False).startswith("All exhibitors: 42.")
    assert count_text(3, filtering=True) == "3 found, highlighted on the map"
    assert count_text(0, filtering=True).startswith("Nothing found.")
    assert "step-free" in no_route_text(True) and "No route" in no_route_text(False)


def test_legend_labels_escape_the_mnemonic_ampersand():
    cats = [Category(id="ai", name="AI & digital health", name_zh="人工智能", color="#1565C0"),
            Category(id="med", name="Devices", name_zh="", color="#2E7D32")]
    assert legend_entries(cats, zh=False) == [("ai", "AI && digital health", "#1565C0"),
                                              ("med", "Devices", "#2E7D32")]
    assert [label for _, label, _ in legend_entries(cats, zh=True)] == ["人工智能", "Devices"]


def test_side_column_size_follows_the_shape():
    assert is_landscape(1920, 1080) and is_landscape(1000, 1000) and not is_landscape(1080, 1920)
    assert side_width(1920) == SIDE_PANEL_PX  # a third would be 640: capped
    assert side_width(1500) == 500
    assert side_width(900) == SIDE_MIN_PX
    assert side_height(1920) == 921 and side_height(600) == SIDE_MIN_PX
