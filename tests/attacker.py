"""What a database reader reads: raw pages and WAL through PostgreSQL itself."""

from django.db import connection


def raw_database_bytes() -> bytes:
    """Every page of every table, index and TOAST relation, dead tuples included, as
    pageinspect reads them, plus the WAL segment being written."""
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            "SELECT c.oid::regclass::text, pg_relation_size(c.oid) / current_setting('block_size')::int"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 't', 'i') AND n.nspname IN ('public', 'pg_toast')"
            " AND c.relpersistence = 'p'"
        )
        for name, blocks in cursor.fetchall():
            for block in range(blocks):
                cursor.execute("SELECT get_raw_page(%s, %s)", [name, block])
                chunks.append(bytes(cursor.fetchone()[0]))
        cursor.execute("SELECT pg_walfile_name(pg_current_wal_insert_lsn())")
        wal = cursor.fetchone()[0]
        cursor.execute("SELECT pg_read_binary_file('pg_wal/' || %s)", [wal])
        chunks.append(bytes(cursor.fetchone()[0]))
    return b"".join(chunks)


def encodings(number: int) -> list[bytes]:
    size = (number.bit_length() + 7) // 8
    return [
        format(number, "x").encode(),
        format(number, "X").encode(),
        str(number).encode(),
        number.to_bytes(size, "big"),
        number.to_bytes(size, "little"),
    ]
