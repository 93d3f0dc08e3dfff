from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedDateField, EncryptedTextField
from enlace.core.models import Recorded
from enlace.directory.models import Agency, Country, Jurisdiction, Protocol


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNSPECIFIED = "unspecified", _("Not specified")


class Gender(models.TextChoices):
    """The gender list of the Human Trafficking Case Data Standard (HTCDS)."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANSGENDER_WOMAN = "transgender_woman", _("Transgender woman")
    TRANSGENDER_MAN = "transgender_man", _("Transgender man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")
    NOT_DISCLOSED = "not_disclosed", _("Prefers not to say")


class ExploitationForm(models.TextChoices):
    SEX_TRAFFICKING = "sex_trafficking", _("Sex trafficking")
    FORCED_LABOUR = "forced_labour", _("Forced labour or services")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    OTHER = "other", _("Other purposes")
    UNSPECIFIED = "unspecified", _("Unspecified")


class Person(models.Model):
    """A victim as one agency registered them, under a pseudonymous id.

    Nothing here names the person: identity lives in ``Identity``, encrypted.
    The same human registered by two agencies is two Persons, linked into one
    national person by linkage.
    """

    public_id = models.CharField(
        _("public id"),
        max_length=12,
        unique=True,
        editable=False,
        help_text=_(
            "Pseudonymous, e.g. V-7F3K9Q: the only way people are named outside the vault."
        ),
    )
    registered_by = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="registered_persons",
        verbose_name=_("registered by"),
        help_text=_("The agency that holds this record."),
    )
    sex = models.CharField(
        _("sex"),
        max_length=12,
        choices=Sex.choices,
        default=Sex.UNSPECIFIED,
        help_text=_("For statistics."),
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationality = models.ForeignKey(
        Country, models.PROTECT, null=True, blank=True, verbose_name=_("nationality")
    )
    national_id = models.CharField(
        _("national id"),
        max_length=12,
        db_index=True,
        help_text=_(
            "Records of the same human across agencies share it: national counts count these."
        ),
    )
    indigenous = models.BooleanField(_("indigenous"), null=True, blank=True)
    disability = models.BooleanField(_("disability"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.public_id


def _limited_text(verbose_name: Any, max_length: int, **kwargs: Any) -> EncryptedTextField:
    """An optional encrypted text of at most ``max_length`` characters, validated by the model.

    A validator, not the field's ``max_length``: the column holds the longer
    cipher text, and a validator changes no table.
    """
    return EncryptedTextField(
        verbose_name, blank=True, validators=[MaxLengthValidator(max_length)], **kwargs
    )


class Identity(models.Model):
    """The identity vault: who the person is, every value encrypted at rest."""

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="identity", verbose_name=_("person")
    )
    # Each length is checked here, by the registry's services; the web forms,
    # the API and imports read it with ``identity_max_length``.
    given_names = _limited_text(_("given names"), 200)
    paternal_surname = _limited_text(_("paternal surname"), 200)
    maternal_surname = _limited_text(_("maternal surname"), 200)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    curp = _limited_text(
        _("CURP"), 18, help_text=_("Clave Única de Registro de Población, 18 characters.")
    )
    passport_number = _limited_text(_("passport number"), 40)
    contact = _limited_text(_("contact"), 500, help_text=_("Telephone, address or a safe contact."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    erased_at = models.DateTimeField(
        _("erased at"),
        null=True,
        blank=True,
        help_text=_("When the identity was erased on a legal request; the fields are then empty."),
    )
    # Encrypted: a request's reference may quote the name it asks to erase.
    erasure_reference = _limited_text(
        _("erasure reference"), 200, help_text=_("The legal reference of the erasure request.")
    )

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity of {self.person_id}"


class IdentityCorrection(Recorded):
    """A correction of a person's identity: which fields, why, and what they held before.

    The previous values are encrypted like the identity itself (a JSON object of
    the changed fields) and emptied with it on erasure; the audit row of the
    correction names the fields only.
    """

    class Reason(models.TextChoices):
        TYPING = "typing", _("A typing or spelling error")
        DOCUMENT = "document", _("An identity document shows otherwise")
        PERSON = "person", _("The person asked for it")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="identity_corrections", verbose_name=_("person")
    )
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name=_("agency"))
    corrected_on = models.DateField(_("corrected on"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    fields = models.JSONField(
        _("fields"), default=list, help_text=_("The names of the fields changed.")
    )
    previous = EncryptedTextField(
        _("previous values"), blank=True, help_text=_("The changed fields' values before.")
    )

    class Meta:
        ordering = ["-corrected_on", "-id"]
        verbose_name = _("identity correction")
        verbose_name_plural = _("identity corrections")

    def __str__(self) -> str:
        return f"{self.corrected_on} {self.reason}"


def identity_max_length(name: str) -> int:
    """The most characters the identity field ``name`` holds."""
    field = Identity._meta.get_field(name)
    validators = getattr(field, "validators", ())
    limit: int = next(v.limit_value for v in validators if isinstance(v, MaxLengthValidator))
    return limit


class Screening(Recorded):
    """A protocol's questionnaire answered for a person, with its proposal."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="screenings", verbose_name=_("person")
    )
    agency = models.ForeignKey(Agency, models.PROTECT, verbose_name=_("agency"))
    protocol = models.ForeignKey(Protocol, models.PROTECT, verbose_name=_("protocol"))
    screened_on = models.DateField(_("screened on"))
    answers = models.JSONField(_("answers"), help_text=_("Indicator code to yes/no."))
    score = models.PositiveSmallIntegerField(_("score"))
    proposes_potential_victim = models.BooleanField(_("proposes potential victim"))

    class Meta:
        ordering = ["-screened_on", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.protocol_id} {self.screened_on}"


