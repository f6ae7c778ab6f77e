"""English and Simplified Chinese through Qt's own translation system, switched live.

Every UI area keeps its own catalogue, `assets/i18n/<area>_zh_CN.ts` (shell, map, leads,
...); all compiled `.qm` files of a language are loaded together, plus Qt's own qtbase
catalogue so standard dialogs follow. Installing or removing translators makes Qt send
LanguageChange to every widget, which re-sets its texts (see ui.screen.Screen).

    python -m ui.i18n build    # every assets/i18n/*.ts -> .qm (the ./run set-up calls this)
    python -m ui.i18n update   # re-extract the strings of each area into its .ts
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from kiosk import paths

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "zh_CN")

# area -> the sources its strings come from (relative to the project root). Another area
# adds its own entry here (e.g. "map": ["ui/map"]); a folder means every .py inside it.
AREAS: dict[str, list[str]] = {
    "shell": ["ui/app.py", "ui/mainwindow.py", "ui/screen.py", "ui/desk.py", "ui/admin.py", "ui/verdict.py",
              "ui/rolepicker.py", "ui/printing.py", "ui/keyboard.py", "ui/idle.py", "ui/idle_warning.py",
              "ui/services.py",
              "ui/deskside.py", "ui/desk_panels.py", "ui/camera.py"],
    "leads": ["ui/leads.py", "ui/lead_texts.py", "ui/capture_panel.py", "ui/tag_chips.py", "ui/tag_settings.py",
              "ui/lead_editor.py", "ui/lead_export.py"],
    "attendee": ["ui/attendee.py", "ui/home_page.py", "ui/map_page.py", "ui/map_page_texts.py", "ui/agenda.py",
                 "ui/attract.py", "ui/booth_panel.py", "ui/route_words.py", "ui/phoneqr.py", "ui/selfcheckin.py",
                 "ui/selfprintpage.py"],
    "map": ["ui/map_view.py", "ui/map_symbols.py"],
    "sync": ["ui/syncstatus.py", "ui/conflicts.py", "ui/syncservice.py"],
    "wedge": ["ui/wedge.py"],
}


def i18n_dir() -> Path:
    return paths.assets() / "i18n"


def qt_locale(language: str) -> QLocale:
    # English as written in the UK (day first, 24-hour clock): a US date misleads most of an international forum
    return QLocale("zh_CN") if language == "zh_CN" else QLocale("en_GB")


class Translations(QObject):
    """Owns the installed translators; `set_language` switches the whole app live.

    Signals:
        language_changed(str): after the switch, with "en" or "zh_CN".
    """

    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._installed: list[QTranslator] = []
        self.language = DEFAULT_LANGUAGE
        QLocale.setDefault(qt_locale(DEFAULT_LANGUAGE))  # not the machine's (often C/POSIX) locale

    def catalogues(self, language: str) -> list[Path]:
        return sorted(i18n_dir().glob(f"*_{language}.qm"))

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            log.warning("unknown language %r; staying with %s", language, self.language)
            return
        if language == self.language and (self._installed or language == DEFAULT_LANGUAGE):
            return
        app = QCoreApplication.instance()
        removed = bool(self._installed)
        for tr in self._installed:
            app.removeTranslator(tr)
        self._installed = []
        if language != DEFAULT_LANGUAGE:
            for qm in self.catalogues(language):
                tr = QTranslator(self)
                if tr.load(str(qm)):
                    self._installed.append(tr)
                else:
                    log.warning("could not load %s", qm)
            if not self._installed:
                log.warning("no compiled translations for %s in %s (run: python -m ui.i18n build)",
                            language, i18n_dir())
            qt_tr = QTranslator(self)
            if qt_tr.load(qt_locale(language), "qtbase", "_",
                          QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                self._installed.append(qt_tr)
            for tr in self._installed:
                app.installTranslator(tr)
        QLocale.setDefault(qt_locale(language))
        self.language = language
        if not removed and not self._installed:
            # no translator came or went, so Qt sends no LanguageChange; dates still follow the locale
            for w in QApplication.allWidgets() if isinstance(app, QApplication) else []:
                QCoreApplication.postEvent(w, QEvent(QEvent.Type.LanguageChange))
        self.language_changed.emit(language)

    def toggle(self) -> None:
        self.set_language("zh_CN" if self.language == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE)


def locale() -> QLocale:
    """The locale dates and numbers are written in (follows the language button)."""
    return QLocale()


# -- command line ---------------------------------------------------------------------------
def _tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else (shutil.which(name) or name)


def build() -> int:
    """Compile every .ts into its .qm; returns the number of failures."""
    failures = 0
    for ts in sorted(i18n_dir().glob("*.ts")):
        qm = ts.with_suffix(".qm")
        done = subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            failures += 1
            print(f"{ts.name}: {done.stderr.strip() or done.stdout.strip()}", file=sys.stderr)
        else:
            print(f"{ts.name} -> {qm.name}")
    return failures


def _sources(entries: list[str]) -> list[str]:
    out: list[str] = []
    for entry in entries:
        p = paths.root() / entry
        if p.is_dir():
            out += [str(f) for f in sorted(p.rglob("*.py"))]
        elif p.exists():
            out.append(str(p))
    return out


def update() -> int:
    failures = 0
    for area, entries in AREAS.items():
        ts = i18n_dir() / f"{area}_zh_CN.ts"
        sources = _sources(entries)
        done = subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources,
                               "-ts", str(ts)], capture_output=True, text=True)
        print(done.stdout.strip())
        if done.returncode != 0:
            failures += 1
            print(done.stderr.strip(), file=sys.stderr)
    return failures


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["build"]:
        return 1 if build() else 0
    if argv[:1] == ["update"]:
        return 1 if update() else 0
    print("usage: python -m ui.i18n build|update", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
