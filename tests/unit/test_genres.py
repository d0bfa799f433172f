"""Genre profiles: shipped ones, user folders, bad files, lookup (livetimbre.genres)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

import livetimbre
from livetimbre.compose.pipeline import compose_clip
from livetimbre.errors import GenreError
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.genres import registry as genre_registry
from livetimbre.genres.registry import builtin_genre_dir, load_genre_file
from livetimbre.music.theory import parse_meter
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import build_clip_plan

SYNTHWAVE = (builtin_genre_dir() / "synthwave.yaml").read_text(encoding="utf-8")
REPOSITORY = Path(__file__).resolve().parents[2]
REPOSITORY_GENRES = REPOSITORY / "genres"


@pytest.fixture(scope="module")
def genres() -> GenreRegistry:
    return load_genres()


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _user_genre(folder: Path, genre_id: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{genre_id}.yaml"
    path.write_text(text.replace("id: synthwave", f"id: {genre_id}", 1), encoding="utf-8")
    return path


def test_builtin_genres_load(genres: GenreRegistry) -> None:
    ids = [g.id for g in genres]
    assert len(genres) >= 12
    assert ids == sorted(ids)
    assert {"synthwave", "house", "jazz", "techno", "lo-fi-hip-hop", "drum-and-bass"} <= set(ids)
    shipped = sorted(p.stem for p in builtin_genre_dir().glob("*.yaml"))
    assert ids == shipped


def test_shipped_folder_holds_every_genre_of_the_repository() -> None:
    in_repository = sorted(REPOSITORY_GENRES.glob("*.yaml"))
    assert len(in_repository) >= 12
    shipped = builtin_genre_dir()
    for path in in_repository:
        assert (shipped / path.name).read_bytes() == path.read_bytes(), path.name
    assert sorted(g.id for g in load_genres()) == sorted(p.stem for p in in_repository)


def test_checkout_without_the_resource_package_uses_its_genres_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As under PYTHONPATH=<checkout>: `livetimbre.genre_files` exists only once installed.
    monkeypatch.setattr(genre_registry, "SHIPPED_GENRES", "livetimbre.no_such_genre_files")
    assert builtin_genre_dir() == REPOSITORY_GENRES


def test_resource_package_of_another_copy_is_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Another checkout's editable install, seen through a shared virtualenv.
    (tmp_path / "elsewhere_genre_files").mkdir()
    (tmp_path / "elsewhere_genre_files" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(genre_registry, "SHIPPED_GENRES", "elsewhere_genre_files")
    try:
        assert builtin_genre_dir() == REPOSITORY_GENRES
    finally:
        sys.modules.pop("elsewhere_genre_files", None)


def test_wheel_lists_every_package_and_ships_the_genres() -> None:
    # pyproject.toml lists packages by hand (its package-dir mapping turns off discovery).
    setuptools = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"
    ]["setuptools"]
    source = Path(livetimbre.__file__).resolve().parent
    on_disk = {
        ".".join(("livetimbre", *init.parent.relative_to(source).parts))
        for init in source.rglob("__init__.py")
    }
    assert set(setuptools["packages"]) == on_disk | {"livetimbre.genre_files"}
    assert setuptools["package-dir"] == {"livetimbre.genre_files": "genres"}
    assert setuptools["package-data"]["livetimbre.genre_files"] == ["*.yaml"]


@pytest.mark.parametrize("path", sorted(builtin_genre_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_each_builtin_genre_is_consistent(path: Path) -> None:
    profile = load_genre_file(path)
    assert profile.id == path.stem
    rhythm = profile.rhythm
    low, high = rhythm.tempo_range
    assert low <= rhythm.tempo <= high
    steps = parse_meter(rhythm.time_signatures[0]).steps_per_bar
    for pattern in rhythm.drum_patterns:
        assert all(len(s) == steps for s in pattern.voices.values())
    assert profile.harmony.common_keys


def test_get_by_id_name_and_spelling(genres: GenreRegistry) -> None:
    assert genres.get("Synthwave").id == "synthwave"
    assert genres.get("SYNTHWAVE").id == "synthwave"
    assert genres.get("  synthwave ").id == "synthwave"
    assert genres.get("Lo-Fi Hip Hop").id == "lo-fi-hip-hop"
    assert genres.get("lo fi hip hop").id == "lo-fi-hip-hop"
    assert genres.get("drum_and_bass").id == "drum-and-bass"
    assert genres.get("Drum and Bass").id == "drum-and-bass"


def test_unknown_genre_suggests_close_names(genres: GenreRegistry) -> None:
    with pytest.raises(GenreError) as info:
        genres.get("synthwav")
    message = str(info.value)
    assert message.startswith("Unknown genre 'synthwav'. Did you mean synthwave?")
    assert message.endswith(f"Known genres: {', '.join(sorted(g.id for g in genres))}.")
    with pytest.raises(GenreError) as info:
        genres.get("tecno")
    assert "Did you mean techno" in str(info.value)
    with pytest.raises(GenreError) as info:
        genres.get("qwerty")
    assert "Did you mean" not in str(info.value)
    assert "Unknown genre 'qwerty'" in str(info.value)


def test_user_genre_is_added(tmp_path: Path, genres: GenreRegistry) -> None:
    text = SYNTHWAVE.replace("name: Synthwave", "name: Night Wave").replace(
        "default_tempo: 104", "default_tempo: 111"
    )
    path = _user_genre(tmp_path / "g", "night-wave", text)
    registry = load_genres(tmp_path / "g")
    assert len(registry) == len(genres) + 1
    profile = registry.get("Night Wave")
    assert profile.id == "night-wave"
    assert profile.rhythm.tempo == 111
    assert registry.sources["night-wave"] == path
    assert registry.get("synthwave").rhythm.tempo == 104


def test_user_genre_overrides_builtin(tmp_path: Path) -> None:
    _user_genre(tmp_path, "synthwave", SYNTHWAVE.replace("default_tempo: 104",
                                                         "default_tempo: 90"))
    registry = load_genres(tmp_path)
    assert registry.get("synthwave").rhythm.tempo == 90
    assert registry.sources["synthwave"] == tmp_path / "synthwave.yaml"


def test_missing_user_dir_is_ignored(tmp_path: Path, genres: GenreRegistry) -> None:
    assert len(load_genres(tmp_path / "nope")) == len(genres)


def _genre_error(folder: Path) -> str:
    with pytest.raises(GenreError) as info:
        load_genres(folder)
    return str(info.value)


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = SYNTHWAVE.replace("default_tempo: 104", "default_tempo: 104: 5")
    path = _user_genre(tmp_path, "bad-wave", text)
    message = _genre_error(tmp_path)
    line = _line_of(text, "default_tempo: 104: 5")
    assert message.startswith(f"{path}:{line}:")
    assert "invalid YAML" in message


def test_drum_pattern_of_wrong_length_names_file_and_problem(tmp_path: Path) -> None:
    text = SYNTHWAVE.replace('snare: "....X.......X..."', 'snare: "....X.......X.."', 1)
    path = _user_genre(tmp_path, "bad-wave", text)
    message = _genre_error(tmp_path)
    assert re.match(rf"{re.escape(str(path))}:(\d+):\d+: ", message), message
    assert "drum pattern 'main' voice 'snare' has 15 steps" in message
    assert "needs 16" in message
    # the line is inside the rhythm section
    rhythm = _line_of(text, "rhythm:")
    line = int(message[len(str(path)) + 1:].split(":")[0])
    assert rhythm <= line <= _line_of(text, "harmony:")


def test_drum_pattern_of_wrong_length_names_its_own_line(tmp_path: Path) -> None:
    text = SYNTHWAVE.replace('snare: "....X.......X..."', 'snare: "....X.......X.."', 1)
    path = _user_genre(tmp_path, "bad-wave", text)
    message = _genre_error(tmp_path)
    line = _line_of(text, '"....X.......X.."')
    assert message.startswith(f"{path}:{line}:")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('kick:  "x.......x......."', 'kick:  "x..q....x......."', "may only use"),
        ('kick:  "x.......x......."', 'bongo: "x.......x......."', "unknown drum voice 'bongo'"),
        ("tempo_range: [80, 118]", "tempo_range: [118, 80]", "tempo_range"),
        ("bass: 38      # Synth Bass 1", "bass: 300", "0-127"),
        ("reverb: 0.45", "reverb: 0.45\n  sparkle: 1", "Extra inputs"),
    ],
)
def test_bad_fields_name_file_line_and_reason(
    tmp_path: Path, old: str, new: str, needle: str
) -> None:
    text = SYNTHWAVE.replace(old, new, 1)
    assert text != SYNTHWAVE
    path = _user_genre(tmp_path, "bad-wave", text)
    message = _genre_error(tmp_path)
    assert message.startswith(f"{path}:")
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: genre field '", message), message
    assert needle in message


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("- [i, VI, III, VII]", "- [i, VIII, III, VII]", "'VIII'"),
        ("common_keys: [A minor", "common_keys: [H minor", "'H minor'"),
        ('time_signatures: ["4/4"]', 'time_signatures: ["4/3"]', "'4/3'"),
    ],
)
def test_bad_music_theory_values_raise_located_genre_error(
    tmp_path: Path, old: str, new: str, needle: str
) -> None:
    text = SYNTHWAVE.replace(old, new, 1)
    assert text != SYNTHWAVE
    path = _user_genre(tmp_path, "bad-wave", text)
    message = _genre_error(tmp_path)
    assert message.startswith(f"{path}:{_line_of(text, new)}:")
    assert needle in message


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other-name.yaml"
    path.write_text(SYNTHWAVE.replace("id: synthwave", "id: my-wave"), encoding="utf-8")
    message = _genre_error(tmp_path)
    assert message.startswith(f"{path}:1:")
    assert "'my-wave' must match the file name 'other-name'" in message


def test_dash_in_drum_steps_is_rejected_or_rest(tmp_path: Path) -> None:
    text = SYNTHWAVE.replace('hat:   "x.x.x.x.x.x.x.x."', 'hat:   "x-x-x-x-x-x-x-x-"', 1)
    _user_genre(tmp_path, "dash-wave", text)
    try:
        registry = load_genres(tmp_path)
    except GenreError:
        return  # rejecting the character at load time is fine
    session = parse_patch(
        "session: {genre: dash-wave, seed: 1}\nlayers: {drums: }\n"
        "scenes: [{name: a, clips: {drums: beat}}]\n", "p.yaml", registry,
    )
    genre = registry.get("dash-wave")
    part = compose_clip(build_clip_plan(session, "drums", 0, genre, 48000), genre).part
    assert part.notes


def test_every_shipped_genre_is_on_its_familys_shelf() -> None:
    from livetimbre.genres.families import FAMILIES

    registry = load_genres(None)
    for genre in registry:
        assert genre.family in FAMILIES, f"{genre.id} has no family"
        assert genre.id in FAMILIES[genre.family], f"{genre.id} is not listed under {genre.family}"
    listed = [g for members in FAMILIES.values() for g in members]
    assert len(listed) == len(set(listed)), "a genre is on two shelves"


def test_an_unknown_family_is_refused_by_name() -> None:
    from livetimbre.genres.profile import GenreProfile

    data = load_genres(None).get("house").model_dump()
    data["family"] = "polka-core"
    with pytest.raises(ValueError, match="polka-core"):
        GenreProfile.model_validate(data)
