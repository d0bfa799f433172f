"""Note names, keys, meters and roman-numeral chords (livetimbre.music.theory)."""

from __future__ import annotations

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.music.theory import (
    Key,
    Meter,
    chord_from_roman,
    note_name,
    parse_key,
    parse_meter,
    parse_pitch_class,
)

A_MINOR = Key(9, "minor")
C_MAJOR = Key(0, "major")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C", 0), ("C#", 1), ("Db", 1), ("D", 2), ("Eb", 3), ("E", 4), ("F", 5), ("F#", 6),
        ("G", 7), ("Ab", 8), ("A", 9), ("Bb", 10), ("B", 11),
        ("Cb", 11), ("B#", 0), ("E#", 5), ("Fb", 4), ("a", 9), ("  G  ", 7), ("F♯", 6),
        ("B♭", 10),
    ],
)
def test_parse_pitch_class(text: str, expected: int) -> None:
    assert parse_pitch_class(text) == expected


@pytest.mark.parametrize("text", ["H", "", "   ", "C%", "Cx", "1", "Do"])
def test_parse_pitch_class_rejects_and_names_text(text: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_pitch_class(text)
    assert f"'{text}'" in str(info.value)


def test_note_name() -> None:
    assert note_name(60) == "C4"
    assert note_name(69) == "A4"
    assert note_name(21) == "A0"
    assert note_name(70) == "Bb4"


@pytest.mark.parametrize(
    ("text", "tonic", "mode"),
    [
        ("A minor", 9, "minor"),
        ("Am", 9, "minor"),
        ("a min", 9, "minor"),
        ("F# dorian", 6, "dorian"),
        ("Eb", 3, "major"),
        ("C major", 0, "major"),
        ("Bbm", 10, "minor"),
        ("D aeolian", 2, "minor"),
        ("G Mixolydian", 7, "mixolydian"),
        ("E harmonic minor", 4, "harmonic minor"),
        ("E harmonic-minor", 4, "harmonic minor"),
        ("  C#  phrygian ", 1, "phrygian"),
    ],
)
def test_parse_key(text: str, tonic: int, mode: str) -> None:
    assert parse_key(text) == Key(tonic, mode)


def test_key_properties() -> None:
    am = parse_key("Am")
    assert am.is_minor
    assert not parse_key("C").is_minor
    assert str(am) == "A minor"
    assert str(parse_key("F# dorian")) == "F# dorian"
    # A natural minor has the white keys only
    assert am.scale_pitches(60, 72) == [60, 62, 64, 65, 67, 69, 71, 72]
    assert [am.degree_pitch_class(d) for d in range(8)] == [9, 11, 0, 2, 4, 5, 7, 9]


@pytest.mark.parametrize("text", ["H minor", "A superlocrian", "", "minor", "Am7", "X#"])
def test_parse_key_rejects_and_names_text(text: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_key(text)
    assert f"'{text}'" in str(info.value)


def test_parse_key_unknown_mode_lists_known_modes() -> None:
    with pytest.raises(ValueProblem) as info:
        parse_key("D bluesy")
    message = str(info.value)
    assert "D bluesy" in message
    assert "dorian" in message and "mixolydian" in message


@pytest.mark.parametrize(
    ("text", "beats", "unit", "steps"),
    [
        ("4/4", 4, 4, 16), ("3/4", 3, 4, 12), ("6/8", 6, 8, 12), (" 7 / 8 ", 7, 8, 14),
        ("12/8", 12, 8, 24), ("2/2", 2, 2, 16), ("1/16", 1, 16, 1), ("16/16", 16, 16, 16),
    ],
)
def test_parse_meter(text: str, beats: int, unit: int, steps: int) -> None:
    meter = parse_meter(text)
    assert meter == Meter(beats, unit)
    assert meter.steps_per_bar == steps
    assert str(meter) == f"{beats}/{unit}"


def test_meter_compound() -> None:
    assert parse_meter("6/8").is_compound
    assert parse_meter("12/8").is_compound
    assert not parse_meter("7/8").is_compound
    assert not parse_meter("3/4").is_compound


@pytest.mark.parametrize(
    "text", ["4/3", "0/4", "17/4", "4/32", "four", "4-4", "", "4/4/4", "4/", "/4", "4/0"]
)
def test_parse_meter_rejects_and_names_text(text: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_meter(text)
    assert f"'{text}'" in str(info.value)


@pytest.mark.parametrize(
    ("symbol", "pitch_classes"),
    [
        ("i", [9, 0, 4]),  # A C E
        ("VI", [5, 9, 0]),  # F A C
        ("III", [0, 4, 7]),  # C E G
        ("VII", [7, 11, 2]),  # G B D
        ("iv", [2, 5, 9]),  # D F A
        ("V", [4, 8, 11]),  # E G# B
        ("V7", [4, 8, 11, 2]),  # E G# B D
        ("v", [4, 7, 11]),  # E G B
        ("ii°", [11, 2, 5]),  # B D F
        ("iidim", [11, 2, 5]),
        ("III+", [0, 4, 8]),
        ("isus4", [9, 2, 4]),
        ("isus2", [9, 11, 4]),
        ("i7", [9, 0, 4, 7]),
        ("IIImaj7", [0, 4, 7, 11]),
        ("iadd9", [9, 0, 4, 11]),
        ("i9", [9, 0, 4, 7, 11]),
        ("bVII", [7, 11, 2]),  # accidentals count from the major scale: G major
        ("bII", [10, 2, 5]),  # the Phrygian/Neapolitan II: Bb major
    ],
)
def test_chord_from_roman_in_a_minor(symbol: str, pitch_classes: list[int]) -> None:
    chord = chord_from_roman(symbol, A_MINOR)
    assert chord.pitch_classes() == pitch_classes
    assert chord.symbol == symbol


def test_chord_from_roman_in_c_major() -> None:
    assert chord_from_roman("I", C_MAJOR).pitch_classes() == [0, 4, 7]
    assert chord_from_roman("ii", C_MAJOR).pitch_classes() == [2, 5, 9]
    assert chord_from_roman("bVII", C_MAJOR).pitch_classes() == [10, 2, 5]  # Bb major
    assert chord_from_roman("IVmaj7", C_MAJOR).pitch_classes() == [5, 9, 0, 4]
    assert chord_from_roman("vii°7", C_MAJOR).pitch_classes() == [11, 2, 5, 8]  # B D F Ab
    assert chord_from_roman("vi6", C_MAJOR).pitch_classes() == [9, 0, 4, 6]
    assert chord_from_roman("#iv°", C_MAJOR).root == 6


@pytest.mark.parametrize("symbol", ["VIII", "x", "", "I7b9", "iiii", "H", "Imin", "7"])
def test_chord_from_roman_rejects_and_names_symbol(symbol: str) -> None:
    with pytest.raises(ValueProblem) as info:
        chord_from_roman(symbol, A_MINOR)
    assert f"'{symbol}'" in str(info.value)


def test_scale_step_moves_to_the_next_tone_of_the_mode() -> None:
    harmonic = parse_key("A harmonic minor")  # ... F G# A: the augmented second
    assert A_MINOR.scale_step(60, 1) == 62 and A_MINOR.scale_step(60, -1) == 59
    assert A_MINOR.scale_step(61, 1) == 62 and A_MINOR.scale_step(61, -1) == 60
    assert harmonic.scale_step(65, 1) == 68 and harmonic.scale_step(68, -1) == 65


def test_a_chords_fifth_is_perfect_unless_altered() -> None:
    assert chord_from_roman("i", A_MINOR).fifth == 7
    assert chord_from_roman("ii°", A_MINOR).fifth == 6
    assert chord_from_roman("III+", A_MINOR).fifth == 8
    assert chord_from_roman("Isus4", C_MAJOR).fifth == 7
