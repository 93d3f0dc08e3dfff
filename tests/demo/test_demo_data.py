"""The demo data and the annual report: the seed document, regenerated from records.

The demo data are loaded once for the package (``conftest.py``: a load takes
tens of seconds) and rolled back after it; each test runs in its own
rolled-back transaction.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Model

from enlace.accounts.models import Role
from enlace.assistance.models import ServiceDelivery, Stay
from enlace.capacity.models import ProtocolAdoption, TrainingSession
from enlace.cases.models import Case
from enlace.demo.seed import demo_load
from enlace.exchange import exports
from enlace.funds.models import Disbursement, Grant
from enlace.immigration.models import VisaExtension, VisaRequest
from enlace.justice.models import DetentionEvent, ProtectionMeasure
from enlace.linkage import engine
from enlace.linkage.clusters import cluster
from enlace.linkage.features import row
from enlace.linkage.models import Encoding
from enlace.linkage.services import UPPER, identity_record, linkage_run
from enlace.referrals.models import Referral
from enlace.registry.models import (
    Identification,
    Identity,
    Person,
    TraffickingDetail,
    TraffickingPlace,
)
from enlace.registry.services import person_erase
from enlace.statistics import path
from enlace.statistics.indicators import domestic_identifications
from tests.conftest import _user

SEED_SENTENCES_EN = [
    "The government reported identifying 667 trafficking victims in 2017—429 for sex "
    "trafficking, 103 for forced labor or services, eight for forced begging, eight for forced "
    "criminality, four for other purposes, and 115 unspecified—compared to 740 victims in 2016 "
    "and 1,814 in 2015.",
    "Of the 667 trafficking victims identified, approximately 15 percent were male, 66 percent "
    "were female, and 19 percent did not have their gender specified.",
    "The federal government identified 140 victims, compared to 194 in 2016 and 876 in 2015.",
    "The state governments identified 527 victims, compared to 691 in 2016 and 938 in 2015.",
    "The Ministry of Foreign Relations identified and provided support to 196 Mexican forced "
    "labor victims abroad, including 180 in the United States and 16 in other countries, "
    "compared to 20 in 2016.",
    "The Special Prosecutor’s Office for Violence Against Women and Trafficking in Persons "
    "(FEVIMTRA) continued to operate a high-security shelter in Mexico City and provided shelter "
    "to 52 trafficking victims.",
    "The National Institute of Social Development (INDESOL) provided 598,500 pesos ($30,370) to "
    "two NGOs to provide victim services to 76 trafficking victims.",
    "The Attorney General’s Office (PGR) provided victim services to 98 trafficking victims who "
    "were participating in the legal process against their exploiters.",
    "The National Children and Family Services System (DIF) provided assistance to 78 victims.",
    "The National Security System (CNS) provided assistance to 126 victims.",
    "The National Institute of Migration (INM) provided assistance to 31 potential foreign "
    "trafficking victims and issued temporary immigration relief in the form of humanitarian "
    "visas to 25 victims in 2017, compared to four victims in 2016.",
]
MODELS: list[type[Model]] = [
    Case,
    Person,
    Identification,
    Referral,
    ServiceDelivery,
    Stay,
    VisaRequest,
    Grant,
    Disbursement,
    TrainingSession,
    ProtocolAdoption,
    TraffickingDetail,
    TraffickingPlace,
]


def _report(*args: str) -> str:
    out = StringIO()
    call_command("report", "--year", "2017", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.mark.django_db
def test_the_json_report_gives_every_seed_figure(demo: None) -> None:
    report = json.loads(_report("--format", "json"))

    identified = report["identified"]
    assert identified["total"] == 667
    assert identified["by_form"] == {
        "forced_begging": 8,
        "forced_criminality": 8,
        "forced_labour": 103,
        "other": 4,
        "sex_trafficking": 429,
        "unspecified": 115,
    }
    assert identified["by_sex"] == {"male": 100, "female": 440, "unspecified": 127}
    assert identified["by_level"] == {"federal": 140, "state": 527}
    assert identified["previous_years"] == {"2016": 740, "2015": 1814}
    assert identified["by_level_previous_years"] == {
        "federal": {"2016": 194, "2015": 876},
        "state": {"2016": 691, "2015": 938},
    }
    abroad = report["identified_abroad"]
    assert abroad["total"] == 196
    assert abroad["by_country"]["US"] == 180
    assert sum(abroad["by_country"].values()) == 196
    assert abroad["previous_years"] == {"2016": 20}
    assisted = report["assisted"]["by_agency"]
    seed = {"PGR": 98, "DIF": 78, "CNS": 126, "INM": 31}
    assert {code: assisted[code] for code in seed} == seed
    assert report["sheltered"]["by_shelter"]["REF-FEVIMTRA"] == 52
    assert report["humanitarian_visas"] == {"granted": 25, "previous_years": {"2016": 4}}
    assert report["funds"]["grants"] == [
        {
            "grantor": "INDESOL",
            "amount_mxn": "598500.00",
            "amount_usd": "30370",
            "grantees": 2,
            "victims_served": 76,
        }
    ]
    established = {f["fund"]: f for f in report["funds"]["established"]}
    assert established["CEAV-EMERGENCIA"]["endowment_usd"] == "152250"


@pytest.mark.django_db
def test_the_seeds_protocols_and_training_are_in_the_report(demo: None) -> None:
    # "state-level protocols in 17 of 31 states": 17 states, none of them Mexico City.
    capacity = json.loads(_report("--format", "json"))["capacity"]
    adoption = capacity["protocol_adoption"]
    assert (adoption["adopted"], adoption["jurisdictions"]) == (17, 31)
    assert adoption["by_protocol"] == {"OIM-ESTATAL": 17}
    assert not ProtocolAdoption.objects.filter(jurisdiction__code="09").exists()
    trained = capacity["officials_trained"]
    assert trained == {
        "sessions": TrainingSession.objects.filter(held_on__year=2017).count(),
        "people": sum(TrainingSession.objects.values_list("people_trained", flat=True)),
    }
    assert trained["sessions"] == 17
    markdown = _report("--format", "md")
    assert "17 of 31 states had adopted an identification protocol by the end of 2017." in (
        markdown
    )


@pytest.mark.django_db
def test_the_htcds_export_has_no_always_empty_column(demo: None) -> None:
    analyst = _user("ana", Role.NATIONAL_ANALYST, "CIT")
    filled: set[str] = set()
    for values in exports.htcds_rows(analyst):
        filled |= {c for c, v in zip(exports.HTCDS_COLUMNS, values, strict=True) if v != ""}
    assert set(exports.HTCDS_COLUMNS) - filled == set()
    assert TraffickingDetail.objects.filter(vocabulary="sex_exploitation_types").exists()


@pytest.mark.django_db
def test_the_whole_report_is_the_same_on_every_database(demo: None) -> None:
    # report-2017.json was written by `enlace report --year 2017 --format json`
    # on SQLite; the suite runs on SQLite and on PostgreSQL and both must give it.
    expected = json.loads((Path(__file__).parent / "report-2017.json").read_text())
    assert json.loads(_report("--format", "json")) == expected


@pytest.mark.django_db
def test_levels_add_up_to_more_than_the_country_in_2016(demo: None) -> None:
    # 145 people were registered by a federal and a state agency, with the
    # differences of a second registration, and are linked into one person each.
    records = domestic_identifications(2016)
    assert records.count() == 194 + 691
    assert records.values("person__national_id").distinct().count() == 740
    # No two different people were linked by accident: only those 145, and the four
    # victims INM registered again by their CURP when it detained them in 2017.
    people = Person.objects.count()
    assert Person.objects.values("national_id").distinct().count() == people - 145 - 4


def _both_levels_2016(cluster_of: dict[int, str]) -> tuple[int, int]:
    """People identified in 2016, and those of them identified by both levels."""
    levels: dict[str, set[str]] = {}
    for person_id, level in domestic_identifications(2016).values_list(
        "person_id", "agency__level"
    ):
        levels.setdefault(cluster_of[person_id], set()).add(level)
    both = sum(1 for found in levels.values() if {"federal", "state"} <= found)
    return len(levels), both


@pytest.mark.django_db
def test_probabilistic_linkage_finds_the_145_in_encoded_mode(demo: None) -> None:
    before = _report("--format", "json")
    analyst = _user("linkage-analyst", Role.NATIONAL_ANALYST, "CIT")
    run = linkage_run(actor=analyst)
    assert run.pairs_linked >= 145
    national = dict(Person.objects.values_list("pk", "national_id"))
    assert _both_levels_2016(national) == (740, 145)
    assert _report("--format", "json") == before


@pytest.mark.django_db
def test_probabilistic_linkage_finds_the_145_in_clear_mode(demo: None) -> None:
    # What an agency holding the names would run (enlace link-records --mode clear).
    records = [identity_record(i) for i in Identity.objects.all()]
    result = engine.link([row(r, "clear") for r in records], "clear", threshold=UPPER)
    pairs = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
    clusters = cluster([r.record_id for r in records], pairs, UPPER)
    assert _both_levels_2016({int(k): m.cluster_id for k, m in clusters.items()}) == (740, 145)


@pytest.mark.django_db
def test_the_narrative_reproduces_the_seed(demo: None) -> None:
    text = _report("--format", "md")
    for sentence in SEED_SENTENCES_EN:
        assert sentence in text


@pytest.mark.django_db
def test_the_narrative_speaks_spanish(demo: None) -> None:
    text = _report("--format", "md", "--lang", "es")
    assert "El gobierno informó haber identificado a 667 víctimas de trata en 2017" in text
    assert "740 víctimas en 2016 y 1,814 en 2015" in text
    assert "Identificación y protección de víctimas, 2017" in text


@pytest.mark.django_db
def test_every_pgr_beneficiary_takes_part_in_proceedings(demo: None) -> None:
    served = ServiceDelivery.objects.filter(agency__code="PGR", started_on__year=2017)
    in_proceedings = served.filter(person__proceedings__agency__code="PGR")
    assert in_proceedings.values("person").distinct().count() == 98


@pytest.mark.django_db
def test_declined_and_pending_referrals_never_let_the_receiver_in(demo: None) -> None:
    unanswered = Referral.objects.filter(status__in=["declined", "sent", "expired"])
    assert {"declined", "sent", "expired"} == set(unanswered.values_list("status", flat=True))
    for referral in unanswered:
        assert not ServiceDelivery.objects.filter(
            person=referral.person, agency=referral.to_agency
        ).exists()
    assert not Referral.objects.filter(consent=False).exists()


@pytest.mark.django_db
def test_the_path_after_help_has_records_to_count_in_2017(demo: None) -> None:
    referrals = path.referrals_total(2017)
    assert referrals["expired"] == 4 and referrals["completed"] > 0
    assert path.restitution_ordered(2017)["people"] == 8
    paid = path.restitution_paid(2017)
    assert paid["people"] == 5
    assert 0 < paid["amount_mxn"] < path.restitution_ordered(2017)["amount_mxn"]
    stays = path.shelter_stay_days(2017)
    assert stays["stays"] > 0 and stays["median_days"] > 0
    assert path.visa_wait_days(2017)["requests"] == 27  # 25 granted, 2 refused
    # The report shows them, in its JSON and in its text.
    report = json.loads(_report("--format", "json"))["path"]
    assert report["referrals"]["expired"] == 4 and report["restitution_paid"]["people"] == 5
    assert report["funnel"]["restitution_ordered"]["people"] == 8
    text = _report("--format", "md")
    assert "Restitution paid: 5 payments to 5 people, MXN " in text
    assert "| Restitution ordered | 8 | 1.2% |" in text


@pytest.mark.django_db
def test_detentions_alert_only_for_people_identified_elsewhere(demo: None) -> None:
    events = DetentionEvent.objects.filter(occurred_on__year=2017)
    assert events.count() == 8
    alerted = events.filter(alerts__isnull=False).distinct()
    assert alerted.count() == 4
    for event in alerted:
        identified = Identification.objects.filter(person__national_id=event.person.national_id)
        assert identified.exclude(agency=event.agency).exists()
        assert {a.agency_id for a in event.alerts.all()} == {
            event.agency_id,
            *identified.values_list("agency_id", flat=True),
        }
    assert ProtectionMeasure.objects.exists() and VisaExtension.objects.exists()


@pytest.mark.django_db
def test_the_demo_actors_cannot_sign_in(demo: None) -> None:
    actors = User.objects.filter(username__startswith="demo.")
    assert actors.exists()
    assert not any(user.has_usable_password() or user.is_active for user in actors)


@pytest.mark.django_db
def test_deleting_one_identification_changes_the_figures_by_one(demo: None) -> None:
    before = json.loads(_report())["identified"]
    one = Identification.objects.filter(
        identified_on__year=2017,
        status="identified",
        forms__form="sex_trafficking",
        agency__level="state",
    ).first()
    assert one is not None
    one.delete()

    after = json.loads(_report())["identified"]
    assert after["total"] == before["total"] - 1
    assert after["by_form"]["sex_trafficking"] == before["by_form"]["sex_trafficking"] - 1
    assert after["by_level"]["state"] == before["by_level"]["state"] - 1


@pytest.mark.django_db
def test_reloading_gives_the_same_data_and_keeps_real_cases(demo: None, person: Person) -> None:
    first = _counts()
    report = _report()
    # Keys, not public ids: a public id is random, and among thousands a new one
    # may repeat an old one; a key is never given twice.
    first_ids = set(Person.objects.values_list("pk", flat=True))

    demo_load()

    assert _counts() == first
    assert _report() == report
    # The demo's records are new; the person a real caseworker registered stays.
    assert set(Person.objects.values_list("pk", flat=True)) & first_ids == {person.pk}


def test_it_refuses_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo_load()


def _dump_in_transaction() -> str:
    """Every row of every table as the database stores it, read inside the demo's
    transaction (an outside ``sqlite3 .dump`` or ``pg_dump`` sees only committed data:
    ``tests/privacy`` runs those on committed records)."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())  # CREATE TABLE "registry_identity"…
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            out.append(f'COPY "{table}"')
            with cursor.connection.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                out += [bytes(block).decode() for block in copy]
    return "\n".join(out)


