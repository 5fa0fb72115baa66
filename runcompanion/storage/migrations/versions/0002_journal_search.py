"""Journal search: an FTS5 index over every run's session and reflection, kept in sync by triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2024-12-02

``journal_search`` has one row per run (rowid = runs.id) with four columns: the session's name and tags, the
reflection's prompt, its text and its tags. Triggers on runs, reflections and reflection_tags keep it right
whichever code writes, so no write path can forget it.

It is an ordinary FTS5 table that keeps its own copy of the text. An external-content or contentless table
would save that copy, but on SQLite 3.40 (Debian 12) both need every trigger to hand back the exact old
values of each row to delete it from the index; with tags and the session name in other tables those old
values are easy to get wrong, and a wrong one corrupts the index without a sound. A copy cannot go stale.

Batch migrations that copy ``runs``, ``reflections`` or ``reflection_tags`` drop the table and with it these
triggers: such a migration must create them again (the test suite checks that they exist at head).

The index ``ix_runs_session_id`` serves the journal's filter by session.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# remove_diacritics 2: "cafe" finds "café". prefix: index 2- and 3-letter prefixes, because every search word
# is a prefix query (the runner is still typing).
_CREATE_TABLE = """
CREATE VIRTUAL TABLE journal_search USING fts5(
    session, prompt, text, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
)
"""

# The session column: name and tags (a comma separates stored tags; the tokenizer splits on it).
_SESSION_OF_NEW_RUN = "NEW.session_name || ' ' || NEW.session_tags"
_TAGS_OF = "coalesce((SELECT group_concat(tag, ' ') FROM reflection_tags WHERE reflection_id = {id}), '')"

_TRIGGERS: dict[str, str] = {
    "journal_search_run_added": f"""
        AFTER INSERT ON runs BEGIN
            INSERT INTO journal_search (rowid, session, prompt, text, tags)
            VALUES (NEW.id, {_SESSION_OF_NEW_RUN}, '', '', '');
        END""",
    "journal_search_run_renamed": f"""
        AFTER UPDATE OF session_name, session_tags ON runs BEGIN
            UPDATE journal_search SET session = {_SESSION_OF_NEW_RUN} WHERE rowid = NEW.id;
        END""",
    "journal_search_run_removed": """
        AFTER DELETE ON runs BEGIN
            DELETE FROM journal_search WHERE rowid = OLD.id;
        END""",
    "journal_search_reflection_added": f"""
        AFTER INSERT ON reflections BEGIN
            UPDATE journal_search SET prompt = NEW.prompt, text = NEW.text, tags = {_TAGS_OF.format(id="NEW.id")}
            WHERE rowid = NEW.run_id;
        END""",
    "journal_search_reflection_changed": f"""
        AFTER UPDATE OF prompt, text, run_id ON reflections BEGIN
            UPDATE journal_search SET prompt = '', text = '', tags = ''
            WHERE rowid = OLD.run_id AND OLD.run_id IS NOT NEW.run_id;
            UPDATE journal_search SET prompt = NEW.prompt, text = NEW.text, tags = {_TAGS_OF.format(id="NEW.id")}
            WHERE rowid = NEW.run_id;
        END""",
    "journal_search_reflection_removed": """
        AFTER DELETE ON reflections BEGIN
            UPDATE journal_search SET prompt = '', text = '', tags = '' WHERE rowid = OLD.run_id;
        END""",
    "journal_search_tag_added": f"""
        AFTER INSERT ON reflection_tags BEGIN
            UPDATE journal_search SET tags = {_TAGS_OF.format(id="NEW.reflection_id")}
            WHERE rowid = (SELECT run_id FROM reflections WHERE id = NEW.reflection_id);
        END""",
    "journal_search_tag_changed": f"""
        AFTER UPDATE ON reflection_tags BEGIN
            UPDATE journal_search SET tags = {_TAGS_OF.format(id="OLD.reflection_id")}
            WHERE rowid = (SELECT run_id FROM reflections WHERE id = OLD.reflection_id);
            UPDATE journal_search SET tags = {_TAGS_OF.format(id="NEW.reflection_id")}
            WHERE rowid = (SELECT run_id FROM reflections WHERE id = NEW.reflection_id);
        END""",
    "journal_search_tag_removed": f"""
        AFTER DELETE ON reflection_tags BEGIN
            UPDATE journal_search SET tags = {_TAGS_OF.format(id="OLD.reflection_id")}
            WHERE rowid = (SELECT run_id FROM reflections WHERE id = OLD.reflection_id);
        END""",
}

# Runs and reflections written before this revision go into the index once, here.
_BACKFILL = f"""
INSERT INTO journal_search (rowid, session, prompt, text, tags)
SELECT runs.id,
       runs.session_name || ' ' || runs.session_tags,
       coalesce(reflections.prompt, ''),
       coalesce(reflections.text, ''),
       {_TAGS_OF.format(id="reflections.id")}
FROM runs LEFT JOIN reflections ON reflections.run_id = runs.id
"""


def upgrade() -> None:
    op.create_index(op.f("ix_runs_session_id"), "runs", ["session_id"])
    op.execute(_CREATE_TABLE)
    op.execute(_BACKFILL)
    for name, body in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in reversed(_TRIGGERS):
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE journal_search")
    op.drop_index(op.f("ix_runs_session_id"), table_name="runs")
