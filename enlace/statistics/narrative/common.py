"""What the narrative says in any language: which sentences, from which figures.

The paragraphs are put together here from the report; a ``Language``
(``language.py``) gives the words. A sentence whose figure is missing from
the report is left out rather than written with a zero: a zero would be read
as a fact.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from enlace.statistics.narrative.language import Language

Report = Mapping[str, Any]

# The order the report lists the forms in; "unspecified" always closes the list.
FORMS = (
    "sex_trafficking",
    "forced_labour",
    "forced_begging",
    "forced_criminality",
    "other",
    "unspecified",
)
SEXES = ("male", "female", "unspecified")
LEVELS = ("federal", "state", "municipal")

# Agency sentences in paragraph three come in this order of kind, then by code.
ASSISTANCE_KIND_ORDER = ("prosecutor", "child_services", "security", "immigration")

# A name that starts with one of these already carries its article.
ARTICLES = ("The ", "El ", "La ", "Los ", "Las ")


def paragraphs(report: Report, language: Language) -> list[str]:
    """Paragraph one identifies victims, two names the high-security shelters, three
    covers funds and the assistance given by federal agencies. A paragraph with nothing
    to say is left out."""
    sentences = [
        _identification(report, language),
        _shelters(report, language),
        _funds_and_assistance(report, language),
    ]
    return [" ".join(paragraph) for paragraph in sentences if paragraph]


def percent(part: int, whole: int) -> int:
    """Whole percent of ``whole`` that ``part`` is, with halves rounded up.

    Integer arithmetic, so 5 of 8 is 63 percent, not the 62 that
    round-half-even on a float would give.
    """
    if whole <= 0:
        raise ValueError("a percentage needs a positive whole")
    return (200 * part + whole) // (2 * whole)


# Paragraph one: identification.


def _identification(report: Report, language: Language) -> list[str]:
    identified = _section(report, "identified")
    sentences = [
        _identified_sentence(report, identified, language),
        _range_sentence(identified, language),
        _sex_sentence(identified, language),
    ]
    sentences.extend(_level_sentence(identified, level, language) for level in LEVELS)
    sentences.append(_abroad_sentence(report, language))
    return [sentence for sentence in sentences if sentence]


def _identified_sentence(report: Report, identified: Report, language: Language) -> str | None:
    total = identified.get("total")
    if total is None:
        return None
    by_form = _counts(identified.get("by_form"))
    forms = [
        f"{language.number(by_form[form], feminine=True)} {language.form_purposes[form]}"
        for form in FORMS
        if by_form.get(form)
    ]
    compared = _compared(identified.get("previous_years"), language, with_noun=True)
    text = language.identified(total) + _in_year(report, language)
    if forms:
        text += f"\u2014{language.join(forms)}{language.after_forms(compared)}"
    elif compared:
        text += f", {compared}"
    return f"{text}."


def _range_sentence(identified: Report, language: Language) -> str | None:
    """Said only when linkage leaves pairs undecided: the total is then a range."""
    span = identified.get("total_range") or {}
    low, high = span.get("low"), span.get("high")
    if low is None or high is None or low == high:
        return None
    return language.total_range(low, high)


def _sex_sentence(identified: Report, language: Language) -> str | None:
    total = identified.get("total")
    by_sex = _counts(identified.get("by_sex"))
    if not total or not by_sex:
        return None
    outcomes: list[str] = []
    approximated = False
    for sex in SEXES:
        count = by_sex.get(sex)
        if not count:
            continue
        share = percent(count, total)
        if share == 0:
            amount = language.less_than_one_percent
        else:
            amount = language.percent(share)
            # Said once, before the first rounded share.
            if not approximated:
                approximated = True
                amount = f"{language.approximately} {amount}"
        outcomes.append(f"{amount} {language.sex_outcomes[sex]}")
    if not outcomes:
        return None
    return f"{language.of_the_identified(total)}, {language.join(outcomes)}."


def _level_sentence(identified: Report, level: str, language: Language) -> str | None:
    count = _section(identified, "by_level").get(level)
    if count is None:
        return None
    text = f"{language.level_subjects[level]} {language.victims(count)}"
    previous = _section(identified, "by_level_previous_years").get(level)
    compared = _compared(previous, language, with_noun=False)
    if compared:
        text += f", {compared}"
    return f"{text}."


def _abroad_sentence(report: Report, language: Language) -> str | None:
    abroad = _section(report, "identified_abroad")
    total = abroad.get("total")
    if total is None:
        return None
    consulate = _find_agency(report, kind="consular")
    subject = _subject(report, consulate, language, with_code=False)
    adjective = _section(_section(report, "names"), "nationality_adjective").get(language.code)
    modifier = _abroad_modifier(abroad, total, language)
    text = language.identified_abroad(subject, total, adjective, modifier)
    text += _abroad_where(report, abroad, total, language)
    compared = _compared(abroad.get("previous_years"), language, with_noun=False)
    if compared:
        text += f", {compared}"
    return f"{text}."


def _abroad_modifier(abroad: Report, total: int, language: Language) -> str:
    forms = {form: count for form, count in _counts(abroad.get("by_form")).items() if count}
    if len(forms) == 1:
        ((form, count),) = forms.items()
        if count == total and form in language.form_modifiers:
            return language.form_modifiers[form]
    return language.trafficking_modifier


def _abroad_where(report: Report, abroad: Report, total: int, language: Language) -> str:
    """Where the victims were: "abroad, including 180 in the United States and 16 in ...".

    When all of them were in one country, the country replaces "abroad".
    """
    by_country = {code: n for code, n in _counts(abroad.get("by_country")).items() if n}
    if not by_country:
        return f" {language.abroad}"
    top = min(by_country, key=lambda code: (-by_country[code], code))
    top_count = by_country[top]
    name = _section(_section(_section(report, "names"), "countries"), top).get(language.code, top)
    place = language.in_country(name)
    if top_count == total and len(by_country) == 1:
        return f" {place}"
    parts = [f"{language.number(top_count, feminine=True)} {place}"]
    rest = sum(n for code, n in by_country.items() if code != top)
    if rest:
        elsewhere = language.elsewhere(len(by_country) - 1)
        parts.append(f"{language.number(rest, feminine=True)} {elsewhere}")
    return f" {language.abroad}, {language.including} {language.join(parts)}"


# Paragraph two: shelters.


def _shelters(report: Report, language: Language) -> list[str]:
    by_shelter = _counts(_section(report, "sheltered").get("by_shelter"))
    shelters = _section(_section(report, "names"), "shelters")
    sentences = []
    for code in sorted(by_shelter):
        shelter = _section(shelters, code)
        if shelter.get("kind") != "high_security":
            continue
        operator = shelter.get("operator")
        subject = None if operator is None else _agency_label(report, operator, language)
        place = shelter.get(language.jurisdiction_key)
        sentences.append(language.sheltered(subject, place, by_shelter[code]))
    return sentences


# Paragraph three: funds and assistance.


def _funds_and_assistance(report: Report, language: Language) -> list[str]:
    funds = _section(report, "funds")
    sentences = [_fund_sentence(report, fund, language) for fund in funds.get("established") or ()]
    sentences.extend(
        _grant_sentence(report, grant, language) for grant in funds.get("grants") or ()
    )
    sentences.extend(_assistance_sentences(report, language))
    return sentences


def _fund_sentence(report: Report, fund: Report, language: Language) -> str:
    administrator = fund.get("administrator")
    kind = _agency_names(report, administrator).get("kind") if administrator else None
    established_on = _date(fund.get("established_on"))
    year = established_on.year if established_on else report.get("year")
    if administrator is None:
        government = language.government
        subject = government[:1].lower() + government[1:]
    else:
        subject = _agency_label(report, administrator, language, capital=year is None)
    endowment = fund.get("endowment_mxn")
    return language.fund_established(
        year,
        subject,
        emergency=kind == "victims_commission",
        money=None
        if endowment is None
        else language.money(endowment, fund.get("endowment_usd"), _currency(report)),
        since=_date(fund.get("disbursing_from")),
    )


def _grant_sentence(report: Report, grant: Report, language: Language) -> str:
    subject = _subject(report, grant.get("grantor"), language)
    amount = grant.get("amount_mxn")
    money = (
        None
        if amount is None
        else language.money(amount, grant.get("amount_usd"), _currency(report))
    )
    return language.grant(subject, money, grant.get("grantees"), grant.get("victims_served"))


def _assistance_sentences(report: Report, language: Language) -> list[str]:
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
    others = len(ASSISTANCE_KIND_ORDER)
    ranked: list[tuple[int, str, str]] = []
    immigration_written = False
    for code in sorted(by_agency):
        names = _agency_names(report, code)
        if names.get("level") != "federal":
            continue
        kind = names.get("kind")
        count = by_agency[code]
        subject = _agency_label(report, code, language)
        if kind == "prosecutor" and code not in shelter_operators:
            ranked.append((0, code, language.prosecuted(subject, count)))
        elif kind == "immigration" and not immigration_written:
            immigration_written = True
            sentence = _immigration_sentence(report, subject, count, visas, language)
            ranked.append((ASSISTANCE_KIND_ORDER.index(kind), code, sentence))
        else:
            rank = (
                ASSISTANCE_KIND_ORDER.index(kind)
                if kind in ("child_services", "security")
                else others
            )
            ranked.append((rank, code, language.assisted(subject, count)))
    if not immigration_written and visas.get("granted") is not None:
        immigration = _find_agency(report, kind="immigration")
        subject = _subject(report, immigration, language)
        sentence = _immigration_sentence(report, subject, None, visas, language)
        ranked.append((ASSISTANCE_KIND_ORDER.index("immigration"), immigration or "", sentence))
    return [sentence for _, _, sentence in sorted(ranked)]


def _immigration_sentence(
    report: Report, subject: str, assisted: int | None, visas: Report, language: Language
) -> str:
    """Assistance and humanitarian visas in one sentence, either part missing."""
    clauses = []
    if assisted is not None:
        clauses.append(language.assisted_foreigners(assisted))
    granted = visas.get("granted")
    if granted is not None:
        clause = language.visas_granted(granted) + _in_year(report, language)
        compared = _compared(visas.get("previous_years"), language, with_noun=True)
        if compared:
            clause += f", {compared}"
        clauses.append(clause)
    return f"{subject} {language.join(clauses)}."


# Shared wording.


def _compared(previous: Any, language: Language, *, with_noun: bool) -> str:
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
            amount = language.victims(count)
        else:
            amount = language.number(count, feminine=True)
        items.append(f"{amount} {language.in_year(year)}")
    return language.compared_to(language.join(items))


def _in_year(report: Report, language: Language) -> str:
    year = report.get("year")
    return "" if year is None else f" {language.in_year(year)}"


def _subject(report: Report, code: str | None, language: Language, **label: bool) -> str:
    """The agency's label, or "The government" where the report names no agency."""
    return language.government if code is None else _agency_label(report, code, language, **label)


def _agency_label(
    report: Report, code: str, language: Language, *, capital: bool = True, with_code: bool = True
) -> str:
    """The agency's name with its article and code: "The National Institute of Migration (INM)".

    Names are used as the report gives them, apostrophes and all.
    """
    name = _agency_names(report, code).get(language.code)
    if not name:
        return code
    if name.startswith(ARTICLES):
        article, rest = name.split(" ", 1)
    else:
        article, rest = language.article(name), name
    label = f"{article if capital else article.lower()} {rest}"
    return f"{label} ({code})" if with_code else label


def _find_agency(report: Report, *, kind: str) -> str | None:
    """The first federal agency of ``kind`` by code, for sentences the report does not attribute."""
    agencies = _section(_section(report, "names"), "agencies")
    for code in sorted(agencies):
        names = _section(agencies, code)
        if names.get("kind") == kind and names.get("level") == "federal":
            return code
    return None


def _currency(report: Report) -> Report:
    return _section(_section(report, "names"), "currency")


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
