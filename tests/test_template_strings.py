"""Every word a template shows is marked for translation; the finder sees what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

import cultivate
from cultivate.tools.template_strings import untranslated, wrap

_ROOT = Path(cultivate.__file__).parent
TEMPLATES = sorted([*_ROOT.rglob("templates/**/*.html"), *_ROOT.rglob("templates/**/*.txt")])


def test_the_templates_are_found() -> None:
    assert len(TEMPLATES) > 80


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("templates/")[-1])
def test_every_template_string_is_marked_for_translation(template: Path) -> None:
    left = [run.text for run in untranslated(template.read_text(encoding="utf-8"))]
    assert left == [], f"{template}: mark these for translation (tools/template_strings.py)"


def test_plain_text_and_human_attributes_are_seen():
    source = '<p>Ask a question</p><input placeholder="Your title" value="{{ v }}">'
    assert [run.text for run in untranslated(source)] == ["Ask a question", "Your title"]


def test_text_marked_hidden_or_scripted_is_not_reported():
    source = (
        "{% load i18n %}<h1>{% translate 'Welcome' %}</h1>"
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
        "{# a note #}{% comment %}draft words{% endcomment %}"
        "<script>const words = 'not shown';</script><p>Cultivate · {{ x }}</p>"
    )
    assert untranslated(source) == []


def test_text_with_variables_is_wrapped_with_named_variables():
    source = "<p>{{ community.name }} has {{ n }} members</p>"
    wrapped, left = wrap(source)
    assert left == []
    assert wrapped == (
        "{% load i18n %}<p>{% blocktranslate trimmed with name=community.name n=n %}"
        "{{ name }} has {{ n }} members{% endblocktranslate %}</p>"
    )
    assert untranslated(wrapped) == []


def test_the_load_goes_after_an_extends():
    wrapped, _ = wrap('{% extends "base.html" %}\n{% block content %}<p>Hi there</p>{% endblock %}')
    assert wrapped.startswith('{% extends "base.html" %}\n{% load i18n %}\n')
