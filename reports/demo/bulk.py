"""Plain rows into a table at speed, for `synth` and the bench: COPY on PostgreSQL, multi-row
INSERTs on SQLite. No model instances, no signals, no history."""

from django.db import connection, models


def bulk_insert(model, rows: list[dict]) -> None:
    """Inserts plain dicts (keyed by attribute name, all alike) by COPY on PostgreSQL and multi-row
    INSERTs on SQLite: Django's bulk_create spends most of its time preparing each value of each
    model instance. Columns not given get the field's default (auto_now: now), prepared once."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    given = {field.attname for field in fields}
    template = model()
    others = [field for field in model._meta.concrete_fields
              if field.attname not in given and not field.primary_key]
    defaults = tuple(field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in others)
    adapters = [(field.attname, _adapter(field)) for field in fields]
    quote = connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields + others)})"
    values = ((*(adapt(row[name]) for name, adapt in adapters), *defaults) for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        # SQLite takes up to 32,766 parameters in one statement.
        width = len(fields) + len(others)
        per_statement = max(1, min(1000, 30000 // width))
        one = f"({', '.join(['%s'] * width)})"
        while batch := [value for _n, row in zip(range(per_statement), values) for value in row]:
            cursor.execute(f"INSERT INTO {table} VALUES " + ", ".join([one] * (len(batch) // width)), batch)


def _adapter(field):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return lambda value: value
