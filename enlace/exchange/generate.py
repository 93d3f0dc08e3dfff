"""Generated submissions for tests and benchmarks: synthetic people, never case data."""

from __future__ import annotations

import csv
import datetime
import io
import random

from enlace.exchange.template import COLUMN_NAMES

GIVEN = ["María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Jesús", "Sofía", "Pedro"]
SURNAMES = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez"]
STATES = ["21", "Puebla", "Jalisco", "Nuevo León", "Nuevo Leon", "09", "Oaxaca", "Veracruz"]
FORMS = [
    "sex_trafficking",
    "forced_labour",
    "forced_begging;forced_criminality",
    "explotación sexual",
]
# One defect per bad row, in turn: each names a column and a reason in the report.
DEFECTS = (
    ("identified_on", "31/02/2017"),
    ("sex", "desconocido"),
    ("jurisdiction", "Atlantis"),
    ("identified_on", "2999-01-01"),
    ("agency_record_id", ""),
    ("curp", "NOT-A-CURP"),
    ("consent_to_share", "maybe"),
    ("exploitation_forms", "piracy"),
)


def submission_generate(
    rows: int,
    *,
    agency_code: str,
    bad_every: int = 0,
    seed: int = 0,
    prefix: str = "R",
    delimiter: str = ",",
) -> tuple[bytes, list[int]]:
    """A CSV of ``rows`` rows; every ``bad_every``-th row has one defect.

    Returns the file and the spreadsheet row numbers of the bad rows.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    bad = []
    start = datetime.date(2017, 1, 1)
    for n in range(rows):
        born = start - datetime.timedelta(days=rng.randint(14 * 365, 50 * 365))
        identified = start + datetime.timedelta(days=rng.randint(0, 364))
        woman = rng.random() < 0.7
        values = {
            "agency_record_id": f"{prefix}{n:07d}",
            "agency_code": agency_code,
            "identified_on": identified.isoformat() if n % 2 else identified.strftime("%d/%m/%Y"),
            "identification_status": rng.choice(["identified", "potential", "identificada"]),
            "given_names": rng.choice(GIVEN) + " " + rng.choice(GIVEN),
            "paternal_surname": rng.choice(SURNAMES),
            "maternal_surname": rng.choice(SURNAMES),
            "sex": ("mujer" if woman else "hombre")
            if n % 3 == 0
            else ("female" if woman else "male"),
            "birth_date": born.isoformat(),
            "age_at_identification": str((identified - born).days // 365),
            "nationality": rng.choice(["MX", "MX", "MX", "GT", "Honduras"]),
            "curp": "",
            "passport_number": f"P{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.2 else "",
            "jurisdiction": rng.choice(STATES),
            "country_abroad": "",
            "exploitation_forms": rng.choice(FORMS),
            "protocol": "",
            "consent_to_share": rng.choice(["yes", "no", "sí"]),
            "notes": "",
        }
        if bad_every and n % bad_every == bad_every - 1:
            column, value = DEFECTS[(n // bad_every) % len(DEFECTS)]
            values[column] = value
            bad.append(n + 2)
        writer.writerow([values.get(c, "") for c in COLUMN_NAMES])
    return buffer.getvalue().encode("utf-8"), bad
