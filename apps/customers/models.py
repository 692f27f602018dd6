"""A customer's profile: who they are, how they send, who receives, and what they were told.

Writes go through `apps.customers.services`; reads through `apps.customers.selectors`.
Profiles and share links are reached only through unguessable tokens, never by numeric id.
"""

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apps.policies.limits import MAX_EMAIL, MAX_TEXT
from apps.policies.types import Basis as PlanBasis
from apps.policies.types import Mode

WIZARD_STEPS = 5


def new_token() -> str:
    """A private link token: 32 random bytes (256 bits) from `secrets`, URL-safe."""
    return secrets.token_urlsafe(32)


def new_ref() -> str:
    """A short public reference for a row inside one profile (forms, checklists), not a secret."""
    return secrets.token_hex(8)


# The engine's values (apps.policies.types), with the words the wizard offers them in.
class SendingMode(models.TextChoices):
    UNVERIFIED_ADDRESS = Mode.UNVERIFIED_ADDRESS.value, "From the platform's shared address"
    VERIFIED_ADDRESS = Mode.VERIFIED_ADDRESS.value, "From my own verified address"
    SENDING_DOMAIN = Mode.SENDING_DOMAIN.value, "From my organisation's own sending domain"


class Basis(models.TextChoices):
    ADDRESS = PlanBasis.ADDRESS.value, "From addresses (survive server changes)"
    IP = PlanBasis.IP.value, "The platform's IP addresses (resist forgery, change with servers)"
    ADDRESS_AND_IP = PlanBasis.ADDRESS_AND_IP.value, "Both (strongest)"


class CustomerProfile(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # When the private link was made or last replaced (services.resume_link_replace), and when it
    # was last used: a browser opening it for the first time, or a save through it, recorded at
    # most every few minutes (services.resume_link_used), never on every page view.
    token_issued_at = models.DateTimeField(default=timezone.now, editable=False)
    token_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How staff pages name the profile: the token is the customer's private link, and must not
    # appear in staff URLs (browser history, proxies, screenshots shared in a ticket).
    support_ref = models.CharField(max_length=16, unique=True, default=new_ref, editable=False)
    organisation = models.CharField(max_length=MAX_TEXT)
    contact_name = models.CharField(max_length=MAX_TEXT)
    contact_email = models.EmailField(max_length=MAX_EMAIL)
    account_reference = models.CharField(
        max_length=100, blank=True, help_text="The customer's account reference on the platform."
    )
    # The step the customer's last saved answer led to (1–5, 6 for the instructions): the resume
    # link returns there. Saving an earlier step again moves it back (wizard_step_set).
    wizard_step = models.PositiveSmallIntegerField(default=1)
    # Goes up by one whenever the customer's answers change. Each step's form carries the value
    # it was shown with, so a save from an older page (Back, a second tab) is refused instead of
    # silently overwriting newer answers.
    revision = models.PositiveIntegerField(default=0)

    # Sending identity (docs/api.md, "Request": sending.mode).
    sending_mode = models.CharField(max_length=20, choices=SendingMode.choices, blank=True)
    display_name = models.CharField(max_length=MAX_TEXT, blank=True)
    # The customer's own address: shown as the display name in unverified-address mode.
    customer_address = models.EmailField(max_length=MAX_EMAIL, blank=True)
    # Sending-domain mode: permit the whole domain rather than each address.
    permit_whole_domain = models.BooleanField(default=False)
    # The invitations carry per-recipient survey links (URL Protect may pre-scan them, §11).
    unique_links = models.BooleanField(default=True)
    basis = models.CharField(max_length=16, choices=Basis.choices, default=Basis.ADDRESS)

    # DNS facts about the customer's sending domain, as last checked (a SendingDomainReport).
    sending_domain_report = models.JSONField(default=dict, blank=True)
    sending_domain_checked_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(Lower("organisation"), name="profile_org_lower_idx"),
            models.Index(Lower("contact_email"), name="profile_email_lower_idx"),
            models.Index(Lower("contact_name"), name="profile_name_lower_idx"),
            models.Index(Lower("account_reference"), name="profile_ref_lower_idx"),
            models.Index(fields=["-updated_at"], name="profile_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.organisation or "(new profile)"

    @property
    def link_replaced(self) -> bool:
        """Whether the private link is a replacement (issued after the profile was made)."""
        # A first link is issued as the row is made, just before `created_at` is stamped.
        return self.token_issued_at > self.created_at


class SenderAddress(models.Model):
    """A header From address the customer's mail uses (verified / sending-domain modes)."""

    profile = models.ForeignKey(
        CustomerProfile, on_delete=models.CASCADE, related_name="sender_addresses"
    )
    address = models.CharField(
        max_length=MAX_EMAIL
    )  # normalised: lower-case, IDN domain as A-label
    domain = models.CharField(max_length=253, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "address"], name="unique_sender_address")
        ]
        indexes = [models.Index(fields=["address"], name="sender_address_idx")]

    def __str__(self) -> str:
        return self.address


