import pytest

from cadres import codes


@pytest.mark.parametrize(
    "code, level",
    [
        ("32", "provinsi"),
        ("32.14", "kabupaten"),
        ("32.14.01", "kecamatan"),
        ("32.14.01.2001", "desa"),
        ("32.14.01.2001.003", "rw"),
        ("32.14.01.2001.003.002", "rt"),
    ],
)
def test_the_level_follows_from_the_segments(code, level):
    assert codes.is_valid_code(code)
    assert codes.level_of(code) == level
    assert len(code) == codes.CODE_LENGTHS[level]


@pytest.mark.parametrize(
    "code", ["", "3", "321", "32.1", "32.14.1", "32.14.01.201", "32.14.01.2001.03", "32.14.01.2001.003.002.001",
             "32.14.01.2001.003.00a", "32.14.", ".32", "32-14", " 32.14"],
)
def test_it_rejects_bad_segment_widths(code):
    assert not codes.is_valid_code(code)


def test_parent_is_the_code_minus_its_last_segment():
    assert codes.parent_code("32.14.01.2001.003.002") == "32.14.01.2001.003"
    assert codes.parent_code("32.14") == "32"
    assert codes.parent_code("32") is None


def test_subtree_is_a_prefix_on_whole_segments():
    assert codes.in_subtree("32.14.01.2001", "32.14")
    assert codes.in_subtree("32.14", "32.14")
    assert not codes.in_subtree("32.145", "32.14")
    assert not codes.in_subtree("32.1", "32.14")


def test_ancestors_go_from_the_top_down():
    assert codes.ancestors("32.14.01.2001") == ["32", "32.14", "32.14.01"]


@pytest.mark.parametrize("text", ["32.14\n", "٣٢.١٤", "32.14.01.2001\n"])
def test_a_code_is_ascii_digits_and_nothing_after(text):
    assert not codes.is_valid_code(text)


@pytest.mark.parametrize("text", ["2020-11\n", "٢٠٢٦-١٠", "2020-11 "])
def test_a_period_is_ascii_digits_and_nothing_after(text):
    from cadres.periods import parse_period

    with pytest.raises(ValueError):
        parse_period(text)


def test_urls_with_other_scripts_digits_are_not_found(client, personas):
    client.force_login(personas["admin"].user)
    assert client.get("/wilayah/32.14/٢٠٢٠-١١/").status_code == 404
    assert client.get("/wilayah/٣٢.١٤/2020-11/").status_code == 404
    answer = client.get("/wilayah/32.14/2020-11/", {"bulan": "2020-11\n"}, follow=True)
    assert "tidak sah" in answer.content.decode()
