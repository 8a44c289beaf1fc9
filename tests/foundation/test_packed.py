"""kgpub.packed: strings kept as one text plus end offsets, and the file format of the search index."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from pathlib import Path

import pytest

from kgpub.packed import MAGIC, Strings, dump, parse, read

ITEMS = ["Ada Quinn", "", "Zoë Ångström", "名前", "emoji 🧪 x", "two\nlines", "tab\there", "", "last"]


def test_strings_read_as_the_list_they_were_made_of() -> None:
    s = Strings.of(ITEMS)
    assert len(s) == len(ITEMS) and list(s) == ITEMS and s == ITEMS
    assert [s[i] for i in range(len(ITEMS))] == ITEMS
    assert s[-1] == "last" and s[-2] == "" and s[2:5] == ITEMS[2:5]
    with pytest.raises(IndexError):
        s[len(ITEMS)]
    assert Strings.of([]) == [] and len(Strings.of([])) == 0


def test_bisect_over_a_sorted_packed_vocabulary() -> None:
    words = sorted({"graph", "grapheme", "network", "neural", "a", "zeta", "ångström"})
    packed = Strings.of(words)
    for probe in ["gr", "graph", "n", "", "zz", "å", "b"]:
        assert bisect_left(packed, probe) == bisect_left(words, probe), probe


def test_a_file_round_trips_and_a_damaged_one_is_refused() -> None:
    fields = {"labels": Strings.of(ITEMS), "flat": array("I", [0, 5, 2**32 - 1]), "none": array("I")}
    data = dump({"version": 1, "base": "http://localhost:8080/"}, fields)
    header, back = parse(data)
    assert header == {"version": 1, "base": "http://localhost:8080/"}
    assert back == fields and list(back) == list(fields)
    for broken in [data[:-1], data + b"x", b"{}" + data, data.replace(MAGIC, b"kgpub-packed 9\n")]:
        with pytest.raises(ValueError):
            parse(broken)
    with pytest.raises(TypeError):
        dump({}, {"bad": ["a", "list"]})  # type: ignore[dict-item]


def test_strings_refuse_offsets_that_do_not_fit_the_text() -> None:
    with pytest.raises(ValueError):
        Strings(b"abc", array("I", [1, 2]))
    with pytest.raises(ValueError):
        Strings(b"abc", array("i", [3]))
    with pytest.raises(ValueError):
        Strings(b"abc", array("I"))


def test_a_mapped_file_reads_lazily_and_outlives_its_replacement(tmp_path: Path) -> None:
    path = tmp_path / "index.bin"
    path.write_bytes(dump({"n": 1}, {"labels": Strings.of(ITEMS), "flat": array("I", [7, 8])}))
    header, fields = read(path)
    labels = fields["labels"]
    assert header == {"n": 1} and list(labels) == ITEMS and list(fields["flat"]) == [7, 8]
    assert isinstance(labels, Strings) and isinstance(labels.data, memoryview)  # not copied
    replacement = tmp_path / "new.bin"
    replacement.write_bytes(dump({"n": 2}, {"labels": Strings.of(["other"]), "flat": array("I")}))
    replacement.replace(path)  # how a summary file is rewritten
    assert list(labels) == ITEMS  # the old mapping still reads the old file
    assert list(read(path)[1]["labels"]) == ["other"]
    (tmp_path / "empty.bin").write_bytes(b"")
    with pytest.raises(ValueError):
        read(tmp_path / "empty.bin")
