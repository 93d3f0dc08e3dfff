"""The report's figures written as prose. Pure: no database.

The expected sentences are the protection section of the Trafficking in
Persons report on Mexico for 2017, word for word, except that the fund
sentence leaves out "mandated by the 2012 anti-trafficking law", which no
figure in the report can support. Names with an apostrophe
carry the report's curly one, written "\\u2019" because ruff flags the
character as ambiguous.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

import pytest

from enlace.statistics.narrative import (
    format_int,
    format_money,
    join_list,
    month_year,
    narrative,
    number_words,
    percent,
)

REPORT_2017: dict[str, Any] = {
    "year": 2017,
    "identified": {
        "total": 667,
        "by_form": {
            "sex_trafficking": 429,
            "forced_labour": 103,
            "forced_begging": 8,
            "forced_criminality": 8,
            "other": 4,
            "unspecified": 115,
        },
        "by_sex": {"male": 100, "female": 440, "unspecified": 127},
        "by_level": {"federal": 140, "state": 527},
        "previous_years": {"2016": 740, "2015": 1814},
        "by_level_previous_years": {
            "federal": {"2016": 194, "2015": 876},
            "state": {"2016": 691, "2015": 938},
        },
    },
    "identified_abroad": {
        "total": 196,
        "by_country": {"US": 180, "CA": 8, "GT": 5, "ES": 3},
        "by_form": {"forced_labour": 196},
        "previous_years": {"2016": 20},
    },
    "assisted": {
        "by_agency": {"PGR": 98, "DIF": 78, "CNS": 126, "INM": 31, "ONG-PUE": 40, "FGE-PUE": 12}
    },
    "sheltered": {"by_shelter": {"REF-FEVIMTRA": 52, "REF-PUE": 20}},
    "humanitarian_visas": {"granted": 25, "previous_years": {"2016": 4}},
    "funds": {
        "usd_rate": "0.05075",
        "established": [
            {
                "fund": "CEAV-EMERGENCIA",
                "administrator": "CEAV",
                "endowment_mxn": "3000000.00",
                "endowment_usd": "152250",
                "established_on": "2017-02-01",
                "disbursing_from": "2017-04-01",
            }
        ],
        "disbursed_by_fund": {
            "CEAV-EMERGENCIA": {"amount_mxn": "812000.00", "amount_usd": "41210", "people": 40}
        },
        "grants": [
            {
                "grantor": "INDESOL",
                "amount_mxn": "598500.00",
                "amount_usd": "30370",
                "grantees": 2,
                "victims_served": 76,
            }
        ],
    },
    "names": {
        "agencies": {
            "PGR": {
                "en": "Attorney General\u2019s Office",
                "es": "Procuraduría General de la República",
                "level": "federal",
                "kind": "prosecutor",
            },
            "FEVIMTRA": {
                "en": "Special Prosecutor\u2019s Office for Violence Against Women "
                "and Trafficking in Persons",
                "es": "Fiscalía Especial para los Delitos de Violencia contra las Mujeres "
                "y Trata de Personas",
                "level": "federal",
                "kind": "prosecutor",
            },
            "INDESOL": {
                "en": "National Institute of Social Development",
                "es": "Instituto Nacional de Desarrollo Social",
                "level": "federal",
                "kind": "social_development",
            },
            "DIF": {
                "en": "National Children and Family Services System",
                "es": "Sistema Nacional para el Desarrollo Integral de la Familia",
                "level": "federal",
                "kind": "child_services",
            },
            "CNS": {
                "en": "National Security System",
                "es": "Comisión Nacional de Seguridad",
                "level": "federal",
                "kind": "security",
            },
            "INM": {
                "en": "National Institute of Migration",
                "es": "Instituto Nacional de Migración",
                "level": "federal",
                "kind": "immigration",
            },
            "CEAV": {
                "en": "Executive Committee for Victim Assistance",
                "es": "Comisión Ejecutiva de Atención a Víctimas",
                "level": "federal",
                "kind": "victims_commission",
            },
            "SRE": {
                "en": "Ministry of Foreign Relations",
                "es": "Secretaría de Relaciones Exteriores",
                "level": "federal",
                "kind": "consular",
            },
            "ONG-PUE": {
                "en": "Puebla shelter association",
                "es": "Asociación de refugios de Puebla",
                "level": "ngo",
                "kind": "shelter_operator",
            },
            "FGE-PUE": {
                "en": "Puebla State Prosecutor\u2019s Office",
                "es": "Fiscalía General del Estado de Puebla",
                "level": "state",
                "kind": "prosecutor",
            },
        },
        "shelters": {
            "REF-FEVIMTRA": {
                "operator": "FEVIMTRA",
                "kind": "high_security",
                "jurisdiction": "Ciudad de México",
                "jurisdiction_en": "Mexico City",
            },
            "REF-PUE": {
                "operator": "ONG-PUE",
                "kind": "public_private",
                "jurisdiction": "Puebla",
                "jurisdiction_en": "Puebla",
            },
        },
        "countries": {
            "US": {"en": "United States", "es": "Estados Unidos"},
            "CA": {"en": "Canada", "es": "Canadá"},
            "GT": {"en": "Guatemala", "es": "Guatemala"},
            "ES": {"en": "Spain", "es": "España"},
            "NL": {"en": "Netherlands", "es": "Países Bajos"},
        },
        "nationality_adjective": {"en": "Mexican", "es": "mexicanas"},
        "currency": {
            "code": "MXN",
            "en": {"one": "peso", "other": "pesos", "dollars": "sign"},
            "es": {"one": "peso", "other": "pesos", "dollars": "words"},
        },
    },
}
PESOS = REPORT_2017["names"]["currency"]
QUETZALES = {
    "code": "GTQ",
    "en": {"one": "quetzal", "other": "quetzales", "dollars": "sign"},
    "es": {"one": "quetzal", "other": "quetzales", "dollars": "sign"},
}

SEED_EN = [
    [
        "The government reported identifying 667 trafficking victims in 2017\u2014429 for sex "
        "trafficking, 103 for forced labor or services, eight for forced begging, eight for "
        "forced criminality, four for other purposes, and 115 unspecified\u2014compared to 740 "
        "victims in 2016 and 1,814 in 2015.",
        "Of the 667 trafficking victims identified, approximately 15 percent were male, "
        "66 percent were female, and 19 percent did not have their gender specified.",
        "The federal government identified 140 victims, compared to 194 in 2016 and 876 in 2015.",
        "The state governments identified 527 victims, compared to 691 in 2016 and 938 in 2015.",
        "The Ministry of Foreign Relations identified and provided support to 196 Mexican "
        "forced labor victims abroad, including 180 in the United States and 16 in other "
        "countries, compared to 20 in 2016.",
    ],
    [
        "The Special Prosecutor\u2019s Office for Violence Against Women and Trafficking in "
        "Persons (FEVIMTRA) continued to operate a high-security shelter in Mexico City and "
        "provided shelter to 52 trafficking victims.",
    ],
    [
        "In 2017, the Executive Committee for Victim Assistance (CEAV) signed an agreement for "
        "the creation of an emergency fund of approximately 3 million pesos ($152,250) to "
        "support trafficking victims, which began to provide funding in April 2017.",
        "The National Institute of Social Development (INDESOL) provided 598,500 pesos "
        "($30,370) to two NGOs to provide victim services to 76 trafficking victims.",
        "The Attorney General\u2019s Office (PGR) provided victim services to 98 trafficking "
        "victims who were participating in the legal process against their exploiters.",
        "The National Children and Family Services System (DIF) provided assistance to 78 victims.",
        "The National Security System (CNS) provided assistance to 126 victims.",
        "The National Institute of Migration (INM) provided assistance to 31 potential foreign "
        "trafficking victims and issued temporary immigration relief in the form of "
        "humanitarian visas to 25 victims in 2017, compared to four victims in 2016.",
    ],
]

SEED_ES = [
    [
        "El gobierno informó haber identificado a 667 víctimas de trata en 2017\u2014429 con "
        "fines de explotación sexual, 103 en trabajos o servicios forzados, ocho en mendicidad "
        "forzosa, ocho en actividades delictivas forzadas, cuatro con otros fines y 115 sin "
        "especificar\u2014, en comparación con 740 víctimas en 2016 y 1,814 en 2015.",
        "De las 667 víctimas de trata identificadas, aproximadamente el 15 por ciento eran de "
        "sexo masculino, el 66 por ciento eran de sexo femenino y el 19 por ciento no tenían "
        "su sexo especificado.",
        "El gobierno federal identificó a 140 víctimas, en comparación con 194 en 2016 y 876 "
        "en 2015.",
        "Los gobiernos estatales identificaron a 527 víctimas, en comparación con 691 en 2016 "
        "y 938 en 2015.",
        "La Secretaría de Relaciones Exteriores identificó y brindó apoyo a 196 víctimas "
        "mexicanas de trabajo forzoso en el extranjero, incluidas 180 en Estados Unidos y 16 "
        "en otros países, en comparación con 20 en 2016.",
    ],
    [
        "La Fiscalía Especial para los Delitos de Violencia contra las Mujeres y Trata de "
        "Personas (FEVIMTRA) continuó operando un refugio de alta seguridad en la Ciudad de "
        "México y brindó refugio a 52 víctimas de trata.",
    ],
    [
        "En 2017, la Comisión Ejecutiva de Atención a Víctimas (CEAV) firmó un convenio para "
        "la creación de un fondo de emergencia de aproximadamente 3 millones de pesos (152,250 "
        "dólares) para apoyar a víctimas de trata, que comenzó a otorgar recursos en abril de "
        "2017.",
        "El Instituto Nacional de Desarrollo Social (INDESOL) otorgó 598,500 pesos (30,370 "
        "dólares) a dos organizaciones de la sociedad civil para brindar servicios a 76 "
        "víctimas de trata.",
        "La Procuraduría General de la República (PGR) brindó servicios a 98 víctimas de trata "
        "que participaban en el proceso penal contra sus explotadores.",
        "El Sistema Nacional para el Desarrollo Integral de la Familia (DIF) brindó asistencia "
        "a 78 víctimas.",
        "La Comisión Nacional de Seguridad (CNS) brindó asistencia a 126 víctimas.",
        "El Instituto Nacional de Migración (INM) brindó asistencia a 31 posibles víctimas "
        "extranjeras de trata y otorgó protección migratoria temporal mediante visas por "
        "razones humanitarias a 25 víctimas en 2017, en comparación con cuatro víctimas en "
        "2016.",
    ],
]

SEED = {"en": SEED_EN, "es": SEED_ES}


def _report() -> dict[str, Any]:
    return copy.deepcopy(REPORT_2017)


def _text(report: dict[str, Any], lang: str = "en") -> str:
    return " ".join(narrative(report, lang=lang))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_writes_the_seed_paragraphs(lang: str) -> None:
    expected = [" ".join(sentences) for sentences in SEED[lang]]
    assert narrative(_report(), lang=lang) == expected


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [(lang, sentence) for lang, paragraphs in SEED.items() for p in paragraphs for sentence in p],
)
def test_it_writes_each_seed_sentence(lang: str, sentence: str) -> None:
    # The same check as above, one sentence at a time, so a failure names it.
    assert sentence in _text(_report(), lang)


def test_it_uses_the_names_as_given() -> None:
    text = _text(_report())
    assert "Attorney General\u2019s Office" in text
    assert "Attorney General's Office" not in text


def test_it_rejects_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="fr"):
        narrative(_report(), lang="fr")


def test_it_leaves_out_a_missing_earlier_year() -> None:
    report = _report()
    del report["identified"]["previous_years"]["2015"]
    assert "115 unspecified\u2014compared to 740 victims in 2016." in _text(report)
    assert "sin especificar\u2014, en comparación con 740 víctimas en 2016." in _text(report, "es")


def test_it_closes_the_form_list_without_earlier_years() -> None:
    report = _report()
    del report["identified"]["previous_years"]
    assert "four for other purposes, and 115 unspecified. Of the 667" in _text(report)
    # Spanish keeps the closing dash before the full stop.
    assert "cuatro con otros fines y 115 sin especificar\u2014. De las 667" in _text(report, "es")


def test_it_compares_without_the_form_list() -> None:
    report = _report()
    del report["identified"]["by_form"]
    assert (
        "The government reported identifying 667 trafficking victims in 2017, "
        "compared to 740 victims in 2016 and 1,814 in 2015." in _text(report)
    )


def test_it_leaves_out_forms_with_no_victims() -> None:
    report = _report()
    report["identified"]["by_form"]["forced_begging"] = 0
    report["identified"]["by_form"]["other"] = 0
    text = _text(report)
    assert (
        "\u2014429 for sex trafficking, 103 for forced labor or services, eight for forced "
        "criminality, and 115 unspecified\u2014" in text
    )
    assert "begging" not in text
    assert "other purposes" not in text


def test_it_leaves_out_the_totals_sentences_without_a_total() -> None:
    report = _report()
    del report["identified"]["total"]
    text = _text(report)
    assert "reported identifying" not in text
    assert "percent" not in text
    assert text.startswith("The federal government identified 140 victims")


def test_it_leaves_out_a_level_without_a_figure() -> None:
    report = _report()
    del report["identified"]["by_level"]["federal"]
    text = _text(report)
    assert "federal government" not in text
    assert "The state governments identified 527 victims" in text


def test_it_writes_a_level_without_earlier_years() -> None:
    report = _report()
    del report["identified"]["by_level_previous_years"]
    assert "The federal government identified 140 victims. The state" in _text(report)


def test_it_leaves_out_the_visas_without_a_figure() -> None:
    report = _report()
    del report["humanitarian_visas"]
    text = _text(report)
    assert (
        "The National Institute of Migration (INM) provided assistance to 31 potential "
        "foreign trafficking victims." in text
    )
    assert "visas" not in text
    assert "visas" not in _text(report, "es")


def test_it_writes_the_visas_without_assistance() -> None:
    report = _report()
    del report["assisted"]["by_agency"]["INM"]
    assert narrative(report)[-1].endswith(
        "The National Institute of Migration (INM) issued temporary immigration relief in the "
        "form of humanitarian visas to 25 victims in 2017, compared to four victims in 2016."
    )


def test_it_leaves_out_a_missing_shelter_paragraph() -> None:
    report = _report()
    del report["sheltered"]
    paragraphs = narrative(report)
    assert len(paragraphs) == 2
    assert "shelter" not in " ".join(paragraphs)


def test_it_writes_no_sentence_for_state_agencies_or_ngos() -> None:
    text = _text(_report())
    assert "FGE-PUE" not in text
    assert "ONG-PUE" not in text
    assert "Puebla" not in text


def test_it_writes_other_federal_agencies_last() -> None:
    report = _report()
    report["assisted"]["by_agency"]["CEAV"] = 40
    assert narrative(report)[-1].endswith(
        "compared to four victims in 2016. The Executive Committee for Victim Assistance "
        "(CEAV) provided assistance to 40 victims."
    )


def test_it_writes_the_shelter_operator_as_another_agency() -> None:
    # FEVIMTRA is a prosecutor, but its victims were sheltered, not in court.
    report = _report()
    report["assisted"]["by_agency"]["FEVIMTRA"] = 10
    assert "Trafficking in Persons (FEVIMTRA) provided assistance to 10 victims." in _text(report)


def test_it_names_the_only_form_abroad() -> None:
    report = _report()
    report["identified_abroad"]["by_form"] = {"forced_labour": 190, "sex_trafficking": 6}
    text = _text(report)
    assert "to 196 Mexican trafficking victims abroad, including" in text
    assert "a 196 víctimas mexicanas de trata en el extranjero" in _text(report, "es")


def test_it_says_one_other_country() -> None:
    report = _report()
    report["identified_abroad"]["by_country"] = {"US": 180, "GT": 16}
    assert "including 180 in the United States and 16 in one other country" in _text(report)
    assert "incluidas 180 en Estados Unidos y 16 en otro país" in _text(report, "es")


def test_it_names_the_country_of_all_victims_abroad() -> None:
    report = _report()
    report["identified_abroad"]["by_country"] = {"NL": 196}
    assert "196 Mexican forced labor victims in the Netherlands, compared" in _text(report)


def test_it_writes_one_victim_abroad_in_the_singular() -> None:
    report = _report()
    report["identified_abroad"] = {"total": 1, "by_country": {"GT": 1}}
    assert "support to one Mexican trafficking victim in Guatemala." in _text(report)
    assert "apoyo a una víctima mexicana de trata en Guatemala." in _text(report, "es")


def test_it_says_less_than_one_percent() -> None:
    report = _report()
    report["identified"]["by_sex"] = {"male": 2, "female": 665}
    assert "less than 1 percent were male and approximately 100 percent were female." in _text(
        report
    )


def test_it_writes_a_fund_without_a_start_date() -> None:
    report = _report()
    del report["funds"]["established"][0]["disbursing_from"]
    assert "($152,250) to support trafficking victims. The National" in _text(report)


def test_it_writes_a_single_grantee() -> None:
    report = _report()
    report["funds"]["grants"][0]["grantees"] = 1
    assert "($30,370) to one NGO to provide" in _text(report)
    assert "dólares) a una organización de la sociedad civil para" in _text(report, "es")


@pytest.mark.parametrize(
    ("n", "en", "es"),
    [
        (0, "zero", "cero"),
        (1, "one", "uno"),
        (2, "two", "dos"),
        (3, "three", "tres"),
        (4, "four", "cuatro"),
        (5, "five", "cinco"),
        (6, "six", "seis"),
        (7, "seven", "siete"),
        (8, "eight", "ocho"),
        (9, "nine", "nueve"),
        (10, "10", "10"),
        (1814, "1,814", "1,814"),
        (1234567, "1,234,567", "1,234,567"),
    ],
)
def test_it_spells_numbers_under_ten(n: int, en: str, es: str) -> None:
    assert number_words(n, "en") == en
    assert number_words(n, "es") == es


def test_it_agrees_one_with_a_feminine_noun() -> None:
    assert number_words(1, "es", feminine=True) == "una"
    assert number_words(1, "en", feminine=True) == "one"


def test_it_groups_thousands() -> None:
    assert format_int(667) == "667"
    assert format_int(1814) == "1,814"
    assert format_int(3000000) == "3,000,000"


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(100, 667, 15), (440, 667, 66), (127, 667, 19), (1, 8, 13), (5, 8, 63), (1, 3, 33)],
)
def test_it_rounds_percentages_half_up(part: int, whole: int, expected: int) -> None:
    # 1/8 and 5/8 are 12.5 and 62.5 percent: up, never to the even number.
    assert percent(part, whole) == expected


def test_it_refuses_a_percentage_of_nothing() -> None:
    with pytest.raises(ValueError, match="positive"):
        percent(1, 0)


@pytest.mark.parametrize(
    ("mxn", "usd", "lang", "expected"),
    [
        ("598500.00", "30370", "en", "598,500 pesos ($30,370)"),
        ("3000000.00", "152250", "en", "approximately 3 million pesos ($152,250)"),
        ("1000000", "50750", "en", "approximately 1 million pesos ($50,750)"),
        ("2500000.00", "126880", "en", "2,500,000 pesos ($126,880)"),
        ("812000.50", None, "en", "812,000.50 pesos"),
        ("598500.00", "30370", "es", "598,500 pesos (30,370 dólares)"),
        ("3000000.00", "152250", "es", "aproximadamente 3 millones de pesos (152,250 dólares)"),
        ("1000000.00", "50750", "es", "aproximadamente 1 millón de pesos (50,750 dólares)"),
    ],
)
def test_it_formats_money(mxn: str, usd: str | None, lang: str, expected: str) -> None:
    assert format_money(mxn, usd, lang=lang, currency=PESOS) == expected


def test_it_takes_money_as_decimals() -> None:
    assert (
        format_money(Decimal("598500.00"), Decimal(30370), currency=PESOS)
        == "598,500 pesos ($30,370)"
    )


@pytest.mark.parametrize(
    ("amount", "usd", "lang", "expected"),
    [
        ("1", None, "en", "1 quetzal"),
        ("250000", "32500", "en", "250,000 quetzales ($32,500)"),
        ("2000000", "260000", "es", "aproximadamente 2 millones de quetzales (US$260,000)"),
    ],
)
def test_another_profile_names_its_own_currency(
    amount: str, usd: str | None, lang: str, expected: str
) -> None:
    assert format_money(amount, usd, lang=lang, currency=QUETZALES) == expected


def test_without_the_currency_s_words_its_iso_code_names_it() -> None:
    assert format_money("598500", "30370", currency={"code": "GTQ"}) == "598,500 GTQ ($30,370)"
    assert format_money("598500", "30370", lang="es") == "598,500 (30,370 dólares)"


def test_it_names_months() -> None:
    assert month_year(datetime.date(2017, 4, 1)) == "April 2017"
    assert month_year(datetime.date(2017, 4, 1), "es") == "abril de 2017"


@pytest.mark.parametrize(
    ("items", "en", "es"),
    [
        (["a"], "a", "a"),
        (["a", "b"], "a and b", "a y b"),
        (["a", "b", "c"], "a, b, and c", "a, b y c"),
    ],
)
def test_it_joins_lists(items: list[str], en: str, es: str) -> None:
    assert join_list(items, "en") == en
    assert join_list(items, "es") == es


def test_it_gives_the_range_linkage_leaves_open() -> None:
    report = _report()
    report["identified"]["total_range"] = {"low": 650, "high": 667}
    assert "could make the total as low as 650; 667 counts them as linked so far." in _text(report)
    assert "podrían reducir el total hasta 650" in _text(report, "es")
    report["identified"]["total_range"] = {"low": 667, "high": 667}
    assert "as low as" not in _text(report)
