"""A file names a state as agencies speak it: every alias in the country profile,
in upper or lower case, with or without accents."""

from __future__ import annotations

import csv
import io
from typing import Any

from enlace.directory.profile import profile_path, profile_read
from enlace.exchange.template import COLUMN_NAMES
from enlace.exchange.values import key, lookups_build
from enlace.linkage.normalise import strip_accents
from enlace.registry.models import Identification
from tests.conftest import Cast


def _jurisdictions(*rows: tuple[Any, ...]) -> dict[str, int]:
    return lookups_build(jurisdictions=rows, countries=[], protocols=[], agencies=[]).jurisdictions


def test_the_lookup_holds_what_the_profile_gives_and_nothing_else() -> None:
    table = _jurisdictions(
        (30, "30", "Veracruz de Ignacio de la Llave", "", "VER", ["Veracruz", "MX-VER"]),
        (9, "09", "Ciudad de México", "Mexico City", "CMX", ["9", "CDMX"]),
    )

    for written, pk in [
        ("Veracruz", 30),
        ("ESTADO DE VERACRUZ", 30),
        ("mx-ver", 30),
        ("9", 9),
        ("cdmx", 9),
        ("Edo. Ciudad de Mexico", 9),
    ]:
        assert table.get(key(written)) == pk, written
    # No name is cut short by code: only the profile says "Veracruz" or "9".
    assert (
        _jurisdictions((30, "30", "Veracruz de Ignacio de la Llave", "", "VER")).get(
            key("Veracruz")
        )
        is None
    )
    assert key("Ciudad") not in table and key("Estado") not in table
    assert all(key(k) == k for k in table)


def _file(names: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    for number, name in enumerate(names, start=1):
        values = {
            "agency_record_id": f"J-{number:04d}",
            "identified_on": "2017-06-01",
            "sex": "female",
            "jurisdiction": name,
        }
        writer.writerow([values.get(column, "") for column in COLUMN_NAMES])
    return out.getvalue().encode()


def _stored(cast: Cast) -> dict[str | None, str]:
    identifications = Identification.objects.filter(agency=cast.agency("FGE-PUE"))
    return dict(identifications.values_list("agency_record_id", "jurisdiction__code"))


def test_every_alias_in_every_case_with_and_without_accents_imports(cast: Cast, run: Any) -> None:
    expected: list[tuple[str, str]] = []
    for j in profile_read(profile_path("MX")).jurisdictions:
        for _path, text in j.spellings():
            variants = dict.fromkeys([text, text.upper(), text.lower(), strip_accents(text)])
            expected += [(variant, j.code) for variant in variants]
    assert len(expected) > 32 * 6

    result = run(_file([name for name, _code in expected]))

    assert [(e.value, e.reason) for e in result.errors] == []
    stored = _stored(cast)
    wrong = [
        (name, code, stored.get(f"J-{number:04d}"))
        for number, (name, code) in enumerate(expected, start=1)
        if stored.get(f"J-{number:04d}") != code
    ]
    assert wrong == []


def test_the_state_of_mexico_as_people_write_it_is_15(cast: Cast, run: Any) -> None:
    names = [
        "Estado de México",
        "ESTADO DE MEXICO",
        "estado de méxico",
        "Edo. de Méx.",
        "Edo Mex",
        "Edomex",
        "EDOMEX",
        "México",
        "MX-MEX",
        "15",
    ]

    result = run(_file(names))

    assert result.errors == []
    assert set(_stored(cast).values()) == {"15"}
    assert len(_stored(cast)) == len(names)


def test_mexico_city_is_not_the_state_and_a_prefix_alone_is_no_state(cast: Cast, run: Any) -> None:
    result = run(_file(["CDMX", "Distrito Federal", "D.F.", "Estado", "Ciudad", "Edo."]))

    assert [(e.row, e.column) for e in result.errors] == [
        (5, "jurisdiction"),
        (6, "jurisdiction"),
        (7, "jurisdiction"),
    ]
    assert set(_stored(cast).values()) == {"09"}
