"""What the lead capture screen says: scan results, list rows, counts and the PIN pad's words.

Plain functions of the data (translated through Qt's catalogue under the "LeadsScreen"
context), so the wording rules are tested without building the screen.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from kiosk.models import Lead, Status, Verdict
from ui.names import both_names
from ui.verdict import headline


def capture_texts(verdict: Verdict, lead: Lead | None) -> tuple[str, str]:
    """(headline, what happened) for a scan on an exhibitor device, in the current language."""
    if verdict.status is Status.LEAD_SAVED:
        return (QCoreApplication.translate("LeadsScreen", "Lead saved"),
                QCoreApplication.translate("LeadsScreen", 'Added to your leads. Tap "Add notes" to rate and tag it.'))
    if verdict.status is Status.LEAD_UPDATED:
        scans = lead.scans if lead else 2
        return (QCoreApplication.translate("LeadsScreen", "Lead updated"),
                QCoreApplication.translate("LeadsScreen", "You already had this lead; scanned %1 times now.")
                .replace("%1", str(scans)))
    if verdict.status is Status.NOT_ALLOWED and verdict.detail == "type:staff":
        return (QCoreApplication.translate("LeadsScreen", "Event staff badge"),
                QCoreApplication.translate("LeadsScreen", "This is a member of the event staff, not a visitor: "
                                                          "no lead saved."))
    if verdict.status is Status.NOT_ALLOWED and verdict.detail == "type:exhibitor":
        return (QCoreApplication.translate("LeadsScreen", "Exhibitor badge"),
                QCoreApplication.translate("LeadsScreen", "This is an exhibitor's badge, not a visitor: no lead "
                                                          "saved. You can change this in the lead settings."))
    if verdict.status is Status.NOT_ALLOWED and verdict.detail == "no_exhibitor":
        return (QCoreApplication.translate("LeadsScreen", "Not linked to an exhibitor"),
                QCoreApplication.translate("LeadsScreen", "No lead saved: ask the event staff to enrol this device "
                                                          "for your company."))
    return headline(verdict), QCoreApplication.translate(
        "LeadsScreen", "No lead saved. The visitor can have the badge checked at the registration desk.")


# kiosk.leads.DEFAULT_TAGS, stored in English (exports and merges compare them) and shown in the language
_DEFAULT_TAG_WORDS = (QT_TRANSLATE_NOOP("LeadTags", "wants demo"), QT_TRANSLATE_NOOP("LeadTags", "decision maker"),
                      QT_TRANSLATE_NOOP("LeadTags", "follow up"), QT_TRANSLATE_NOOP("LeadTags", "send quote"),
                      QT_TRANSLATE_NOOP("LeadTags", "partner"), QT_TRANSLATE_NOOP("LeadTags", "hot"))


def tag_text(tag: str) -> str:
    """A tag as shown: the default tags in the current language, an exhibitor's own tags as typed."""
    return QCoreApplication.translate("LeadTags", tag) if tag in _DEFAULT_TAG_WORDS else tag


def stars_text(rating: int) -> str:
    """A 0..5 rating as five stars, filled then empty."""
    rating = max(0, min(5, int(rating or 0)))
    return "★" * rating + "☆" * (5 - rating)


def lead_item_text(lead: Lead, when: str) -> str:
    """A lead's two lines in the list: names and stars; organisation, when, tags."""
    name = both_names(lead.name, lead.name_zh)
    first = f"{name}    {stars_text(lead.rating)}" if lead.rating else name
    second = "  ·  ".join(x for x in (lead.organisation, when, ", ".join(tag_text(t) for t in lead.tags)) if x)
    return f"{first}\n{second}"


def count_text(shown: int, total: int) -> str:
    """ "12 leads" ("1 lead"), or "3 of 12 leads" while a search or a tag narrows the list."""
    if shown != total and total == 1:
        return QCoreApplication.translate("LeadsScreen", "%1 of 1 lead").replace("%1", str(shown))
    if shown != total:
        return QCoreApplication.translate("LeadsScreen", "%1 of %2 leads").replace("%1", str(shown)) \
            .replace("%2", str(total))
    if total == 1:
        return QCoreApplication.translate("LeadsScreen", "1 lead")
    return QCoreApplication.translate("LeadsScreen", "%1 leads").replace("%1", str(total))


def empty_text(total: int) -> str:
    """Why the list is empty: no leads at all, or none that match."""
    if total == 0:
        return QCoreApplication.translate("LeadsScreen", "No leads yet. Scan a visitor's badge to save the first one.")
    return QCoreApplication.translate("LeadsScreen", "No lead matches the search or the tag.")


def lock_title(mode: str) -> str:
    """The PIN pad's title in each step of unlocking or setting up the exhibitor PIN."""
    return {
        "unlock": QCoreApplication.translate("LeadsScreen", "Exhibitor PIN"),
        "staff": QCoreApplication.translate("LeadsScreen", "Staff PIN"),
        "new": QCoreApplication.translate("LeadsScreen", "Choose the exhibitor PIN"),
        "repeat": QCoreApplication.translate("LeadsScreen", "Enter the new PIN again"),
        "unbound": QCoreApplication.translate("LeadsScreen", "Lead capture"),
    }.get(mode, "")


def lock_hint(mode: str, exhibitor_name: str) -> str:
    """What to do at this step, for the exhibitor named."""
    return {
        "unlock": QCoreApplication.translate(
            "LeadsScreen", "Leads of %1. Enter your exhibitor PIN to scan and see leads.")
        .replace("%1", exhibitor_name),
        "staff": QCoreApplication.translate(
            "LeadsScreen", "No exhibitor PIN is set yet. Event staff: enter the staff PIN to set one up."),
        "new": QCoreApplication.translate(
            "LeadsScreen", "4 to 12 digits. Your booth staff will unlock this device with it."),
        "repeat": QCoreApplication.translate("LeadsScreen", "To make sure it was typed right."),
        "unbound": QCoreApplication.translate(
            "LeadsScreen", "This device is not bound to an exhibitor. Enrol it for an exhibitor first."),
    }.get(mode, "")


def pin_refused_text(reason: str) -> str:
    """Why a PIN was not accepted."""
    return {"no_pin": QCoreApplication.translate("LeadsScreen", "No exhibitor PIN is set on this device."),
            "malformed": QCoreApplication.translate("LeadsScreen", "The stored PIN is damaged; ask the event staff.")
            }.get(reason, QCoreApplication.translate("LeadsScreen", "Wrong PIN."))


def wait_text(seconds: float) -> str:
    """The lock-out countdown, in whole seconds rounded up."""
    return QCoreApplication.translate("LeadsScreen", "Too many wrong PINs. Try again in %1 s.") \
        .replace("%1", str(int(seconds + 0.999)))
