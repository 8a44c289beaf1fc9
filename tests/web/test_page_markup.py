"""Markup written in Python for speed reads exactly as what it replaced: ``link_html`` as the Jinja
``link`` macro (kept here as the reference, rendered by the app's own Jinja environment, its
``finalize`` and autoescape), for hostile labels and hrefs too; ``indented_json`` as
``json.dumps(..., indent=...)``."""

from __future__ import annotations

import json
import math

import pytest
from flask import Flask
from markupsafe import Markup

from kgpub.web.render.values import Link, link_html
from kgpub.web.security import indented_json

MACRO = (
    "{% macro link(l) -%}\n{%- set h = l.href|href -%}\n"
    '{%- if h %}<a href="{{ h }}"{% if l.kind %} class="k-{{ l.kind }}"{% endif %}>{{ l.label }}</a>'
    '{% else %}<span class="nolink">{{ l.label }}</span>{% endif -%}\n'
    "{%- endmacro %}{{ link(l) }}"
)

LINKS = [
    Link("Ada Quinn", "/id/person/p1", "http://localhost:8080/id/person/p1", "person"),
    Link("plain text", None),
    Link('<script>alert("x")</script> & \'q\'', "/id/work/w1?a=1&b=<2>", "", "work"),
    Link("evil\u202etxt.exe", "https://example.org/\u202e", "", "ki\u2066nd"),
    Link("js", "javascript:alert(1)", "", "work"),
    Link("data", "data:text/html,<b>x</b>", "", None),
    Link("", "//evil.example/", "", ""),
    Link(Markup("<b>kept</b>"), "mailto:a@b.example", "", "other"),  # type: ignore[arg-type]
    Link("number", "http://", "", "x"),
]


@pytest.mark.parametrize("link", [*LINKS, {"label": "a dict", "href": "/id/topic/cs.LG"}, {"label": "no href"}])
def test_link_html_is_the_macro(web_app: Flask, link: object) -> None:
    with web_app.test_request_context("/"):
        expected = web_app.jinja_env.from_string(MACRO).render(l=link)
        assert str(link_html(link)) == expected


DOCUMENTS = [
    {
        "@context": {"@vocab": "http://schema.org/"},
        "@graph": [{"@id": "x", "name": ["Zoë \u202e </script> \"q\" \\ \n\t\x01"]}],
    },
    {"empty": {}, "none": [], "nested": [[], [{}], [[1, 2.5, -0.0, True, False, None]]], "": ""},
    ["名前", "🧪", {"a": {"b": {"c": ["deep"]}}}, ("tuple", "kept")],
    "just a string",
    12,
    {1: "int key", "k": math.inf},  # not plain: json.dumps itself answers
    [],
    {},
]


@pytest.mark.parametrize("doc", DOCUMENTS)
@pytest.mark.parametrize("indent", [1, 2, 4])
def test_indented_json_is_json_dumps(doc: object, indent: int) -> None:
    assert indented_json(doc, indent) == json.dumps(doc, ensure_ascii=False, indent=indent)
