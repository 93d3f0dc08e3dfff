"""Release pages and their open-data files: reachable without sign-in, no names, small cells
hidden below the national level."""

from __future__ import annotations

import csv
import io
import json

from enlace.registry.models import Person
from enlace.reports.models import Release
from tests.conftest import Cast
from tests.reports.conftest import NAMES, visitor


def test_the_pages_and_files_need_no_sign_in_and_hold_no_names(
    cast: Cast, published: Release
) -> None:
    client = visitor()
    ids = list(Person.objects.values_list("public_id", flat=True))
    for url in (
        "/releases/",
        "/releases/2017/1/",
        "/releases/2017/1.csv",
        "/releases/2017/1.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert [n for n in NAMES if n in body] == [], url
        assert [i for i in ids if i in body] == [], url
    assert "2017" in client.get("/releases/").content.decode()
    assert client.get("/releases/2017/2/").status_code == 404
    assert client.get("/releases/2017/1.xlsx").status_code == 404


def test_the_files_hide_small_cells_below_the_national_level(published: Release) -> None:
    client = visitor()
    rows = list(csv.DictReader(io.StringIO(client.get("/releases/2017/1.csv").content.decode())))
    cells = {(r["table"], r["category"]): (r["people"], r["suppressed"]) for r in rows}
    # The national total as published; one man among seven is hidden, and so is the
    # count of women, which would give him away by subtraction.
    assert cells["identified.total", "total"] == ("7", "false")
    assert cells["identified.by_sex", "male"] == ("", "true")
    assert cells["identified.by_sex", "female"] == ("", "true")
    assert cells["identified.by_form", "sex_trafficking"] == ("7", "false")
    document = json.loads(client.get("/releases/2017/1.json").content)
    assert (document["year"], document["version"], document["hash"]) == (2017, 1, published.hash)
    assert document["disclosure"]["threshold"] == 5
    tables = {t["table"]: t["rows"] for t in document["disclosure"]["tables"]}
    assert {"category": "male", "people": None, "suppressed": True} in tables["identified.by_sex"]


def test_the_page_reads_in_spanish(published: Release) -> None:
    page = visitor("es").get("/releases/2017/1/")
    assert page.status_code == 200
    assert "Cifras" in page.content.decode()
