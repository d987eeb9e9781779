"""The throw-away PostgreSQL database of a check (the production smoke test, the load benchmark)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql


def recreate_database(database_url: str, marker: str) -> str:
    """Drop and create the database of `database_url`, whose name must contain `marker` (so that a production
    database is never dropped by mistake); returns its name."""
    parts = urlsplit(database_url)
    name = unquote(parts.path.lstrip("/"))
    if parts.scheme not in {"postgres", "postgresql"} or marker not in name:
        raise SystemExit(f"Il database di prova deve essere PostgreSQL e avere «{marker}» nel nome: {name!r}")
    conninfo = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "dbname": "postgres",
    }
    if parts.password:
        conninfo["password"] = unquote(parts.password)
    with psycopg.connect(**conninfo, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name
