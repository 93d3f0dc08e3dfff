from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountryProfile(models.Model):
    """The country Enlace runs in: currency, holidays, languages."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166 alpha-2."))
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code."))
    holidays_country = models.CharField(
        _("holidays country"),
        max_length=2,
        help_text=_("Country whose public holidays (holidays package) make non-working days."),
    )
    languages = models.JSONField(_("languages"), default=list)
    nationality_adjective = models.JSONField(
        _("nationality adjective"),
        default=dict,
        help_text=_("The word for the country's nationals, by language, as reports use it."),
    )
    currency_words = models.JSONField(
        _("currency words"),
        default=dict,
        blank=True,
        help_text=_("The currency's name by language, and how reports write US dollars."),
    )
    supervisor_approves = models.JSONField(
        _("supervisor approves"),
        default=list,
        blank=True,
        help_text=_("Steps of casework that wait for a supervisor's approval (case_closure)."),
    )
    trafficking_vocabularies = models.JSONField(
        _("trafficking vocabularies"),
        default=dict,
        blank=True,
        help_text=_(
            "Recruitment and control methods, kinds of sexual exploitation and labour "
            "industries: each a list of terms (code, HTCDS value, Spanish and English labels)."
        ),
    )

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    profile = models.ForeignKey(CountryProfile, models.CASCADE, related_name="exchange_rates")
    year = models.PositiveSmallIntegerField(_("year"))
    usd_per_unit = models.DecimalField(
        _("USD per unit"),
        max_digits=12,
        decimal_places=6,
        help_text=_("US dollars for one unit of the profile currency, as the year's report uses."),
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["profile", "year"], name="one_rate_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.usd_per_unit}"


class Jurisdiction(models.Model):
    """A first-level division of the country (Mexico: 32 federative entities)."""

    code = models.CharField(_("code"), max_length=5, unique=True, help_text=_("INEGI code."))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(
        _("English name"), max_length=100, blank=True, help_text=_("Only where English differs.")
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=10)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names an import may use: everyday and old names, codes."),
    )
    is_capital = models.BooleanField(
        _("capital district"),
        default=False,
        help_text=_("A capital district that is not a state: the count of states leaves it out."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    iso2 = models.CharField(
        _("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2.")
    )
    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("English short name."))
    name_es = models.CharField(_("Spanish name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Level(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "state", _("State")
        MUNICIPAL = "municipal", _("Municipal")
        CONSULAR = "consular", _("Consular (abroad)")
        NGO = "ngo", _("Non-governmental organisation")
        INTERNATIONAL = "international", _("International organisation")

    class Kind(models.TextChoices):
        PROSECUTOR = "prosecutor", _("Prosecutor")
        IMMIGRATION = "immigration", _("Immigration")
        CONSULAR = "consular", _("Consular")
        CHILD_SERVICES = "child_services", _("Child services")
        VICTIMS_COMMISSION = "victims_commission", _("Victims' commission")
        SECURITY = "security", _("Police and security")
        SOCIAL_DEVELOPMENT = "social_development", _("Social development")
        SHELTER_OPERATOR = "shelter_operator", _("Shelter operator")
        COORDINATION = "coordination", _("Coordination")

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Short upper-case code, e.g. FEVIMTRA.")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Official name."))
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, null=True, blank=True, verbose_name=_("jurisdiction")
    )
    country = models.ForeignKey(
        Country,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("country"),
        help_text=_("For consulates: the country where the office is."),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("parent"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.code


class Protocol(models.Model):
    """An identification protocol: a questionnaire of indicators with a scoring rule."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300, help_text=_("Official name."))
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    used_by = models.CharField(
        _("used by"), max_length=30, choices=Agency.Kind.choices, help_text=_("Kind of agency.")
    )
    threshold = models.PositiveSmallIntegerField(
        _("threshold"),
        help_text=_(
            "A screening whose indicator weights add up to this proposes a potential victim."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("identification protocol")
        verbose_name_plural = _("identification protocols")

    def __str__(self) -> str:
        return self.code


class ProtocolIndicator(models.Model):
    protocol = models.ForeignKey(Protocol, models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    text_es = models.CharField(_("question (Spanish)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["protocol", "position"]
        verbose_name = _("protocol indicator")
        verbose_name_plural = _("protocol indicators")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "code"], name="indicator_code_per_protocol")
        ]

    def __str__(self) -> str:
        return f"{self.protocol.code}/{self.code}"


class IdentityDocument(models.Model):
    """A national identity document of the profile: the format and check digit of its number."""

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("The scheme; an import's id_<code>.")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Official name."))
    name_en = models.CharField(_("English name"), max_length=200)
    pattern = models.CharField(
        _("pattern"), max_length=300, help_text=_("A regular expression the whole number matches.")
    )
    check_digit = models.CharField(
        _("check digit"), max_length=20, help_text=_("The algorithm of its check digit, or none.")
    )
    unique_for_linkage = models.BooleanField(
        _("unique for linkage"),
        default=False,
        help_text=_("Two records with the same number are the same person."),
    )
    example = models.CharField(_("example"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return self.code
