"""The annual report's figures written as prose, in English or Spanish. Pure.

The wording follows the protection section of the US State Department's
Trafficking in Persons report on Mexico, so the figures the system produces
can go into the government's submission as they stand. A sentence whose figure is missing from
the report is left out rather than written with a zero: a zero would be read as
a fact.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

Report = Mapping[str, Any]

LANGUAGES = ("en", "es")

_NUMBER_WORDS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
}

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}

# The order the report lists the forms in; "unspecified" always closes the list.
_FORM_PURPOSES = {
    "sex_trafficking": {"en": "for sex trafficking", "es": "con fines de explotación sexual"},
    "forced_labour": {
        "en": "for forced labor or services",
        "es": "en trabajos o servicios forzados",
    },
    "forced_begging": {"en": "for forced begging", "es": "en mendicidad forzosa"},
    "forced_criminality": {
        "en": "for forced criminality",
        "es": "en actividades delictivas forzadas",
    },
    "other": {"en": "for other purposes", "es": "con otros fines"},
    "unspecified": {"en": "unspecified", "es": "sin especificar"},
}

# "Mexican forced labor victims": the form as a noun modifier. "other" and
# "unspecified" say nothing a reader can use, so they fall back to "trafficking".
_FORM_MODIFIERS = {
    "sex_trafficking": {"en": "sex trafficking", "es": "de explotación sexual"},
    "forced_labour": {"en": "forced labor", "es": "de trabajo forzoso"},
    "forced_begging": {"en": "forced begging", "es": "de mendicidad forzosa"},
    "forced_criminality": {"en": "forced criminality", "es": "de actividades delictivas forzadas"},
}
_TRAFFICKING_MODIFIER = {"en": "trafficking", "es": "de trata"}

_SEX_OUTCOMES = {
    "male": {"en": "were male", "es": "eran de sexo masculino"},
    "female": {"en": "were female", "es": "eran de sexo femenino"},
    "unspecified": {
        "en": "did not have their gender specified",
        "es": "no tenían su sexo especificado",
    },
}

_LEVEL_SUBJECTS = {
    "federal": {
        "en": "The federal government identified",
        "es": "El gobierno federal identificó a",
    },
    "state": {
        "en": "The state governments identified",
        "es": "Los gobiernos estatales identificaron a",
    },
    "municipal": {
        "en": "The municipal governments identified",
        "es": "Los gobiernos municipales identificaron a",
    },
}

# Agency sentences in paragraph three come in this order of kind, then by code.
_ASSISTANCE_KIND_ORDER = ("prosecutor", "child_services", "security", "immigration")

# English country names read with "the" ("in the United States").
_COUNTRIES_WITH_THE = frozenset(
    {
        "Bahamas",
        "Comoros",
        "Gambia",
        "Holy See",
        "Maldives",
        "Marshall Islands",
        "Netherlands",
        "Philippines",
        "Seychelles",
        "Solomon Islands",
    }
)

# Spanish heads ending in -a that are masculine, and the feminine ones the
# ending rule misses; enough for the names of Mexican public bodies.
_MASCULINE_HEADS = frozenset({"sistema", "programa", "día", "mapa"})
_FEMININE_HEADS = frozenset({"red", "sede", "clase"})
_FEMININE_ENDINGS = ("a", "ión", "dad", "tad", "tud")
_ARTICLES = ("The ", "El ", "La ", "Los ", "Las ")

_MILLION = Decimal(1_000_000)


def narrative(report: Report, *, lang: str = "en") -> list[str]:
    """Paragraphs of prose for the report's figures, in ``lang`` ("en" or "es").

    Paragraph one identifies victims, two names the high-security shelters,
    three covers funds and the assistance given by federal agencies. A
    paragraph with nothing to say is left out.
    """
    _check_lang(lang)
    paragraphs = [
        _identification(report, lang),
        _shelters(report, lang),
        _funds_and_assistance(report, lang),
    ]
    return [" ".join(sentences) for sentences in paragraphs if sentences]


def number_words(n: int, lang: str = "en", *, feminine: bool = False) -> str:
    """Spell out numbers under ten and write the rest as digits, as style guides ask.

    Spanish "uno" becomes "una" before a feminine noun ("una víctima").
    """
    _check_lang(lang)
    if 0 <= n < 10:
        if lang == "es" and n == 1 and feminine:
            return "una"
        return _NUMBER_WORDS[lang][n]
    return format_int(n)


def format_int(n: int) -> str:
    """Group thousands with commas: "1,814". Mexican Spanish groups them the same way."""
    return f"{n:,}"


def percent(part: int, whole: int) -> int:
    """Whole percent of ``whole`` that ``part`` is, with halves rounded up.

    Integer arithmetic, so 5 of 8 is 63 percent, not the 62 that
    round-half-even on a float would give.
    """
    if whole <= 0:
        raise ValueError("a percentage needs a positive whole")
    return (200 * part + whole) // (2 * whole)


def format_money(
    amount_mxn: str | Decimal, amount_usd: str | Decimal | None = None, *, lang: str = "en"
) -> str:
    """Pesos with their dollar equivalent: "598,500 pesos ($30,370)".

    A whole number of millions reads as a round figure, "approximately 3
    million pesos", as the report writes the fund's endowment. In Spanish the
    dollars are spelled out, because "$" means pesos in Mexico.
    """
    _check_lang(lang)
    pesos = Decimal(amount_mxn)
    if pesos >= _MILLION and pesos % _MILLION == 0:
        millions = int(pesos / _MILLION)
        if lang == "en":
            text = f"approximately {millions} million pesos"
        else:
            text = (
                f"aproximadamente {millions} {'millón' if millions == 1 else 'millones'} de pesos"
            )
    else:
        text = f"{_format_decimal(pesos)} pesos"
    if amount_usd is None:
        return text
    dollars = _format_decimal(Decimal(amount_usd))
    if lang == "en":
        return f"{text} (${dollars})"
    return f"{text} ({dollars} {'dólar' if Decimal(amount_usd) == 1 else 'dólares'})"


def month_year(day: datetime.date, lang: str = "en") -> str:
    """Month and year as the report dates things: "April 2017", "abril de 2017"."""
    _check_lang(lang)
    month = _MONTHS[lang][day.month - 1]
    return f"{month} {day.year}" if lang == "en" else f"{month} de {day.year}"


def join_list(items: Iterable[str], lang: str = "en") -> str:
    """Join with "and"; English takes the serial comma, Spanish never does."""
    _check_lang(lang)
    words = list(items)
    conjunction = "and" if lang == "en" else "y"
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    serial = "," if lang == "en" else ""
    return f"{', '.join(words[:-1])}{serial} {conjunction} {words[-1]}"


# Paragraph one: identification.


def _identification(report: Report, lang: str) -> list[str]:
    identified = _section(report, "identified")
    sentences = [
        _identified_sentence(report, identified, lang),
        _range_sentence(identified, lang),
        _sex_sentence(identified, lang),
    ]
    sentences.extend(_level_sentence(identified, level, lang) for level in _LEVEL_SUBJECTS)
    sentences.append(_abroad_sentence(report, lang))
    return [sentence for sentence in sentences if sentence]


def _identified_sentence(report: Report, identified: Report, lang: str) -> str | None:
    total = identified.get("total")
    if total is None:
        return None
    by_form = _counts(identified.get("by_form"))
    forms = [
        f"{number_words(by_form[form], lang, feminine=True)} {purpose[lang]}"
        for form, purpose in _FORM_PURPOSES.items()
        if by_form.get(form)
    ]
    compared = _compared(identified.get("previous_years"), lang, with_noun=True)
    if lang == "en":
        text = f"The government reported identifying {_trafficking_victims(total, lang)}"
    else:
        text = f"El gobierno informó haber identificado a {_trafficking_victims(total, lang)}"
    text += _in_year(report, lang)
    if forms:
        # English drops the closing dash before the full stop, Spanish keeps it.
        text += f"\u2014{join_list(forms, lang)}"
        if compared:
            text += f"\u2014{compared}" if lang == "en" else f"\u2014, {compared}"
        elif lang == "es":
            text += "\u2014"
    elif compared:
        text += f", {compared}"
    return f"{text}."


def _range_sentence(identified: Report, lang: str) -> str | None:
    """Said only when linkage leaves pairs undecided: the total is then a range."""
    span = identified.get("total_range") or {}
    low, high = span.get("low"), span.get("high")
    if low is None or high is None or low == high:
        return None
    if lang == "en":
        return (
            f"Records still under review could make the total as low as {low:,}; "
            f"{high:,} counts them as linked so far."
        )
    return (
        f"Los registros aún en revisión podrían reducir el total hasta {low:,}; "
        f"{high:,} los cuenta como están vinculados hasta ahora."
    )


def _sex_sentence(identified: Report, lang: str) -> str | None:
    total = identified.get("total")
    by_sex = _counts(identified.get("by_sex"))
    if not total or not by_sex:
        return None
    outcomes: list[str] = []
    approximated = False
    for sex, outcome in _SEX_OUTCOMES.items():
        count = by_sex.get(sex)
        if not count:
            continue
        share = percent(count, total)
        if share == 0:
            amount = "less than 1 percent" if lang == "en" else "menos del 1 por ciento"
        else:
            amount = f"{share} percent" if lang == "en" else f"el {share} por ciento"
            # Said once, before the first rounded share.
            if not approximated:
                approximated = True
                amount = f"{'approximately' if lang == 'en' else 'aproximadamente'} {amount}"
        outcomes.append(f"{amount} {outcome[lang]}")
    if not outcomes:
        return None
    if lang == "en":
        opening = f"Of the {_trafficking_victims(total, lang)} identified"
    else:
        victims = "identificada" if total == 1 else "identificadas"
        opening = (
            f"De {'la' if total == 1 else 'las'} {_trafficking_victims(total, lang)} {victims}"
        )
    return f"{opening}, {join_list(outcomes, lang)}."


def _level_sentence(identified: Report, level: str, lang: str) -> str | None:
    count = _section(identified, "by_level").get(level)
    if count is None:
        return None
    text = f"{_LEVEL_SUBJECTS[level][lang]} {_victims(count, lang)}"
    previous = _section(identified, "by_level_previous_years").get(level)
    compared = _compared(previous, lang, with_noun=False)
    if compared:
        text += f", {compared}"
    return f"{text}."


def _abroad_sentence(report: Report, lang: str) -> str | None:
    abroad = _section(report, "identified_abroad")
    total = abroad.get("total")
    if total is None:
        return None
    consulate = _find_agency(report, kind="consular")
    if consulate is None:
        subject = "The government" if lang == "en" else "El gobierno"
    else:
        subject = _agency_label(report, consulate, lang, with_code=False)

    modifier = _abroad_modifier(abroad, total, lang)
    adjective = _section(_section(report, "names"), "nationality_adjective").get(lang)
    if lang == "en":
        victims = "victim" if total == 1 else "victims"
        described = " ".join(filter(None, [adjective, modifier, victims]))
        text = (
            f"{subject} identified and provided support to {number_words(total, lang)} {described}"
        )
    else:
        victims = "víctima" if total == 1 else "víctimas"
        if adjective and total == 1 and adjective.endswith("s"):
            adjective = adjective[:-1]
        described = " ".join(filter(None, [victims, adjective, modifier]))
        count = number_words(total, lang, feminine=True)
        text = f"{subject} identificó y brindó apoyo a {count} {described}"
    text += _abroad_where(report, abroad, total, lang)
    compared = _compared(abroad.get("previous_years"), lang, with_noun=False)
    if compared:
        text += f", {compared}"
    return f"{text}."


def _abroad_modifier(abroad: Report, total: int, lang: str) -> str:
    forms = {form: count for form, count in _counts(abroad.get("by_form")).items() if count}
    if len(forms) == 1:
        ((form, count),) = forms.items()
        if count == total and form in _FORM_MODIFIERS:
            return _FORM_MODIFIERS[form][lang]
    return _TRAFFICKING_MODIFIER[lang]


def _abroad_where(report: Report, abroad: Report, total: int, lang: str) -> str:
    """Where the victims were: "abroad, including 180 in the United States and 16 in ...".

    When all of them were in one country, the country replaces "abroad".
    """
    by_country = {code: n for code, n in _counts(abroad.get("by_country")).items() if n}
    abroad_word = " abroad" if lang == "en" else " en el extranjero"
    if not by_country:
        return abroad_word
    top = min(by_country, key=lambda code: (-by_country[code], code))
    top_count = by_country[top]
    place = _country(report, top, lang)
    if top_count == total and len(by_country) == 1:
        return f" {place}"
    parts = [f"{number_words(top_count, lang, feminine=True)} {place}"]
    rest = sum(n for code, n in by_country.items() if code != top)
    if rest:
        others = len(by_country) - 1
        if lang == "en":
            elsewhere = "in one other country" if others == 1 else "in other countries"
        else:
            elsewhere = "en otro país" if others == 1 else "en otros países"
        parts.append(f"{number_words(rest, lang, feminine=True)} {elsewhere}")
    including = "including" if lang == "en" else "incluidas"
    return f"{abroad_word}, {including} {join_list(parts, lang)}"


def _country(report: Report, code: str, lang: str) -> str:
    name = _section(_section(_section(report, "names"), "countries"), code).get(lang, code)
    if lang == "es":
        return f"en {name}"
    needs_the = (
        name in _COUNTRIES_WITH_THE
        or name.startswith(("United ", "Republic ", "Kingdom "))
        or name.endswith((" Republic", " Islands", " Emirates"))
    )
    return f"in the {name}" if needs_the else f"in {name}"


# Paragraph two: shelters.


def _shelters(report: Report, lang: str) -> list[str]:
    by_shelter = _counts(_section(report, "sheltered").get("by_shelter"))
    shelters = _section(_section(report, "names"), "shelters")
    sentences = []
    for code in sorted(by_shelter):
        shelter = _section(shelters, code)
        if shelter.get("kind") != "high_security":
            continue
        operator = shelter.get("operator")
        if operator is None:
            subject = "A high-security shelter" if lang == "en" else "Un refugio de alta seguridad"
        else:
            subject = _agency_label(report, operator, lang)
        place = shelter.get("jurisdiction_en" if lang == "en" else "jurisdiction")
        victims = _trafficking_victims(by_shelter[code], lang)
        if lang == "en":
            where = f" in {_place_en(place)}" if place else ""
            if operator is None:
                text = f"{subject}{where} provided shelter to {victims}."
            else:
                text = (
                    f"{subject} continued to operate a high-security shelter{where} "
                    f"and provided shelter to {victims}."
                )
        else:
            where = f" en {_place_es(place)}" if place else ""
            if operator is None:
                text = f"{subject}{where} brindó refugio a {victims}."
            else:
                text = (
                    f"{subject} continuó operando un refugio de alta seguridad{where} "
                    f"y brindó refugio a {victims}."
                )
        sentences.append(text)
    return sentences


def _place_en(place: str) -> str:
    return f"the {place}" if place.startswith(("State of ", "City of ")) else place


def _place_es(place: str) -> str:
    if place.startswith("Ciudad "):
        return f"la {place}"
    if place.startswith("Estado "):
        return f"el {place}"
    return place


# Paragraph three: funds and assistance.


def _funds_and_assistance(report: Report, lang: str) -> list[str]:
    funds = _section(report, "funds")
    sentences = [_fund_sentence(report, fund, lang) for fund in funds.get("established") or ()]
    sentences.extend(_grant_sentence(report, grant, lang) for grant in funds.get("grants") or ())
    sentences.extend(_assistance_sentences(report, lang))
    return sentences


def _fund_sentence(report: Report, fund: Report, lang: str) -> str:
    administrator = fund.get("administrator")
    kind = _agency_names(report, administrator).get("kind") if administrator else None
    established_on = _date(fund.get("established_on"))
    year = established_on.year if established_on else report.get("year")
    if administrator is None:
        subject = "the government" if lang == "en" else "el gobierno"
    else:
        subject = _agency_label(report, administrator, lang, capital=year is None)
    if lang == "en":
        text = f"In {year}, {subject}" if year else subject
        fund_name = "an emergency fund" if kind == "victims_commission" else "a fund"
        text += f" signed an agreement for the creation of {fund_name}"
    else:
        text = f"En {year}, {subject}" if year else subject
        fund_name = "un fondo de emergencia" if kind == "victims_commission" else "un fondo"
        text += f" firmó un convenio para la creación de {fund_name}"
    endowment = fund.get("endowment_mxn")
    if endowment is not None:
        money = format_money(endowment, fund.get("endowment_usd"), lang=lang)
        text += f" of {money}" if lang == "en" else f" de {money}"
    text += (
        " to support trafficking victims" if lang == "en" else " para apoyar a víctimas de trata"
    )
    disbursing_from = _date(fund.get("disbursing_from"))
    if disbursing_from:
        when = month_year(disbursing_from, lang)
        if lang == "en":
            text += f", which began to provide funding in {when}"
        else:
            text += f", que comenzó a otorgar recursos en {when}"
    return f"{text}."


def _grant_sentence(report: Report, grant: Report, lang: str) -> str:
    grantor = grant.get("grantor")
    if grantor is None:
        subject = "The government" if lang == "en" else "El gobierno"
    else:
        subject = _agency_label(report, grantor, lang)
    amount = grant.get("amount_mxn")
    grantees = grant.get("grantees")
    served = grant.get("victims_served")
    if lang == "en":
        money = format_money(amount, grant.get("amount_usd")) if amount is not None else "funding"
        if grantees is None:
            recipients = "NGOs"
        else:
            recipients = f"{number_words(grantees, lang)} {'NGO' if grantees == 1 else 'NGOs'}"
        text = f"{subject} provided {money} to {recipients} to provide victim services"
        if served is not None:
            text += f" to {_trafficking_victims(served, lang)}"
    else:
        if amount is not None:
            money = format_money(amount, grant.get("amount_usd"), lang=lang)
        else:
            money = "recursos"
        if grantees is None:
            recipients = "organizaciones de la sociedad civil"
        elif grantees == 1:
            recipients = "una organización de la sociedad civil"
        else:
            recipients = f"{number_words(grantees, lang)} organizaciones de la sociedad civil"
        text = f"{subject} otorgó {money} a {recipients} para brindar servicios"
        text += f" a {_trafficking_victims(served, lang)}" if served is not None else " a víctimas"
    return f"{text}."


def _assistance_sentences(report: Report, lang: str) -> list[str]:
    """One sentence per federal agency in ``assisted.by_agency``, by kind then code.

    State agencies and NGOs get none: the paragraph is about the federal
    government. The shelter's operator is not counted as a prosecutor, whose
    sentence is about victims in criminal proceedings.
    """
    by_agency = _counts(_section(report, "assisted").get("by_agency"))
    shelter_operators = {
        shelter.get("operator")
        for shelter in _section(_section(report, "names"), "shelters").values()
        if isinstance(shelter, Mapping) and shelter.get("kind") == "high_security"
    }
    visas = _section(report, "humanitarian_visas")
    others = len(_ASSISTANCE_KIND_ORDER)
    ranked: list[tuple[int, str, str]] = []
    immigration_written = False
    for code in sorted(by_agency):
        names = _agency_names(report, code)
        if names.get("level") != "federal":
            continue
        kind = names.get("kind")
        count = by_agency[code]
        subject = _agency_label(report, code, lang)
        if kind == "prosecutor" and code not in shelter_operators:
            ranked.append((0, code, _prosecutor_sentence(subject, count, lang)))
        elif kind == "immigration" and not immigration_written:
            immigration_written = True
            sentence = _immigration_sentence(report, subject, count, visas, lang)
            ranked.append((_ASSISTANCE_KIND_ORDER.index(kind), code, sentence))
        else:
            rank = (
                _ASSISTANCE_KIND_ORDER.index(kind)
                if kind in ("child_services", "security")
                else others
            )
            if lang == "en":
                sentence = f"{subject} provided assistance to {_victims(count, lang)}."
            else:
                sentence = f"{subject} brindó asistencia a {_victims(count, lang)}."
            ranked.append((rank, code, sentence))
    if not immigration_written and visas.get("granted") is not None:
        immigration = _find_agency(report, kind="immigration")
        if immigration is None:
            subject = "The government" if lang == "en" else "El gobierno"
        else:
            subject = _agency_label(report, immigration, lang)
        sentence = _immigration_sentence(report, subject, None, visas, lang)
        ranked.append((_ASSISTANCE_KIND_ORDER.index("immigration"), immigration or "", sentence))
    return [sentence for _, _, sentence in sorted(ranked)]


def _prosecutor_sentence(subject: str, count: int, lang: str) -> str:
    victims = _trafficking_victims(count, lang)
    if lang == "en":
        verb = "was" if count == 1 else "were"
        return (
            f"{subject} provided victim services to {victims} who {verb} participating "
            "in the legal process against their exploiters."
        )
    verb = "participaba" if count == 1 else "participaban"
    return (
        f"{subject} brindó servicios a {victims} que {verb} "
        "en el proceso penal contra sus explotadores."
    )


def _immigration_sentence(
    report: Report, subject: str, assisted: int | None, visas: Report, lang: str
) -> str:
    """Assistance and humanitarian visas in one sentence, either part missing."""
    clauses = []
    if assisted is not None:
        if lang == "en":
            victims = "victim" if assisted == 1 else "victims"
            clauses.append(
                f"provided assistance to {number_words(assisted, lang)} "
                f"potential foreign trafficking {victims}"
            )
        else:
            victims = (
                "posible víctima extranjera" if assisted == 1 else "posibles víctimas extranjeras"
            )
            count = number_words(assisted, lang, feminine=True)
            clauses.append(f"brindó asistencia a {count} {victims} de trata")
    granted = visas.get("granted")
    if granted is not None:
        if lang == "en":
            clause = (
                "issued temporary immigration relief in the form of humanitarian visas "
                f"to {_victims(granted, lang)}"
            )
        else:
            clause = (
                "otorgó protección migratoria temporal mediante visas por razones humanitarias "
                f"a {_victims(granted, lang)}"
            )
        clause += _in_year(report, lang)
        compared = _compared(visas.get("previous_years"), lang, with_noun=True)
        if compared:
            clause += f", {compared}"
        clauses.append(clause)
    return f"{subject} {join_list(clauses, lang)}."


# Shared wording.


def _victims(n: int, lang: str) -> str:
    if lang == "en":
        return f"{number_words(n, lang)} {'victim' if n == 1 else 'victims'}"
    return f"{number_words(n, lang, feminine=True)} {'víctima' if n == 1 else 'víctimas'}"


def _trafficking_victims(n: int, lang: str) -> str:
    if lang == "en":
        return f"{number_words(n, lang)} trafficking {'victim' if n == 1 else 'victims'}"
    return f"{_victims(n, lang)} de trata"


def _compared(previous: Any, lang: str, *, with_noun: bool) -> str:
    """The earlier years, latest first: "compared to 740 victims in 2016 and 1,814 in 2015".

    ``with_noun`` puts "victims" after the first figure, where the sentence's
    own count did not already say what is counted.
    """
    counts = _counts(previous)
    if not counts:
        return ""
    items: list[str] = []
    for year in sorted(counts, key=int, reverse=True):
        count = counts[year]
        if with_noun and not items:
            amount = _victims(count, lang)
        else:
            amount = number_words(count, lang, feminine=True)
        items.append(f"{amount} {'in' if lang == 'en' else 'en'} {year}")
    lead = "compared to" if lang == "en" else "en comparación con"
    return f"{lead} {join_list(items, lang)}"


def _in_year(report: Report, lang: str) -> str:
    year = report.get("year")
    if year is None:
        return ""
    return f" in {year}" if lang == "en" else f" en {year}"


def _agency_label(
    report: Report, code: str, lang: str, *, capital: bool = True, with_code: bool = True
) -> str:
    """The agency's name with its article and code: "The National Institute of Migration (INM)".

    Names are used as the report gives them, apostrophes and all.
    """
    name = _agency_names(report, code).get(lang)
    if not name:
        return code
    label = _with_article(name, lang, capital=capital)
    return f"{label} ({code})" if with_code else label


def _with_article(name: str, lang: str, *, capital: bool) -> str:
    if name.startswith(_ARTICLES):
        article, rest = name.split(" ", 1)
    elif lang == "en":
        article, rest = "The", name
    else:
        article, rest = ("La" if _is_feminine(name) else "El"), name
    return f"{article if capital else article.lower()} {rest}"


def _is_feminine(name: str) -> bool:
    head = name.split(" ", 1)[0].lower()
    if head in _MASCULINE_HEADS:
        return False
    return head in _FEMININE_HEADS or head.endswith(_FEMININE_ENDINGS)


def _find_agency(report: Report, *, kind: str) -> str | None:
    """The first federal agency of ``kind`` by code, for sentences the report does not attribute."""
    agencies = _section(_section(report, "names"), "agencies")
    for code in sorted(agencies):
        names = _section(agencies, code)
        if names.get("kind") == kind and names.get("level") == "federal":
            return code
    return None


def _agency_names(report: Report, code: str) -> Report:
    return _section(_section(_section(report, "names"), "agencies"), code)


def _section(mapping: Report, key: str) -> Report:
    value = mapping.get(key)
    return value if isinstance(value, Mapping) else {}


def _counts(value: Any) -> dict[str, int]:
    """The figures of a breakdown, without the ones the report left empty."""
    if not isinstance(value, Mapping):
        return {}
    return {str(key): count for key, count in value.items() if isinstance(count, int)}


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    return datetime.date.fromisoformat(str(value))


def _format_decimal(value: Decimal) -> str:
    if value == value.to_integral_value():
        return format_int(int(value))
    return f"{value:,.2f}"


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
