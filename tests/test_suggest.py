"""The one "did you mean" of every message that names an unknown key."""

from __future__ import annotations

from exporter.errors import suggest


def test_the_closest_known_word_is_suggested() -> None:
    assert suggest("titel", ("title", "date", "theme")) == "did you mean `title`?"
    assert suggest("sectoin", ["page", "section"]) == "did you mean `section`?"


def test_nothing_is_suggested_when_no_word_is_close() -> None:
    assert suggest("zzzz", ("title", "date")) == ""
    assert suggest("title", ()) == ""


def test_any_iterable_of_known_words_will_do() -> None:
    assert suggest("fonst", {"fonts": 1, "colours": 2}) == "did you mean `fonts`?"
