"""Add the database's own full-text index beside SearchDocument.

SQLite: an FTS5 external-content table kept in step by triggers. PostgreSQL: a stored,
generated tsvector column with a GIN index. Django's models know nothing of either; only
search.selectors reads them.

On SQLite, Django rebuilds a table to alter it and the rebuild drops triggers: a later migration
that alters SearchDocument must run the trigger statements of SQLITE_FORWARD again.
On PostgreSQL, changing the type of title, body or tags needs the generated column dropped first.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_searchdocument_fts USING fts5(
        title, body, tags,
        content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_searchdocument_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_searchdocument_fts(rowid, title, body, tags)
        VALUES (new.id, new.title, new.body, new.tags);
    END
    """,
    """
    CREATE TRIGGER search_searchdocument_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rowid, title, body, tags)
        VALUES ('delete', old.id, old.title, old.body, old.tags);
    END
    """,
    # Only a change of the indexed text re-indexes; hiding a document touches is_hidden alone.
    """
    CREATE TRIGGER search_searchdocument_fts_au
    AFTER UPDATE OF title, body, tags ON search_searchdocument BEGIN
        INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rowid, title, body, tags)
        VALUES ('delete', old.id, old.title, old.body, old.tags);
        INSERT INTO search_searchdocument_fts(rowid, title, body, tags)
        VALUES (new.id, new.title, new.body, new.tags);
    END
    """,
    "INSERT INTO search_searchdocument_fts(search_searchdocument_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_au",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_ai",
    "DROP TABLE IF EXISTS search_searchdocument_fts",
]

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(tags, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX search_searchdocument_vector_gin ON search_searchdocument"
    " USING GIN (search_vector)",
]

POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchdocument_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Build the index this database understands; other databases get none."""
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD})


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Drop what forward built."""
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
