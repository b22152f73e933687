from cadres import codes


class UnitCodeConverter:
    regex = codes.CODE_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
