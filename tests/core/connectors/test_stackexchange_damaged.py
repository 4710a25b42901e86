"""The Stack Exchange reader on broken input: damaged files and zips are refused by position.

Fuzzed bytes, XML, attributes and zips raise nothing but SourceError; malformed and unusual votes
are refused or counted. The dumps are built as in stackexchange_dumps.py.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cultivate.core.connectors import SourceError, people_stackexchange, read_stackexchange

from .stackexchange_dumps import read_all, row, write_dump

# --- broken input -----------------------------------------------------------------------------


def error_of(path: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_all(path)
    return caught.value


def test_a_missing_posts_file_is_named(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    (dump / "Posts.xml").unlink()
    error = error_of(dump)
    assert error.path.endswith("Posts.xml")
    assert "missing" in error.expected


def test_malformed_xml_names_the_file_line_and_column(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    lines = (dump / "Posts.xml").read_text().splitlines()
    lines[3] = lines[3].replace("/>", ">")  # an unclosed <row> on line 4
    (dump / "Posts.xml").write_text("\n".join(lines))
    error = error_of(dump)
    assert error.path == str(dump / "Posts.xml")
    assert re.fullmatch(r"line \d+, column \d+", error.where)
    assert "well-formed XML" in error.expected
    assert str(error).startswith(str(dump / "Posts.xml"))


def test_a_bad_date_names_the_row_line_and_attribute(tmp_path: Path) -> None:
    posts = [
        row(Id="1", PostTypeId="1", CreationDate="2020-01-01T00:00:00"),
        row(Id="7", PostTypeId="1", CreationDate="yesterday"),
    ]
    error = error_of(write_dump(tmp_path / "se-x", posts=posts))
    assert error.where == "line 4, column 3 (row Id=7)"
    assert "CreationDate" in error.expected
    assert "yesterday" in error.expected


def test_a_wrong_root_or_missing_id_is_refused(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x", posts=[row(PostTypeId="1", CreationDate="2020-01-01")])
    assert "Id" in error_of(dump).expected
    (dump / "Posts.xml").write_text("<users><row Id='1'/></users>")
    assert "<posts> root" in error_of(dump).expected


def test_a_file_in_the_wrong_encoding_is_named_with_its_position(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    (dump / "Comments.xml").write_bytes(
        '<?xml version="1.0" encoding="utf-8"?>\n<comments>\n'
        '  <row Id="9" PostId="2" CreationDate="2020-01-02" UserId="4" Text="café" />\n'
        "</comments>\n".encode("latin-1")
    )
    error = error_of(dump)
    assert error.path.endswith("Comments.xml")
    assert error.where.startswith("line 3, column")


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    (dump / "Posts.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE posts [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<posts><row Body="&b;"/></posts>'
    )
    assert "entity" in error_of(dump).expected


def test_a_truncated_zip_is_named(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    archive = Path(shutil.make_archive(str(tmp_path / "se-x"), "zip", dump))
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    error = error_of(archive)
    assert error.path == str(archive)
    assert "zip" in error.expected


def test_a_corrupt_member_of_a_zip_is_named_by_member(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "se-x")
    archive = tmp_path / "se-x.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        for child in sorted(dump.iterdir()):
            z.write(child, child.name)
    data = bytearray(archive.read_bytes())
    start = data.index(b"<posts>")
    data[start + 20 : start + 30] = b"XXXXXXXXXX"  # the central directory stays whole
    archive.write_bytes(bytes(data))
    error = error_of(archive)
    assert error.path == f"{archive}!Posts.xml"
    assert error.where.startswith("byte ")


def test_a_7z_dump_or_a_missing_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ai.stackexchange.com.7z").write_bytes(b"7z")
    assert ".7z" in error_of(tmp_path / "ai.stackexchange.com.7z").expected
    assert "existing" in error_of(tmp_path / "nowhere").expected


# --- fuzzing ----------------------------------------------------------------------------------

SMALL_POSTS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
    + row(
        Id="1",
        PostTypeId="1",
        CreationDate="2020-01-01T09:00:00.000",
        OwnerUserId="4",
        Title="Why?",
        Tags="&lt;a&gt;&lt;b&gt;",
        AcceptedAnswerId="2",
    )
    + "\n"
    + row(Id="2", PostTypeId="2", ParentId="1", CreationDate="2020-01-02T10:00:00.000")
    + "\n</posts>\n"
).encode()


def only_source_errors(path: Path) -> None:
    try:
        read_all(path)
        list(people_stackexchange(path))
    except SourceError as error:
        refused = error
    else:
        return
    assert refused.path
    assert refused.where
    assert refused.expected


FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_posts_raise_nothing_but_source_errors(tmp_path: Path, data: bytes) -> None:
    dump = write_dump(tmp_path / "se-fuzz")
    (dump / "Posts.xml").write_bytes(data)
    only_source_errors(dump)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_zip_raise_nothing_but_source_errors(tmp_path: Path, data: bytes) -> None:
    archive = tmp_path / "se-fuzz.zip"
    archive.write_bytes(b"PK\x03\x04" + data)
    only_source_errors(archive)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(SMALL_POSTS)), st.integers(0, 4), st.binary(max_size=4)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_xml_raises_nothing_but_source_errors(
    tmp_path: Path, edits: list[tuple[int, int, bytes]]
) -> None:
    data = bytearray(SMALL_POSTS)
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    dump = write_dump(tmp_path / "se-fuzz")
    (dump / "Posts.xml").write_bytes(bytes(data))
    only_source_errors(dump)


@FUZZ
@given(
    value=st.text(max_size=30),
    attribute=st.sampled_from(
        [
            "Id",
            "PostTypeId",
            "CreationDate",
            "ParentId",
            "OwnerUserId",
            "AcceptedAnswerId",
            "Tags",
            "Score",
            "OwnerDisplayName",
        ]
    ),
)
def test_any_attribute_value_raises_nothing_but_source_errors(
    tmp_path: Path, value: str, attribute: str
) -> None:
    attrs = {"Id": "5", "PostTypeId": "2", "ParentId": "1", "CreationDate": "2020-01-01"}
    element = ET.Element("row", {**attrs, attribute: value})
    text = ET.tostring(element, encoding="unicode")
    dump = write_dump(tmp_path / "se-fuzz")
    posts = (dump / "Posts.xml").read_text().replace("</posts>", f"{text}\n</posts>")
    (dump / "Posts.xml").write_text(posts, encoding="utf-8")
    only_source_errors(dump)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 3), st.binary(max_size=3)),
        min_size=1,
        max_size=3,
    )
)
def test_a_mutated_zip_raises_nothing_but_source_errors(
    tmp_path: Path, edits: list[tuple[int, int, bytes]]
) -> None:
    base, archive = tmp_path / "base.zip", tmp_path / "se-fuzz.zip"
    if not base.exists():  # tmp_path is shared by all examples of one run
        dump = write_dump(tmp_path / "se-fuzz-base")
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as z:
            for child in sorted(dump.iterdir()):
                z.write(child, child.name)
    data = bytearray(base.read_bytes())
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    archive.write_bytes(bytes(data))
    only_source_errors(archive)


def test_found_by_fuzzing_an_unknown_encoding_or_an_encrypted_member_is_a_source_error(
    tmp_path: Path,
) -> None:
    dump = write_dump(tmp_path / "se-x")
    posts = (dump / "Posts.xml").read_text().replace('encoding="utf-8"', 'encoding="tf-8"')
    (dump / "Posts.xml").write_text(posts)
    assert "known encoding" in error_of(dump).expected
    archive = tmp_path / "se-y.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for child in sorted(write_dump(tmp_path / "se-y").iterdir()):
            z.write(child, child.name)
    data = bytearray(archive.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag everywhere
        start = 0
        while (start := data.find(header, start)) != -1:
            flag = start + (6 if header == b"PK\x03\x04" else 8)
            data[flag] |= 1
            start += 4
    archive.write_bytes(bytes(data))
    assert "encrypted" in error_of(archive).expected


def test_an_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    dump = write_dump(tmp_path / "se-x")
    (dump / "Posts.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE posts [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        '<posts><row Id="1" PostTypeId="1" CreationDate="2020-01-01" Body="&s;"/></posts>'
    )
    assert "entity" in error_of(dump).expected


@pytest.mark.parametrize(
    ("vote", "expected"),
    [
        ('<row Id="1" PostId="1" VoteTypeId="2" CreationDate="garbage" />', "CreationDate"),
        ('<row Id="1" PostId="1" VoteTypeId="2" CreationDate="" />', "CreationDate"),
        ('<row Id="1" PostId="x1" VoteTypeId="2" CreationDate="2020-01-01T00:00:00" />', "PostId"),
    ],
)
def test_a_malformed_vote_is_refused_by_its_position_even_on_the_fast_path(
    tmp_path: Path, vote: str, expected: str
) -> None:
    dump = write_dump(tmp_path / "se-pumps", Votes=[vote])
    with pytest.raises(SourceError, match=expected):
        list(read_stackexchange(dump))


def test_a_vote_on_a_post_id_beyond_64_bits_is_still_counted(tmp_path: Path) -> None:
    huge = "99999999999999999999"
    dump = write_dump(
        tmp_path / "se-pumps",
        Votes=[
            f'<row Id="1" PostId="{huge}" VoteTypeId="2" CreationDate="2020-01-01T00:00:00" />',
            '<row Id="2" PostId="1" VoteTypeId="2" CreationDate="2020-01-01T00:00:00" />',
        ],
    )
    activities = [a for batch in read_stackexchange(dump) for a in batch]
    question = next(a for a in activities if a.verb.value == "ask")
    assert question.meta["upvotes"] == 1
