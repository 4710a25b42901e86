"""Hand-made Stack Exchange dumps, and reading one whole: shared by the test_stackexchange files.

Kept apart so that the tests on the real dumps (test_stackexchange.py) and those on broken input
(test_stackexchange_damaged.py) build their dumps the same way without importing each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cultivate.core.activity import Activity
from cultivate.core.connectors import read_stackexchange


def read_all(path: Path, **kwargs: Any) -> list[Activity]:
    return [a for batch in read_stackexchange(path, **kwargs) for a in batch]


def row(**attrs: str) -> str:
    return "  <row " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + " />"


def write_dump(folder: Path, posts: list[str] | None = None, **files: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "Posts.xml": posts
        if posts is not None
        else [
            row(
                Id="2",
                PostTypeId="2",
                ParentId="1",
                CreationDate="2020-01-02T10:00:00.000",
                OwnerUserId="3",
                Body="&lt;p&gt;Use &lt;b&gt;X&lt;/b&gt;&lt;/p&gt;",
            ),
            row(
                Id="1",
                PostTypeId="1",
                AcceptedAnswerId="2",
                CreationDate="2020-01-01T09:00:00.000",
                OwnerUserId="4",
                Title="Why?",
                Tags="|pumps|seals|",
                Body="&lt;p&gt;Hm&lt;/p&gt;",
            ),
            row(
                Id="3",
                PostTypeId="2",
                ParentId="1",
                CreationDate="2020-01-03T10:00:00.000",
                OwnerDisplayName="Gone Person",
                Body="b",
            ),
            row(Id="4", PostTypeId="5", CreationDate="2020-01-03T10:00:00.000", Body="wiki"),
        ],
        "Users.xml": [
            row(Id="3", CreationDate="2019-01-01T00:00:00.000", DisplayName="Ann"),
            row(Id="4", CreationDate="2019-01-01T00:00:00.000", DisplayName="Bo"),
        ],
        "Comments.xml": [
            row(
                Id="9",
                PostId="2",
                CreationDate="2020-01-02T11:00:00.000",
                UserId="4",
                Text="thanks",
            ),
            row(Id="10", PostId="4", CreationDate="2020-01-02T11:00:00.000", UserId="4", Text="x"),
        ],
    }
    contents.update({name.replace("_", "") + ".xml": rows for name, rows in files.items()})
    for name, rows in contents.items():
        root = name[:-4].lower()
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + f"<{root}>\n" + "\n".join(rows)
        (folder / name).write_text(text + f"\n</{root}>\n", encoding="utf-8")
    return folder