class Identification(Recorded):
    """An agency's identification of a person as a (potential) victim; statistics count these."""

    class Status(models.TextChoices):
        POTENTIAL = "potential", _("Potential victim")
        IDENTIFIED = "identified", _("Identified victim")
        NOT_A_VICTIM = "not_a_victim", _("Not a victim")

    class RuledOut(models.TextChoices):
        """Why a supervisor ruled a potential victim out: codes, never a story."""

        NO_INDICATORS = "no_indicators", _("No indicator of trafficking after interview")
        OTHER_CRIME = "other_crime", _("Another crime, not trafficking (e.g. smuggling)")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="identifications", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="identifications", verbose_name=_("agency")
    )
    # NULL, not "", when absent: the per-agency unique constraint ignores NULLs.
    agency_record_id = models.CharField(  # noqa: DJ001
        _("agency record id"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("The agency's own reference, unique within the agency."),
    )
    identified_on = models.DateField(_("identified on"), db_index=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, null=True, blank=True, verbose_name=_("jurisdiction")
    )
    country_abroad = models.ForeignKey(
        Country,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("country abroad"),
        help_text=_("For identifications abroad (consular windows)."),
    )
    protocol = models.ForeignKey(
        Protocol, models.PROTECT, null=True, blank=True, verbose_name=_("protocol")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.POTENTIAL
    )
    age_at_identification = models.PositiveSmallIntegerField(
        _("age at identification"), null=True, blank=True
    )
    # A database default too: the importer's bulk insert names only the columns it fills.
    ruled_out_reason = models.CharField(
        _("reason ruled out"),
        max_length=20,
        choices=RuledOut.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Why a supervisor ruled the potential victim out (status not a victim)."),
    )
    consent_to_share = models.BooleanField(
        _("consent to share"),
        default=False,
        help_text=_("The person agreed that their data be shared with other agencies."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "agency_record_id"], name="agency_record_id_unique_per_agency"
            ),
            models.CheckConstraint(
                condition=models.Q(jurisdiction__isnull=True)
                | models.Q(country_abroad__isnull=True),
                name="identified_in_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.identified_on}"


class IdentificationForm(models.Model):
    """One form of exploitation of an identification; several may apply."""

    identification = models.ForeignKey(
        Identification, models.CASCADE, related_name="forms", verbose_name=_("identification")
    )
    form = models.CharField(
        _("form of exploitation"), max_length=20, choices=ExploitationForm.choices
    )

    class Meta:
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")
        constraints = [
            models.UniqueConstraint(
                fields=["identification", "form"], name="form_once_per_identification"
            )
        ]

    def __str__(self) -> str:
        return self.form


class TraffickingDetail(models.Model):
    """One coded fact of how the person of an identification was trafficked.

    ``vocabulary`` names a list of the country profile (``trafficking`` in the
    profile file) and ``code`` one of its terms; several terms of a list may apply.
    """

    class Vocabulary(models.TextChoices):
        RECRUITMENT_METHOD = "recruitment_methods", _("Method of recruitment")
        CONTROL_METHOD = "control_methods", _("Method of control")
        SEX_EXPLOITATION = "sex_exploitation_types", _("Type of sexual exploitation")
        LABOUR_INDUSTRY = "labour_industries", _("Labour industry (ISIC section)")

    identification = models.ForeignKey(
        Identification,
        models.CASCADE,
        related_name="trafficking_details",
        verbose_name=_("identification"),
    )
    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=40, help_text=_("A term of the vocabulary."))

    class Meta:
        verbose_name = _("trafficking detail")
        verbose_name_plural = _("trafficking details")
        constraints = [
            models.UniqueConstraint(
                fields=["identification", "vocabulary", "code"],
                name="detail_once_per_identification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class TraffickingPlace(models.Model):
    """Where the person of an identification was recruited, moved through or exploited."""

    class Stage(models.TextChoices):
        RECRUITMENT = "recruitment", _("Recruitment")
        TRANSIT = "transit", _("Transit")
        EXPLOITATION = "exploitation", _("Exploitation")

    identification = models.ForeignKey(
        Identification,
        models.CASCADE,
        related_name="trafficking_places",
        verbose_name=_("identification"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    country = models.ForeignKey(
        Country, models.PROTECT, related_name="+", verbose_name=_("country")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("state"),
        help_text=_("The federative entity, for a place in the country."),
    )
    municipality = models.CharField(
        _("municipality"),
        max_length=100,
        blank=True,
        help_text=_("The municipality's name, within the state. Never an address."),
    )

    class Meta:
        ordering = ["identification", "stage", "id"]
        verbose_name = _("place of trafficking")
        verbose_name_plural = _("places of trafficking")

    def __str__(self) -> str:
        return f"{self.stage} {self.country_id}"


class ReferralAccess(models.Model):
    """What a referral its receiver accepted gives it: the person, held; and their
    identity while the referral is accepted and shares it.

    One row per accepted or completed referral, none for any other; written by
    ``referrals.services`` in the transaction that changes the referral
    (``registry.services.referral_access_record``), so that the reads of
    ``registry.selectors`` need not know referrals.
    """

    # referrals.Referral's key: not a foreign key, as referrals sits above the registry.
    referral_id = models.BigIntegerField(_("referral"), unique=True)
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="referral_access", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("The agency the referral went to, which accepted it."),
    )
    from_agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="+", verbose_name=_("from agency")
    )
    identity = models.BooleanField(
        _("reads the identity"),
        help_text=_("The referral is accepted and shares the person's identity."),
    )

    class Meta:
        verbose_name = _("referral access")
        verbose_name_plural = _("referral access")

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.person_id}"
