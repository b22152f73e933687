"""Fast bulk INSERTs (and upserts) for the imports, with the rows simple-history keeps.

`QuerySet.bulk_create` prepares every value of every object through its field: about 0.5 ms
for a monthly report and its history row, a minute for 100,000 rows. Here rows are plain tuples
and only values that are not ints, strings or booleans (dates, JSON) go through their field, so
the same rows take seconds. Columns the caller leaves out get the field's default, as `Model()`
would, so a field added to a model later (with a default, or nullable) does not break an import.

PostgreSQL gets the rows by COPY into a temporary table, then one INSERT … SELECT; SQLite
(≥ 3.35) gets multi-row VALUES lists. Both upsert with `ON CONFLICT … DO UPDATE` and give the
new primary keys with `RETURNING`.
"""

import sqlite3
from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction

from cadres.imports import tabular

_ROWS_PER_STATEMENT = 5000
# Values of these fields go to the database driver as they are: ints, strings, booleans, None.
_NATIVE = (models.IntegerField, models.CharField, models.BooleanField, models.ForeignKey)
_ORDER = "kkb_row"  # the row's position in the temporary table, so RETURNING follows `rows`


class Table:
    """Bulk INSERTs into a model's table. `columns` are attnames (`rt_id`, not `rt`); every other
    concrete field but an auto primary key is written with its default.

    `names` is the full column list: `columns` then the defaulted ones. `complete(values)` turns
    a tuple in `columns` order into a row in `names` order, which `insert` takes.
    """

    def __init__(self, model, columns: Sequence[str]):
        self.model = model
        fields = {field.attname: field for field in model._meta.concrete_fields}
        defaulted = [
            field for field in model._meta.concrete_fields
            if field.attname not in columns and not isinstance(field, models.AutoField)
        ]
        self.names = list(columns) + [field.attname for field in defaulted]
        self._defaults = tuple(field.get_default() for field in defaulted)
        self._columns = [fields[name].column for name in self.names]
        self._preps = [
            (index, fields[name].get_db_prep_save) for index, name in enumerate(self.names)
            if not isinstance(fields[name], _NATIVE)
        ]

    def complete(self, values: Sequence) -> tuple:
        return tuple(values) + self._defaults

    def insert(
        self, rows: Iterable[Sequence], *, unique_fields: Sequence[str] = (), returning: str | None = None
    ) -> list:
        """Inserts the rows; with `unique_fields` (field names), a row whose key exists overwrites
        every other column. Returns the `returning` column of each row, in the order of `rows`."""
        returned = []
        # Prepared values per column: the same few dates and timestamps recur on every row.
        prepared = [{} for _ in self._preps]
        insert = self._insert_postgresql if connection.vendor == "postgresql" else self._insert_sqlite
        with transaction.atomic():
            for batch in tabular.batched(rows, self._rows_per_statement()):
                batch = [list(row) for row in batch]
                for row in batch:
                    for (index, prep), cache in zip(self._preps, prepared):
                        row[index] = _prepared(row[index], prep, cache)
                returned += insert(batch, unique_fields, returning)
        return returned

    def _insert_sqlite(self, batch: list[list], unique_fields, returning) -> list:
        placeholders = "(" + ", ".join(["%s"] * len(self.names)) + ")"
        sql = f"{self._into()} VALUES {', '.join([placeholders] * len(batch))}"
        with connection.cursor() as cursor:
            cursor.execute(sql + self._tail(unique_fields, returning), [value for row in batch for value in row])
            return [values[0] for values in cursor.fetchall()] if returning else []

    def _insert_postgresql(self, batch: list[list], unique_fields, returning) -> list:
        quote = connection.ops.quote_name
        temporary = quote(f"kkb_import_{self.model._meta.db_table}")
        columns = ", ".join(map(quote, self._columns))
        with connection.cursor() as cursor:
            # Same column types as the table, no constraints; dropped after use (or on rollback).
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temporary} ON COMMIT DROP AS "
                f"SELECT 0::bigint AS {_ORDER}, {columns} FROM {quote(self.model._meta.db_table)} WITH NO DATA"
            )
            with cursor.copy(f"COPY {temporary} ({_ORDER}, {columns}) FROM STDIN") as copy:
                for position, row in enumerate(batch):
                    copy.write_row([position, *row])
            cursor.execute(
                f"{self._into()} SELECT {columns} FROM {temporary} ORDER BY {_ORDER}"
                + self._tail(unique_fields, returning)
            )
            returned = [values[0] for values in cursor.fetchall()] if returning else []
            cursor.execute(f"DROP TABLE {temporary}")
            return returned

    def _into(self) -> str:
        quote = connection.ops.quote_name
        return f"INSERT INTO {quote(self.model._meta.db_table)} ({', '.join(map(quote, self._columns))})"

    def _tail(self, unique_fields: Sequence[str], returning: str | None) -> str:
        quote = connection.ops.quote_name
        sql = ""
        if unique_fields:
            key = [self.model._meta.get_field(name).column for name in unique_fields]
            updates = [f"{quote(column)} = EXCLUDED.{quote(column)}" for column in self._columns if column not in key]
            sql += f" ON CONFLICT ({', '.join(map(quote, key))}) DO UPDATE SET {', '.join(updates)}"
        if returning:
            sql += f" RETURNING {quote(self.model._meta.get_field(returning).column)}"
        return sql

    def _rows_per_statement(self) -> int:
        if connection.vendor == "postgresql":
            return _ROWS_PER_STATEMENT
        return max(1, min(_ROWS_PER_STATEMENT, _sqlite_max_params() // len(self.names)))


class HistoryTable:
    """The simple-history rows of rows written through a `Table` of the same model."""

    HISTORY_COLUMNS = ["history_date", "history_change_reason", "history_type", "history_user_id"]

    def __init__(self, table: Table):
        history_model = table.model.history.model
        tracked = {field.attname for field in history_model.tracked_fields}
        pk = table.model._meta.pk.attname
        self._picked = [index for index, name in enumerate(table.names) if name in tracked]
        self._table = Table(history_model, [pk] + [table.names[index] for index in self._picked] + self.HISTORY_COLUMNS)

    def insert(self, entries: Iterable[tuple[int, str, Sequence]], *, date, reason: str) -> None:
        """One history row per (primary key, history type `+`/`~`, row as given to Table.insert)."""
        self._table.insert(
            (pk, *(row[index] for index in self._picked), date, reason, history_type, None)
            for pk, history_type, row in entries
        )


def _prepared(value, prep, cache: dict):
    try:
        return cache[value]
    except KeyError:
        cache[value] = result = prep(value, connection)
        return result
    except TypeError:  # unhashable, e.g. a JSON dict
        return prep(value, connection)


def _sqlite_max_params() -> int:
    connection.ensure_connection()
    # SQLite ≥ 3.32 allows 32,766 parameters; Django assumes the old 999: ~20 rows a statement.
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