class RecipientAccount(models.Model):
    """One recipient organisation's Mimecast account: policies apply only inside it (§9 rule 1)."""

    profile = models.ForeignKey(
        CustomerProfile, on_delete=models.CASCADE, related_name="recipient_accounts"
    )
    ref = models.CharField(max_length=16, unique=True, default=new_ref, editable=False)
    organisation = models.CharField(max_length=MAX_TEXT)
    bulk = models.BooleanField(
        default=False, help_text="Bulk or time-sensitive sends (greylisting delays matter)."
    )
    it_contact_email = models.EmailField(max_length=MAX_EMAIL, blank=True)
    # Mimecast protects this organisation's Microsoft 365 through its API (Email Security –
    # API): MX cannot show it, so the customer says so (§10).
    mimecast_api = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.organisation


class RecipientDomain(models.Model):
    """A domain of a recipient account, with what DNS said about its gateway when last checked."""

    account = models.ForeignKey(RecipientAccount, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, db_index=True)  # A-label, lower-case, no dot
    gateway = models.CharField(max_length=32, blank=True)  # "" = unknown / not checked
    region = models.CharField(max_length=8, blank=True)
    evidence = models.JSONField(default=list, blank=True)  # MX hosts, lowest preference first
    also_seen = models.JSONField(default=list, blank=True)
    dns_status = models.CharField(max_length=32, blank=True)  # e.g. ok, timeout, nxdomain
    dns_message = models.CharField(max_length=500, blank=True)
    # The whole check as DNS gave it (apps.dnscheck.facts.check_to_dict): what plans read.
    facts = models.JSONField(default=dict, blank=True)
    # What the check found (apps.dnscheck.types.DomainStatus: gateway, unknown, not_found,
    # error, …; "" = not checked): with gateway, region and dns_status it words the badge
    # (apps.policies.wording.domain_badge).
    status = models.CharField(max_length=16, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "domain"], name="unique_account_domain")
        ]

    def __str__(self) -> str:
        return self.domain


class PlanRecord(models.Model):
    """The instructions exactly as a customer was shown them (a serialised Plan).

    A new record is kept only when the plan's content changes, so support can see what each
    customer was told, when, and from which platform IPs.
    """

    profile = models.ForeignKey(
        CustomerProfile, on_delete=models.CASCADE, related_name="plan_records"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    plan = models.JSONField()  # apps.policies.serialize.plan_to_dict
    fingerprint = models.CharField(max_length=64)  # content hash, generated_at excluded
    basis = models.CharField(max_length=16)
    ip_ranges = models.JSONField(default=list, blank=True)  # the ranges the steps used
    platform_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Plan for {self.profile} at {self.created_at:%Y-%m-%d %H:%M}"


class ShareLink(models.Model):
    """A read-only link for one recipient organisation's IT admin; its own token, revocable.

    It shows (and lets IT tick) that organisation's steps only: IT teams never see the
    customer's other recipients. `account` is empty only on links made before links were per
    organisation, which were switched off unless their profile had one organisation.
    """

    profile = models.ForeignKey(
        CustomerProfile, on_delete=models.CASCADE, related_name="share_links"
    )
    account = models.ForeignKey(
        RecipientAccount,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="share_links",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    label = models.CharField(max_length=MAX_TEXT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The steps as IT last saw them through this link (stepprints.seen_steps), so its next visit
    # can say what was added, changed or is no longer needed; and the customer's page, that IT
    # has something new to do.
    seen_steps = models.JSONField(default=dict, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    # Each IT visit updates what it saw: not a change worth a history row.
    history = HistoricalRecords(excluded_fields=["seen_steps", "seen_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link for {self.profile}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ChecklistTick(models.Model):
    """An IT admin's tick against one step of one recipient account's instructions."""

    profile = models.ForeignKey(
        CustomerProfile, on_delete=models.CASCADE, related_name="checklist_ticks"
    )
    account_ref = models.CharField(max_length=16)
    step_key = models.CharField(max_length=64)
    # The step's content when it was ticked (stepprints.step_fingerprint): the tick counts only
    # while the step is still exactly that. Empty on ticks made before fingerprints, which are
    # taken as given for the step as it stood when next shown.
    fingerprint = models.CharField(max_length=64, blank=True)
    share_link = models.ForeignKey(ShareLink, on_delete=models.SET_NULL, null=True, blank=True)
    done_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "account_ref", "step_key"], name="unique_checklist_tick"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_ref}/{self.step_key}"
