"""The URL state table: round trips, and garbage never raises and is always reported."""

import math

from hypothesis import given
from hypothesis import strategies as st

from core import state


def test_defaults_round_trip():
    p = state.defaults()
    decoded, problems = state.decode(state.encode(p))
    assert problems == [] and decoded == p


def test_a_custom_view_round_trips_exactly():
    p = state.defaults() | {"n": 4, "z": (0.1 + 0.2, -1e6, 3.25, 0.0), "T": 0.35, "j": 4, "loss": "mse", "lr": 12.5,
                                 "dseed": 42, "present": True, "lock": ("z", "T")}
    decoded, problems = state.decode(state.encode(p))
    assert problems == [] and decoded == p


def test_z_alone_sets_n():
    p, problems = state.decode({"z": "1,2,3,4,5"})
    assert p["n"] == 5 and p["z"] == (1, 2, 3, 4, 5) and not problems


def test_hostile_params_fall_back_and_are_reported():
    p, problems = state.decode({"z": "abc", "n": "9999", "T": "-1", "q": "<script>alert(1)</script>",
                                "lr": "nan", "loss": "hinge", "j": "7", "lock": "z,rm -rf"})
    assert p["n"] == 10 and p["T"] == 0.1 and math.isfinite(p["lr"]) and p["loss"] == "cross_entropy"
    assert p["z"] == state.DEFAULT_Z[:10] and p["lock"] == ("z",)
    text = " ".join(problems)
    for key in ("z=", "n=", "T=", "unknown parameter", "lr=", "loss=", "lock"):
        assert key in text
    assert "<" not in text and ">" not in text


def test_wrong_length_and_mismatch():
    p, problems = state.decode({"z": "1,2,3,4", "n": "3"})
    assert p["z"] == (1, 2, 3) and problems
    p, problems = state.decode({"z": "5"})
    assert p["z"] == state.DEFAULT_Z[:3] and problems
    p, problems = state.decode({"z": "nan,inf"})
    assert p["z"] == state.DEFAULT_Z[:3] and problems
    p, problems = state.decode({"z": "1," * 1000})
    assert p["z"] == state.DEFAULT_Z[:3] and "characters" in problems[0]


def test_indices_clamped_to_n():
    p, problems = state.decode({"n": "3", "i": "9", "y": "0"})
    assert p["i"] == 3 and p["y"] == 1 and len(problems) == 2


def test_parse_vector():
    assert state.parse_vector("2, 1, 0.1") == ([2.0, 1.0, 0.1], None)
    assert state.parse_vector("[1 2;3]") == ([1.0, 2.0, 3.0], None)
    for bad in ("", "1", "1, x", "1, nan", "1, 1e9", ",".join(["1"] * 11), "1" * 500):
        values, err = state.parse_vector(bad)
        assert values is None and err


@given(st.dictionaries(st.text(max_size=12), st.text(max_size=60), max_size=8))
def test_decode_never_raises_on_garbage(query):
    p, problems = state.decode(query)
    assert set(p) == set(state.TABLE)
    assert 2 <= p["n"] <= 10 and len(p["z"]) == p["n"]
    assert all(math.isfinite(v) and abs(v) <= state.Z_LIMIT for v in p["z"])
    assert 0.1 <= p["T"] <= 10
    for msg in problems:
        assert "<" not in msg and ">" not in msg


@given(st.fixed_dictionaries({k: st.text(max_size=20) for k in ("n", "z", "T", "j", "lr", "epochs", "present")}))
def test_known_keys_with_garbage_values(query):
    p, _ = state.decode(query)
    assert state.decode(state.encode(p))[0] == p
