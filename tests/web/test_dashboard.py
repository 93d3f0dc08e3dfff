"""The national dashboard: for national analysts only; filters, drill-down, trend; no JS needed."""

from __future__ import annotations

import datetime
import re

import pytest

from enlace.registry.services import identification_record, person_register
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _identify(cast: Cast, n: int, *, sex: str, day: datetime.date, charlie: bool = False) -> None:
    actor = cast.charlie if charlie else cast.alice
    for i in range(n):
        person = person_register(
            actor=actor, identity={"given_names": f"{sex}-{day}-{i}-{charlie}"}, sex=sex
        )
        identification_record(
            actor=actor,
            person=person,
            identified_on=day,
            forms=["sex_trafficking"],
            status="identified",
            jurisdiction=cast.agency("FGE-JAL" if charlie else "FGE-PUE").jurisdiction,
            age_at_identification=25,
        )


def _cells(page: str, table: str) -> dict[str, str]:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="num">(.*?)</td>', body, re.S)
    return {_text(label): _text(value) for label, value in rows}


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


def test_only_the_national_analyst_gets_in(cast: Cast) -> None:
    assert signed_in(cast.ana).get("/dashboard/").status_code == 200
    for user in (cast.alice, cast.sam, cast.audrey):
        response = signed_in(user).get("/dashboard/")
        assert response.status_code == 403
        assert "National figures are for national analysts." in response.content.decode()


def test_it_breaks_down_filters_and_drills_down(cast: Cast) -> None:
    _identify(cast, 6, sex="female", day=datetime.date(2017, 3, 1))
    _identify(cast, 5, sex="male", day=datetime.date(2017, 3, 1), charlie=True)
    _identify(cast, 1, sex="male", day=datetime.date(2017, 3, 1))
    client = signed_in(cast.ana)

    page = client.get("/dashboard/?year=2017&measure=identified&by=state&then=sex").content.decode()
    assert _cells(page, "breakdown") == {"Puebla": "7", "Jalisco": "5"}
    assert 'id="breakdown-total">12<' in page
    # The state's row drills down to its breakdown by sex: a plain link, htmx or not.
    drill = re.search(r'<a href="(\?[^"]*state=21[^"]*)" hx-get', page)
    assert drill is not None
    page = client.get("/dashboard/" + drill.group(1).replace("&amp;", "&")).content.decode()
    # One man in Puebla is too few to show, and the women would give him away.
    assert _cells(page, "breakdown") == {"Male": "–", "Female": "–", "Not specified": "0"}
    assert 'id="breakdown-total">7<' in page
    assert "Remove the filter on State" in page

    # By sex and state together. The one man of Puebla is hidden, and with him a rectangle
    # of cells (men of Jalisco, women of both) so no sum gives him away.
    page = client.get("/dashboard/?year=2017&by=sex&then=state").content.decode()
    assert "Sex and state" in page
    two_way = page.split('id="two-way"', 1)[1].split("</table>", 1)[0]
    hidden = '<td class="num">–</td><td class="num">–</td>'
    assert f'<th scope="row">Male</th>{hidden}' in two_way
    assert f'<th scope="row">Female</th>{hidden}' in two_way
    # A person can be in two states: no totals.
    assert "so the table has no totals" in page
    page = client.get("/dashboard/?year=2017&by=sex&then=age_band").content.decode()
    two_way = page.split('id="two-way"', 1)[1].split("</table>", 1)[0]
    assert '<td class="num">12</td></tr></tfoot>' in two_way

    # The form's filters: Jalisco's men by age band.
    page = client.get("/dashboard/?year=2017&by=age_band&sex=male&agency=FGE-JAL").content.decode()
    assert _cells(page, "breakdown")["Adults 18–29"] == "5"


def test_htmx_gets_the_dashboard_alone(cast: Cast) -> None:
    page = signed_in(cast.ana).get("/dashboard/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page and 'id="breakdown"' in page


def test_the_trend_gives_the_change_from_the_year_before(cast: Cast) -> None:
    _identify(cast, 8, sex="female", day=datetime.date(2016, 3, 1))
    _identify(cast, 6, sex="female", day=datetime.date(2017, 3, 1))
    page = signed_in(cast.ana).get("/dashboard/?year=2017").content.decode()
    body = page.split('id="trend"', 1)[1]
    assert re.search(
        r"2017</th><td class=\"num\">6</td><td class=\"num\">-2</td>"
        r"<td class=\"num\">-25.0</td>",
        body,
    )
    assert "Identified: six in 2017, a decrease from eight in 2016." in page

    page = signed_in(cast.ana, "es-mx").get("/dashboard/?year=2017").content.decode()
    assert "seis en 2017, una disminución respecto de ocho en 2016." in page


def test_a_filtered_trend_hides_small_years_and_their_changes(cast: Cast) -> None:
    _identify(cast, 3, sex="male", day=datetime.date(2016, 3, 1))
    _identify(cast, 6, sex="male", day=datetime.date(2017, 3, 1))
    client = signed_in(cast.ana)
    page = client.get("/dashboard/?year=2017&sex=male").content.decode()
    body = page.split('id="trend"', 1)[1].split("</table>", 1)[0]
    # Three men in 2016 is too few to show below the national level, and so is the change.
    assert re.search(r'2016</th><td class="num">–</td>', body)
    assert re.search(r'2017</th><td class="num">6</td><td class="num">–</td>', body)
    assert 'id="trend-sentence"' not in page
    # The national trend is shown whole.
    page = client.get("/dashboard/?year=2017").content.decode()
    body = page.split('id="trend"', 1)[1].split("</table>", 1)[0]
    assert re.search(r'2016</th><td class="num">3</td>', body)
    assert re.search(r'2017</th><td class="num">6</td><td class="num">\+3</td>', body)
