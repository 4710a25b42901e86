"""The French catalogue covers every string the templates show, the compiled file matches it, and
each person reads the language they chose, else their browser's."""

from __future__ import annotations

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation.template import templatize

import cultivate

PACKAGE = Path(cultivate.__file__).parent
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
TEMPLATES = sorted([*PACKAGE.rglob("templates/**/*.html"), *PACKAGE.rglob("templates/**/*.txt")])
_QUOTED = r"u?'(?:[^'\\]|\\.)*'"
_CALL = re.compile(rf"\b(n?p?gettext)\(({_QUOTED}(?:\s*,\s*{_QUOTED})*)")


def po_entries(path: Path) -> dict[str, str]:
    """Read msgid -> msgstr from a .po file (single forms, what Cultivate uses); a fuzzy entry,
    a guess gettext does not use, reads as untranslated."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, list[str]] = {}
        field = None
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr", "msgid_plural ")):
                field, _, rest = line.partition(" ")
                parts[field] = [rest]
            elif line.startswith('"') and field is not None:
                parts[field].append(line)
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        if "msgid" in parts:
            msgid = "".join(json.loads(p) for p in parts["msgid"])
            if msgid:
                forms = [key for key in parts if key.startswith("msgstr")]
                texts = ["".join(json.loads(p) for p in parts[key]) for key in forms] or [""]
                # A plural entry counts as translated only when every form is.
                msgstr = texts[0] if all(texts) else ""
                entries[msgid] = "" if fuzzy else msgstr
    return entries


def template_msgids() -> set[str]:
    """Every string the templates mark for translation, as makemessages would collect it."""
    found: set[str] = set()
    for template in TEMPLATES:
        for name, arguments in _CALL.findall(templatize(template.read_text(encoding="utf-8"))):
            literals = ast.literal_eval(f"[{arguments}]")
            # A plural entry is found by its singular; its plural form is part of the entry.
            found.update(str(text) for text in (literals[:1] if name == "ngettext" else literals))
    return found


def test_every_template_string_has_a_french_translation():
    french = po_entries(CATALOGUE / "django.po")
    wanted = template_msgids()
    assert len(wanted) > 600
    missing = sorted(text for text in wanted if not french.get(text))
    assert missing == [], "run `make messages` and translate these in django.po"


def test_every_string_of_the_catalogue_has_a_french_translation():
    french = po_entries(CATALOGUE / "django.po")
    assert len(french) > 1000
    assert sorted(msgid for msgid, msgstr in french.items() if not msgstr) == []


def test_the_compiled_catalogue_says_what_the_po_says():
    french = po_entries(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    plural = set(
        re.findall(r'^msgid "(.*)"\nmsgid_plural', (CATALOGUE / "django.po").read_text(), re.M)
    )
    differing = [
        msgid
        for msgid, msgstr in french.items()
        if msgid not in plural and compiled.gettext(msgid) != msgstr
    ]
    assert differing == [], "run `make messages` to compile django.mo again"


def test_the_reader_sees_missing_and_guessed_translations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Sign up"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Log in"\nmsgstr "Se déconnecter"\n\nmsgid "Log out"\nmsgstr "Sortir"\n',
        encoding="utf-8",
    )
    assert po_entries(po) == {"Sign up": "", "Log in": "", "Log out": "Sortir"}


@pytest.mark.django_db
def test_a_service_refuses_in_the_readers_language(community, outsider):
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from cultivate.apps.sharing.services import question_ask

    with translation.override("fr"), pytest.raises(PermissionDenied) as refused:
        question_ask(community=community, author=outsider, title="Graisse ?", body="Laquelle ?")
    assert str(refused.value) == "Rejoignez Mechanical Engineering pour participer."


@pytest.mark.django_db
def test_a_french_browser_reads_french(client):
    page = client.get(reverse("communities:directory"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    text = page.content.decode()
    assert '<html lang="fr">' in text
    assert "Communautés de pratique" in text
    assert page["Content-Language"] == "fr"


@pytest.mark.django_db
def test_an_english_browser_reads_english(client):
    page = client.get(reverse("communities:directory"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "Communities of practice" in page.content.decode()


@pytest.mark.django_db
def test_a_person_reads_the_language_they_chose_whatever_the_browser_says(client, make_user):
    person = make_user("fanny", display_name="Fanny")
    person.language = "fr"
    person.save(update_fields=["language"])
    client.force_login(person)
    french = client.get(reverse("communities:directory"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Communautés de pratique" in french.content.decode()
    person.language = "en"
    person.save(update_fields=["language"])
    english = client.get(reverse("communities:directory"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Communities of practice" in english.content.decode()


@pytest.mark.django_db
def test_the_profile_saves_the_chosen_language(client, make_user):
    person = make_user("gaston", display_name="Gaston")
    client.force_login(person)
    response = client.post(
        reverse("people:edit", args=[person.username]),
        {"display_name": "Gaston", "language": "fr", "expertise": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "fr"


@pytest.mark.django_db
def test_a_token_caller_reads_api_errors_in_the_language_they_chose(client, make_user):
    from cultivate.apps.api.services import token_create

    person = make_user("hugo", display_name="Hugo")
    person.language = "fr"
    person.save(update_fields=["language"])
    _token, secret = token_create(user=person, name="script")
    response = client.get("/api/communities/nope", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"] != "No such community."
