"""The attendee kiosk driven as a visitor would: taps on the map, typing in search, routes, agenda, idle."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from kiosk import checkin, routing
from kiosk.checkin import DeviceContext
from kiosk.models import Scan
from tests.attendee_fixtures import TEN_AM, attendee, ensure_catalogue, open_kiosk  # noqa: F401
from tests.factories import PEOPLE, badge_for
from tests.helpers_qt import settle

TAP = Qt.MouseButton.LeftButton


def tap(qtbot, widget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, TAP, pos=pos if pos is not None else widget.rect().center())


def open_map(qtbot, k):
    s = k.screen
    assert s.current_page() == "attract"
    tap(qtbot, s.attract)
    assert s.current_page() == "home"
    tap(qtbot, s.home.buttons["map"])
    assert s.current_page() == "map"
    qtbot.waitUntil(lambda: s.map_page.list.count() > 0)
    return s.map_page


def test_tapping_a_booth_opens_its_details(qtbot, attendee):
    page = open_map(qtbot, attendee)
    view = page.view
    tap(qtbot, view.viewport(), view.booth_view_pos("A03"))
    qtbot.waitUntil(lambda: page.side.currentWidget() is page.panel)
    text = page.panel.texts()
    assert "InnoCare" in text and "诺诚健华" in text
    assert "Booth A03" in text
    assert "Biomedicine" in page.panel.category_label.text()
    assert page.panel.products.text()  # products listed
    assert not page.panel.logo.pixmap().isNull()  # the initials tile stands in for a logo
    assert view.highlighted() == {"A03"}
    assert page.panel.route_button.height() >= 64 and page.panel.back.height() >= 48


def test_a_logo_from_the_database_replaces_the_initials_tile(qtbot, tmp_path):
    """A logo imported on the server arrives in the kiosk database (bundle or sync) and shows on the panel."""
    import io

    from PIL import Image

    def with_logo(store, _key):
        png = io.BytesIO()
        Image.new("RGB", (300, 150), "#00a651").save(png, "PNG")
        booth_a03 = next(e.id for e in store.exhibitors() if "A03" in e.booths)
        store.logos.save(booth_a03, "image/png", png.getvalue())

    page = open_map(qtbot, open_kiosk(qtbot, tmp_path, prepare=with_logo))
    page.open_booth("A03")
    pix = page.panel.logo.pixmap()
    assert (pix.width(), pix.height()) == (128, 64)  # scaled to the tile, aspect kept
    assert pix.toImage().pixelColor(64, 32).name() == "#00a651"
    page.close_booth()
    page.open_booth("B13")  # no logo for this one: still the initials tile, not the last logo
    tile = page.panel.logo.pixmap()
    assert (tile.width(), tile.height()) == (128, 128)
    assert tile.toImage().pixelColor(64, 64).name() != "#00a651"


def test_search_finds_by_pinyin_booth_number_product_and_chinese(qtbot, attendee):
    page = open_map(qtbot, attendee)
    qtbot.keyClicks(page.search, "baiji")
    assert page.results[0].name == "BeiGene"
    assert {"A01", "A02"} <= page.view.highlighted()
    assert "highlighted" in page.count.text()
    page.search.clear()
    qtbot.keyClicks(page.search, "a3")  # read off a sign, typed lazily
    assert page.results[0].booths == ("A03",)
    assert page.view.highlighted() >= {"A03"}
    page.search.setText("百济")
    assert page.results[0].name == "BeiGene"
    page.search.setText("BTK inhibitor")
    assert any("BTK inhibitor" in e.products for e in page.results)
    page.search.setText("zzzzqqq")
    assert page.list.count() == 0 and "Nothing found" in page.count.text()


def test_result_tap_and_category_chip(qtbot, attendee):
    page = open_map(qtbot, attendee)
    tap(qtbot, page.legend.button("ai"))
    assert page.results and all(e.category == "ai" for e in page.results)
    assert page.view.highlighted() == {b for e in page.results for b in e.booths}
    tap(qtbot, page.legend.button("ai"))  # tapping the chosen chip again clears the filter
    assert len(page.results) == 58 and page.view.highlighted() == set()
    page.search.setText("a3")
    item = page.list.item(0)
    page.list.itemClicked.emit(item)
    assert page.side.currentWidget() is page.panel and page.panel.booth_id == "A03"


def test_route_here_draws_the_walk_and_offers_it_to_a_phone(qtbot, attendee):
    page = open_map(qtbot, attendee)
    page.open_booth("C20")
    tap(qtbot, page.panel.route_button)
    qtbot.waitUntil(lambda: page.panel.route is not None, timeout=5000)
    route = page.panel.route
    hall = page.data.hall
    assert route.points[0] == hall.kiosk_position("kiosk-1")
    assert page.view.route_path()  # drawn on the map
    info = page.panel.route_info.text()
    assert f"{round(route.distance_m)} m" in info and f"about {route.walk_minutes} min" in info
    # straight along the bottom aisle, the booth on the left: said in words under the distance
    steps = f"Booth C20 is on your left after {round(route.distance_m)} m."
    assert page.panel.route_steps.text() == steps and page.panel.route_steps.isVisible()
    payload = page.panel.phone.payload()
    assert "Booth C20" in payload and f"{round(route.distance_m)} m" in payload and steps in payload
    assert "展位" not in payload  # the visitor's language only: a short code a phone reads at once
    assert page.panel.phone.isVisible()
    # the QR on screen decodes to that text with the camera's own decoder
    import numpy as np

    from kiosk.scanner import decode_frame
    img = page.panel.phone.code.pixmap().toImage().convertToFormat(page.panel.phone.code.pixmap().toImage().Format.Format_Grayscale8)
    arr = np.array(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, :img.width()]
    assert decode_frame(arr) == [payload]


def test_turn_by_turn_words_follow_the_language(qtbot, attendee):
    page = open_map(qtbot, attendee)
    page.open_booth("B13")
    tap(qtbot, page.panel.route_button)
    qtbot.waitUntil(lambda: page.panel.route is not None, timeout=5000)
    text = page.panel.route_steps.text()
    assert text.startswith("Walk ") and ", turn left, booth B13 is on your right after " in text
    attendee.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: "左转" in page.panel.route_steps.text())
    zh = page.panel.route_steps.text()
    assert zh.startswith("直行 ") and "B13 展位在您右手边" in zh and zh.endswith("。")
    attendee.translations.set_language("en")


def test_step_free_route_avoids_the_steps(qtbot, attendee):
    page = open_map(qtbot, attendee)
    hall = page.data.hall
    start = hall.kiosk_position("kiosk-1")
    # a booth whose shortest walk crosses the step area, so the step-free way is longer
    booth = next(b.id for b in hall.booths if page.exhibitor_at(b.id) is not None
                 and routing.route(hall, start, b.id, True).distance_m
                 > routing.route(hall, start, b.id, False).distance_m + 0.5)
    page.open_booth(booth)
    tap(qtbot, page.panel.route_button)
    qtbot.waitUntil(lambda: page.panel.route is not None, timeout=5000)
    plain = page.panel.route.distance_m
    tap(qtbot, page.panel.step_free)  # toggling redraws the route the other way
    qtbot.waitUntil(lambda: page.panel.route is not None and page.panel.route.distance_m > plain + 0.5, timeout=5000)
    assert "Step-free route" in page.panel.route_info.text()


def _scan_door(store, key):
    """Two people entered the main hall and one left the press room: live occupancy for the agenda."""
    at = TEN_AM
    door = DeviceContext("door-1", role="desk", point_id="door-main-forum")
    for person in PEOPLE[:2]:
        checkin.check(store, badge_for(person, key), door, now=at)


def test_agenda_shows_now_and_next_with_rooms_speakers_and_occupancy(qtbot, tmp_path):
    k = open_kiosk(qtbot, tmp_path, prepare=_scan_door)
    try:
        s = k.screen
        s.open_page("agenda")
        page = s.agenda_page
        qtbot.waitUntil(lambda: page.agenda is not None and bool(page.cards))
        now_titles = [i.session.title for i in page.agenda.now]
        assert "Main Forum: Frontiers of Life Science" in now_titles
        assert page.agenda.next[0].session.title == "Press Conference"
        text = page.texts()
        assert "10:00" not in text  # times are the sessions', not the clock's
        assert "9:30" in text and "12:00" in text
        assert "主论坛：生命科学前沿" in text  # the other language under the title
        assert "Main Hall" in text and "Prof. Chen Yunhai" in text
        assert "Inside 2 of 800" in text
        main = next(c for c in page.cards if c.item.session.id == "main-forum")
        assert main.bar.value() == 2 and main.bar.maximum() == 800
        press = next(c for c in page.cards if c.item.session.id == "press-conference")
        assert not press.occupancy.isVisibleTo(press)  # no door scans here for that room
    finally:
        k.close()


def test_language_switch_relabels_every_page(qtbot, attendee):
    ensure_catalogue()
    s = attendee.screen
    page = open_map(qtbot, attendee)
    page.open_booth("A01")
    attendee.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: s.home_button.text() == "‹ 首页")
    assert page.panel.booth.text().startswith("展位")
    assert page.panel.route_button.text() == "带我去这里"
    assert page.legend.button("biomedicine").text() == "生物医药"
    assert page.search.placeholderText().startswith("搜索")
    assert s.home.buttons["map"].text().startswith("查找展商")
    assert "百济神州" in page.panel.texts()
    assert page.panel.description.text().startswith("专注肿瘤")
    attendee.translations.set_language("en")
    qtbot.waitUntil(lambda: s.home_button.text() == "‹ Home")


def test_idle_reset_forgets_everything_personal(qtbot, attendee):
    s = attendee.screen
    page = open_map(qtbot, attendee)
    page.search.setText("baiji")
    tap(qtbot, page.legend.button("biomedicine"))
    page.open_booth("A01")
    tap(qtbot, page.panel.route_button)
    qtbot.waitUntil(lambda: page.panel.route is not None, timeout=5000)
    s.handle_scan(Scan(badge_for(PEOPLE[0], attendee.key), "camera"))
    qtbot.waitUntil(lambda: s.checkin_page.state == "result")
    assert "Zhang Wei" in s.checkin_page.texts()
    s.reset()
    assert s.current_page() == "attract"
    assert page.search.text() == "" and page.category == "" and page.legend.selected() == ""
    assert page.side.currentWidget() is page.list_page and page.panel.exhibitor is None
    assert page.view.route_path() == [] and page.view.highlighted() == set()
    assert page.panel.phone.payload() == ""
    assert s.checkin_page.state == "prompt" and s.checkin_page.verdict is None
    assert "Zhang Wei" not in s.checkin_page.texts()


def test_badge_on_any_page_opens_the_check_in_result(qtbot, attendee):
    s = attendee.screen
    open_map(qtbot, attendee)
    assert s.handle_scan(Scan(badge_for(PEOPLE[0], attendee.key), "camera")) is True
    assert s.current_page() == "checkin"
    qtbot.waitUntil(lambda: s.checkin_page.state == "result")
    tap(qtbot, s.checkin_page.done_button)
    assert s.current_page() == "home"


def test_portrait_totem_stacks_map_over_the_list(qtbot, tmp_path):
    k = open_kiosk(qtbot, tmp_path, size=(1080, 1836))
    try:
        s = k.screen
        page = open_map(qtbot, k)
        qtbot.waitUntil(lambda: page.side.y() > page.map_side.y())
        assert page.side.width() >= 1000  # full width, under the map
        assert page.view.height() >= 600
        s.go_home()
        assert s.home.buttons["map"].y() < s.home.buttons["agenda"].y()  # stacked, not side by side
        assert min(b.height() for b in s.home.buttons.values()) >= 200
    finally:
        k.close()


def test_the_real_kiosk_loads_the_attendee_screen_and_routes_scans_to_it(qapp, qtbot, tmp_path):
    from tests.shell_fixtures import make_db, start_kiosk, stop_kiosk
    path, key = make_db(tmp_path, role="attendee", device_id="kiosk-1")
    k = start_kiosk(qapp, qtbot, path, role="attendee")
    try:
        screen = k.window.screen("attendee")
        assert type(screen).__name__ == "AttendeeScreen" and k.window.current_name() == "attendee"
        k._on_scan(Scan(badge_for(PEOPLE[0], key), "camera"))
        qtbot.waitUntil(lambda: screen.checkin_page.state == "result", timeout=5000)
        assert "Zhang Wei" in screen.checkin_page.texts()
        k.window.reset_all()  # what the idle watcher does
        assert screen.current_page() == "attract" and "Zhang Wei" not in screen.checkin_page.texts()
    finally:
        stop_kiosk(k)


def test_route_qr_is_large_and_in_view_without_scrolling(qtbot, tmp_path):
    """Landscape kiosk and portrait totem: the phone QR is at least 260 px and wholly on screen
    above the buttons, as is the route's summary, with the booth's name still in view."""
    for size in ((1920, 996), (1080, 1836)):
        k = open_kiosk(qtbot, tmp_path / f"{size[0]}", size=size)
        try:
            page = open_map(qtbot, k)
            page.open_booth("B01")  # the longest phone text of the demo: the most modules
            panel = page.panel
            tap(qtbot, panel.route_button)
            qtbot.waitUntil(lambda: panel.route is not None and panel.phone.isVisible(), timeout=5000)
            settle()
            pix = panel.phone.code.pixmap()
            assert min(pix.width(), pix.height()) >= 260, size
            import numpy as np

            from kiosk.scanner import decode_frame
            img = pix.toImage().convertToFormat(pix.toImage().Format.Format_Grayscale8)
            arr = np.array(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, :img.width()]
            assert decode_frame(arr) == [panel.phone.payload()]  # modules a pixel apart in size still read
            for w in (panel.phone.code, panel.route_info, panel.route_steps, panel.name):
                assert w.visibleRegion().boundingRect() == w.rect(), (size, w.objectName())  # nothing clipped
            top = panel.route_button.mapTo(panel, QPoint(0, 0)).y()
            assert panel.phone.code.mapTo(panel, QPoint(0, panel.phone.code.height())).y() <= top, size
        finally:
            k.close()
