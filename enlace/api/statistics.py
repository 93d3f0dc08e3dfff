"""National statistics of a year, as the open data publishes them."""

from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Path, Router, Schema

from enlace.api.common import ERRORS
from enlace.exchange import exports


class StatisticOut(Schema):
    indicator: str
    category: str
    people: int | None
    suppressed: bool


router = Router(tags=["statistics"])


@router.get("/{year}", response={200: list[StatisticOut], **ERRORS})
def statistics_year(request: HttpRequest, year: Annotated[int, Path(ge=1990, le=2100)]) -> Any:
    """National aggregates of a year, small cells suppressed as in the open data."""
    return [
        {
            "indicator": indicator,
            "category": str(category),
            "people": None if people == "" else people,
            "suppressed": suppressed == "true",
        }
        for indicator, category, people, suppressed in exports.open_data_rows(
            year, threshold=settings.OPEN_DATA_MIN_CELL
        )
    ]
