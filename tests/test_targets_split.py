"""The largest-remainder split of a PPM target over children, by hand-computed cases."""

import pytest

from cadres.indicators import METHODS
from reports.targets.ppm import split_largest_remainder, split_targets


@pytest.mark.parametrize(
    "total, weights, parts",
    [
        # 100 × 50/100 = 50, × 30/100 = 30, × 20/100 = 20: exact.
        (100, [50, 30, 20], [50, 30, 20]),
        # 10 × 1/3 = 3.33 each: floors 3+3+3 = 9, the one left over to the first (tie).
        (10, [1, 1, 1], [4, 3, 3]),
        # 7 over 370 and 130: 5.18 and 1.82 → floors 5 and 1, the left over to the larger remainder (.82).
        (7, [370, 130], [5, 2]),
        # 1,831 over 600/300/100: 1098.6, 549.3, 183.1 → 1098+549+183 = 1830, +1 to the first (.6).
        (1831, [600, 300, 100], [1099, 549, 183]),
        # 5 over 2, 2, 6: 1.0, 1.0, 3.0 — exact, remainders 0.
        (5, [2, 2, 6], [1, 1, 3]),
        # 3 over 1, 2, 2, 2 (7): 0.43, 0.86, 0.86, 0.86 → floors 0; the three .86 get one each.
        (3, [1, 2, 2, 2], [0, 1, 1, 1]),
    ],
)
def test_it_splits_in_proportion_and_adds_up_exactly(total, weights, parts):
    assert split_largest_remainder(total, weights) == parts
    assert sum(parts) == total


def test_zero_pus_everywhere_splits_equally():
    assert split_largest_remainder(11, [0, 0, 0, 0]) == [3, 3, 3, 2]


def test_a_child_without_pus_gets_nothing_when_others_have_some():
    assert split_largest_remainder(9, [0, 3, 6]) == [0, 3, 6]


def test_a_zero_target_gives_zeros_and_no_children_gives_nothing():
    assert split_largest_remainder(0, [5, 7]) == [0, 0]
    assert split_largest_remainder(12, []) == []


def test_each_method_is_split_over_the_children_in_their_order():
    target = dict.fromkeys(METHODS, 0) | {"iud": 10, "implan": 7, "pil": 1}
    proposal = split_targets(target, {"32.14.01": 370, "32.14.02": 130})
    assert proposal["32.14.01"] == dict.fromkeys(METHODS, 0) | {"iud": 7, "implan": 5, "pil": 1}
    assert proposal["32.14.02"] == dict.fromkeys(METHODS, 0) | {"iud": 3, "implan": 2}
