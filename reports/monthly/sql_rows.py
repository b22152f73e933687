"""Model instances from plain SQL rows, as the ORM makes them: for the few statements written
out by hand where building them through the ORM cost more CPU than running them."""


class Columns:
    """Columns of one model read under a table alias: their SQL, and the instance they make."""

    def __init__(self, connection, model, alias: str, names: tuple[str, ...]):
        # In the model's order of fields: `from_db` takes the values of the fields named in that order.
        fields = [field for field in model._meta.concrete_fields if field.attname in names]
        self.model, self.names, self.connection = model, tuple(field.attname for field in fields), connection
        self.pk_index = self.names.index(model._meta.pk.attname)
        quote = connection.ops.quote_name
        self.sql = [f"{alias}.{quote(field.column)}" for field in fields]
        self.converters = []
        for field in fields:
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            self.converters.append([(converter, column) for converter in found])

    def instance(self, values, db: str):
        """The model instance of these values, or None when the outer join found no row."""
        if values[self.pk_index] is None:
            return None
        converted = []
        for value, converters in zip(values, self.converters):
            for converter, column in converters:
                value = converter(value, column, self.connection)
            converted.append(value)
        return self.model.from_db(db, self.names, converted)