@pytest.mark.django_db
def test_a_dump_of_the_demo_names_no_one(demo: None) -> None:
    people = Identity.objects.exclude(curp="").order_by("pk")[:300]
    secrets = set()
    for identity in people:
        secrets.add(identity.curp)
        # Whole names: a single common word can be anywhere, a full name only in a leak.
        secrets.add(f"{identity.given_names} {identity.paternal_surname}")
        if identity.maternal_surname:
            secrets.add(f"{identity.paternal_surname} {identity.maternal_surname}")
    assert len(secrets) > 600
    dump = _dump_in_transaction()
    assert '"registry_identity"' in dump and "gAAAA" in dump  # the encrypted identities
    upper = dump.upper()
    assert [s for s in secrets if s.upper() in upper] == []


@pytest.mark.django_db
def test_erasing_people_changes_no_figure_of_the_report(demo: None) -> None:
    # Inside a savepoint rolled back at the end: the other tests keep the demo whole.
    with transaction.atomic():
        _erase_and_compare()
        transaction.set_rollback(True)


def _erase_and_compare() -> None:
    def _report(year: int) -> str:
        out = StringIO()
        call_command("report", "--year", str(year), "--format", "json", stdout=out)
        return out.getvalue()

    before = {year: _report(year) for year in (2016, 2017)}
    identified = domestic_identifications(2017).values("person__national_id")
    # The demo's people registered by a federal and a state agency were identified in 2016.
    shared = (
        Person.objects.filter(
            national_id__in=domestic_identifications(2016).values("person__national_id")
        )
        .values("national_id")
        .annotate(records=Count("pk"))
        .filter(records__gt=1)
        .values_list("national_id", flat=True)
    )
    # Records of people two agencies hold (one of each pair), and of people of 2017.
    linked = [
        Person.objects.filter(national_id=n).order_by("pk").first() for n in list(shared[:10])
    ]
    alone = list(
        Person.objects.filter(national_id__in=identified).exclude(national_id__in=shared)[:10]
    )
    erased = [p for p in linked + alone if p is not None]
    assert len(erased) == 20
    national_ids = {p.pk: p.national_id for p in erased}
    officer = _user("data-protection-admin", Role.ADMIN, None)

    for person in erased:
        person_erase(actor=officer, person=person, legal_reference="Oficio INAI 7/2018")

    assert Identity.objects.filter(erased_at__isnull=False).count() == 20
    assert not Encoding.objects.filter(person__in=erased).exists()
    assert {year: _report(year) for year in (2016, 2017)} == before
    linkage_run(actor=_user("erasure-analyst", Role.NATIONAL_ANALYST, "CIT"))
    assert {year: _report(year) for year in (2016, 2017)} == before
    assert dict(Person.objects.filter(pk__in=national_ids).values_list("pk", "national_id")) == (
        national_ids
    )
