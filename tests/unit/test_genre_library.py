"""The genre library as a whole: every genre in its own keys and meter, its family,
and aliases that name one genre each."""

from __future__ import annotations

import pytest

from livetimbre.genres.families import FAMILIES
from tests.composing import GENRES, NEUTRAL, PITCHED, genres, in_key_fraction, plan_and_part


@pytest.mark.timeout(120)
@pytest.mark.parametrize("genre_id", GENRES)
def test_every_role_stays_in_the_genres_own_keys_and_meter(genre_id: str) -> None:
    profile = genres().get(genre_id)
    meter = profile.rhythm.time_signatures[0]
    for key in profile.harmony.common_keys[:3]:
        for layer in PITCHED:
            plan, part = plan_and_part(layer, NEUTRAL[layer], genre=genre_id, key=key, bars=8)
            assert plan.meter == meter
            assert part.notes, (genre_id, key, layer)
            share = in_key_fraction(plan, part.notes)
            assert share >= 0.97, (genre_id, key, layer, round(share, 3))


def test_an_alias_names_one_genre_and_never_another_genres_id() -> None:
    owner: dict[str, str] = {}
    ids = {g.id for g in genres()}
    for genre in genres():
        assert genre.family in FAMILIES, genre.id
        for alias in genre.aliases:
            assert alias.replace(" ", "-") not in ids - {genre.id}, (genre.id, alias)
            assert owner.setdefault(alias, genre.id) == genre.id, (alias, owner[alias],
                                                                   genre.id)


def test_the_library_fills_its_families() -> None:
    shipped = {g.id for g in genres()}
    for family in ("classical", "latin", "world", "electronic"):
        assert set(FAMILIES[family]) <= shipped, family


def test_no_alias_is_an_instrument_name() -> None:
    """A named instrument must be heard: an alias that is also an instrument's name
    ('tabla', 'oud') would be read as the genre and the instrument lost."""
    from livetimbre.director.instrument_names import instrument_entries

    names = {name for name, _sound in instrument_entries()}
    clashes = [(g.id, a) for g in genres() for a in g.aliases if a in names]
    assert clashes == []
