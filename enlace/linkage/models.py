"""What linkage stores: encodings of each record, runs, and the pairs people decide on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from enlace.core.fields import EncryptedTextField
from enlace.registry.models import Person


def _token(label: StrOrPromise, *, index: bool = True) -> models.CharField:
    # NULL when absent, not "": linkage treats a missing identifier as unknown.
    return models.CharField(label, max_length=64, null=True, blank=True, db_index=index)


class Encoding(models.Model):
    """A person record's identifiers as keyed tokens and Bloom encodings: what linkage reads.

    Written with every identity write, from the identity in the vault. It holds
    no name and no date in clear; without the linkage key it cannot be turned
    back into one.
    """

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="encoding", verbose_name=_("person")
    )
    curp = _token(_("CURP token"))
    passport = _token(_("passport token"))
    given = _token(_("given names token"))
    paternal = _token(_("paternal surname token"))
    maternal = _token(_("maternal surname token"))
    dob = _token(_("birth date token"))
    dob_set = _token(_("birth date token, day and month in any order"))
    # A blocking rule of its own (rules.RULES): the write-time lookup needs its index.
    passport_sorted = _token(_("passport characters token, in any order"))
    # Blocking keys only: looked up together with a birth date or name token, which is indexed.
    given_first = _token(_("first given name token"), index=False)
    paternal_sound = _token(_("paternal surname sound token"), index=False)
    given_initial = _token(_("given names initial token"), index=False)
    paternal_initial = _token(_("paternal surname initial token"), index=False)
    md_set = _token(_("birth day and month token, in any order"), index=False)
    dob_ym = _token(_("birth year and month token"), index=False)
    dob_yd = _token(_("birth year and day token"), index=False)
    given_bf = models.BinaryField(_("given names encoding"), null=True)
    paternal_bf = models.BinaryField(_("paternal surname encoding"), null=True)
    maternal_bf = models.BinaryField(_("maternal surname encoding"), null=True)
    dob_bf = models.BinaryField(_("birth date encoding"), null=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_year_exact = models.BooleanField(
        _("birth year from a date"),
        default=False,
        help_text=_("False when the year is estimated from an age at identification."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("encoding")
        verbose_name_plural = _("encodings")
        # The rules' name pairs (rules.RULES): a common surname alone matches
        # thousands of records, a pair of names a handful, so write-time
        # matching looks up the pair.
        indexes = [
            models.Index(fields=["given", "paternal"], name="encoding_given_paternal"),
            models.Index(fields=["given", "maternal"], name="encoding_given_maternal"),
            models.Index(fields=["paternal", "maternal"], name="encoding_paternal_maternal"),
            models.Index(fields=["given_first", "paternal_sound"], name="encoding_first_sound"),
        ]

    def __str__(self) -> str:
        return f"encoding of {self.person_id}"


class LinkageRun(models.Model):
    """One national linkage run: its thresholds, its model and what it found."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    upper = models.FloatField(
        _("link threshold"), help_text=_("Pairs at or above this probability link.")
    )
    lower = models.FloatField(
        _("review threshold"),
        help_text=_("Pairs from here up to the link threshold go to review."),
    )
    records = models.PositiveIntegerField(_("records"), default=0)
    pairs_compared = models.PositiveBigIntegerField(_("pairs compared"), default=0)
    pairs_linked = models.PositiveIntegerField(_("pairs linked"), default=0)
    pairs_to_review = models.PositiveIntegerField(_("pairs to review"), default=0)
    people = models.PositiveIntegerField(_("people"), default=0)
    stages = models.JSONField(_("seconds per stage"), default=dict)
    model = models.JSONField(
        _("model"), default=dict, help_text=_("The trained Splink model: no record data.")
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")

    def __str__(self) -> str:
        return f"linkage run {self.started_at:%Y-%m-%d %H:%M}"


class MatchPair(models.Model):
    """Two records that may be the same person: in review, or decided by a person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        MERGED = "merged", _("Same person")
        SPLIT = "split", _("Different people")

    left = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name=_("record"))
    right = models.ForeignKey(
        Person, models.CASCADE, related_name="+", verbose_name=_("other record")
    )
    probability = models.FloatField(_("match probability"), null=True, blank=True)
    match_weight = models.FloatField(_("match weight"), null=True, blank=True)
    pattern = models.JSONField(
        _("agreement pattern"),
        default=dict,
        help_text=_("Per comparison: the level that held and its match weight. Never values."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Written looking at both identities: encrypted, as it may quote them.
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("match pair")
        verbose_name_plural = _("match pairs")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="one_pair_per_two_records"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="pair_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id} {self.status}"
