"""Keep a dialogue state per session (was: the last search only); vehicles get a drivetrain.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 11:30:00.000000
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_sessions = sa.table(
    "chat_sessions",
    sa.column("id", sa.String(36)),
    sa.column("last_query", sa.JSON()),
    sa.column("dialogue", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("vehicles") as batch:
        batch.add_column(sa.Column("drivetrain", sa.String(length=10), nullable=True))
    with op.batch_alter_table("chat_sessions") as batch:
        batch.add_column(sa.Column("dialogue", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_sessions.c.id, _sessions.c.last_query).where(_sessions.c.last_query.is_not(None))
    ).all()
    for session_id, last_query in rows:
        query = json.loads(last_query) if isinstance(last_query, str) else last_query
        connection.execute(
            _sessions.update()
            .where(_sessions.c.id == session_id)
            .values(dialogue={"search": query, "shown": [], "focus": None})
        )
    with op.batch_alter_table("chat_sessions") as batch:
        batch.drop_column("last_query")


def downgrade() -> None:
    with op.batch_alter_table("chat_sessions") as batch:
        batch.add_column(sa.Column("last_query", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_sessions.c.id, _sessions.c.dialogue).where(_sessions.c.dialogue.is_not(None))
    ).all()
    for session_id, dialogue in rows:
        state = json.loads(dialogue) if isinstance(dialogue, str) else dialogue
        connection.execute(
            _sessions.update()
            .where(_sessions.c.id == session_id)
            .values(last_query=(state or {}).get("search"))
        )
    with op.batch_alter_table("chat_sessions") as batch:
        batch.drop_column("dialogue")
    with op.batch_alter_table("vehicles") as batch:
        batch.drop_column("drivetrain")
