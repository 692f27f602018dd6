"""Made-up customer profiles for demos and benchmarks (`manage.py generate_fake_profiles`).

Every domain is under the reserved `.example` top-level domain (RFC 2606), so no generated
address can ever belong to someone real. Rows are written with `bulk_create` in batches, which
skips simple_history; a sample of profiles is then created and changed the ordinary way so the
history page has something to show.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.customers.models import (
    WIZARD_STEPS,
    Basis,
    CustomerProfile,
    RecipientAccount,
    RecipientDomain,
    SenderAddress,
    SendingMode,
)
from apps.customers.services._common import reason
from apps.dnscheck import facts
from apps.dnscheck.types import (
    CheckStatus,
    DomainCheck,
    DomainStatus,
    RecordCheck,
    SendingDomainReport,
)
from apps.policies import gateways
from apps.policies.addresses import domain_of
from apps.support.fake_words import (
    ADJECTIVES,
    FIRST,
    GATEWAYS,
    KINDS,
    LAST,
    LOCAL_PARTS,
    MIMECAST_REGIONS,
    NOUNS,
    PLACES,
    PUBLIC,
)


def _bulk_create_as_dated[Dated: (CustomerProfile, RecipientAccount)](
    model: type[Dated], rows: list[Dated]
) -> list[Dated]:
    """bulk_create, then put back the created/updated times the rows were given: bulk_create
    stamps "now" on auto_now fields, bulk_update leaves them as set."""
    times = [(row.created_at, row.updated_at) for row in rows]
    created = model._default_manager.bulk_create(rows)
    for row, (created_at, updated_at) in zip(created, times, strict=True):
        row.created_at, row.updated_at = created_at, updated_at
    model._default_manager.bulk_update(created, ["created_at", "updated_at"], batch_size=500)
    return created


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class FakeData:
    rng: random.Random
    now: datetime = field(default_factory=timezone.now)
    serial: int = 0

    def weighted(self, pairs: tuple[tuple[str, int], ...]) -> str:
        names, weights = zip(*pairs, strict=True)
        return self.rng.choices(names, weights)[0]

    def organisation(self) -> str:
        r = self.rng
        form = r.random()
        if form < 0.45:
            return f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} {r.choice(KINDS)}"
        if form < 0.75:
            return f"{r.choice(PLACES)} {r.choice(NOUNS)} {r.choice(KINDS)}"
        if form < 0.85:
            return f"{r.choice(LAST)} & {r.choice(LAST)} {r.choice(KINDS)}"
        if form < 0.93:
            return f"{r.choice(PLACES)} {r.choice(PUBLIC)}"
        return f"University of {r.choice(PLACES)}"

    def domain(self, organisation: str) -> str:
        """A domain unique to this run: the organisation's name and a serial number."""
        self.serial += 1
        words = _slug(organisation).split("-")[:2]
        return f"{'-'.join(words)}{self.serial}.example"

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        span = max((end - start).total_seconds(), 1.0)
        return start + timedelta(seconds=self.rng.random() * span)

    def mx_hosts(self, gateway: str, region: str, domain: str) -> list[str]:
        return {
            "mimecast": [
                f"{region}-smtp-inbound-1.mimecast.com",
                f"{region}-smtp-inbound-2.mimecast.com",
            ],
            "microsoft365": [f"{domain.replace('.', '-')}.mail.protection.outlook.com"],
            "google": ["aspmx.l.google.com", "alt1.aspmx.l.google.com"],
            "proofpoint": ["mx1-eu1.ppe-hosted.com", "mx2-eu1.ppe-hosted.com"],
            "barracuda": ["d123456a.ess.barracudanetworks.com"],
            "sophos": ["mx-01-eu-west-1.prod.hydra.sophos.com"],
        }.get(gateway, [])

    def profile(self) -> tuple[CustomerProfile, list[str]]:
        """An unsaved profile and the From addresses that go with it."""
        r = self.rng
        organisation = self.organisation()
        own = self.domain(organisation)
        first, last = r.choice(FIRST), r.choice(LAST)
        email = f"{first}.{_slug(last).replace('-', '')}@{own}".lower()
        mode = self.weighted(
            (
                (SendingMode.UNVERIFIED_ADDRESS, 50),
                (SendingMode.VERIFIED_ADDRESS, 30),
                (SendingMode.SENDING_DOMAIN, 20),
            )
        )
        senders: list[str] = []
        if mode == SendingMode.VERIFIED_ADDRESS:
            senders = [email]
        elif mode == SendingMode.SENDING_DOMAIN:
            senders = [f"{part}@{own}" for part in r.sample(LOCAL_PARTS, r.randint(1, 3))]
        complete = r.random() < 0.7
        created = self.now - timedelta(days=r.random() * 730)
        checked = self.moment_between(created, self.now)
        return (
            CustomerProfile(
                organisation=organisation,
                contact_name=f"{first} {last}",
                contact_email=email,
                account_reference=f"SS-{r.randint(100000, 999999)}" if r.random() < 0.8 else "",
                # Past the last step: the resume link opens the instructions.
                wizard_step=WIZARD_STEPS + 1 if complete else r.randint(1, WIZARD_STEPS),
                sending_mode=mode,
                display_name=organisation if r.random() < 0.6 else "",
                customer_address=email,
                permit_whole_domain=mode == SendingMode.SENDING_DOMAIN and r.random() < 0.3,
                basis=self.weighted(
                    ((Basis.ADDRESS, 75), (Basis.IP, 10), (Basis.ADDRESS_AND_IP, 15))
                ),
                sending_domain_report=(
                    self.sending_report(own) if mode == SendingMode.SENDING_DOMAIN else {}
                ),
                sending_domain_checked_at=checked if mode == SendingMode.SENDING_DOMAIN else None,
                created_at=created,
                updated_at=self.moment_between(created, self.now),
            ),
            senders,
        )

    def sending_report(self, domain: str) -> dict[str, Any]:
        """A made-up sending domain check, stored in the shape a real one is."""
        r = self.rng
        authorised = r.random() < 0.7
        policy = r.choice(["none", "quarantine", "reject", ""])
        spf = RecordCheck(
            CheckStatus.OK if authorised else CheckStatus.WARNING,
            "The SPF record authorises the platform."
            if authorised
            else "The SPF record does not authorise the platform.",
            record="v=spf1 include:spf.ssmx.net -all" if authorised else "v=spf1 -all",
        )
        dmarc = RecordCheck(
            CheckStatus.OK if policy else CheckStatus.MISSING,
            f"DMARC policy: {policy}." if policy else "No DMARC record.",
        )
        dkim = RecordCheck(CheckStatus.MISSING, "No DKIM key for the platform's selectors.")
        report = SendingDomainReport(
            domain,
            domain,
            spf,
            dmarc,
            dkim,
            spf_authorises_platform=authorised,
            dmarc_policy=policy,
        )
        return facts.report_to_dict(report)

    def domain_check(self, name: str, gateway: str, region: str) -> DomainCheck:
        """A made-up recipient domain check (what a real one stores)."""
        if gateway:
            return DomainCheck(
                name,
                name,
                DomainStatus.GATEWAY,
                gateway,
                region=region or None,
                evidence=tuple(self.mx_hosts(gateway, region, name)),
                message=f"{name} receives mail through {gateways.label(gateway)}.",
                dns_status="ok",
            )
        return DomainCheck(
            name,
            name,
            DomainStatus.ERROR,
            message="couldn't check: the DNS server didn't answer",
            dns_status=self.rng.choice(["timeout", "nxdomain"]),
        )

    def accounts(
        self, profile: CustomerProfile
    ) -> list[tuple[RecipientAccount, list[RecipientDomain]]]:
        r = self.rng
        rows = []
        for position in range(r.choices((1, 2, 3, 4), (50, 30, 15, 5))[0]):
            organisation = self.organisation()
            account = RecipientAccount(
                profile=profile,
                organisation=organisation,
                bulk=r.random() < 0.25,
                it_contact_email=f"it@{self.domain(organisation)}" if r.random() < 0.3 else "",
                position=position,
                created_at=profile.created_at,
                updated_at=profile.updated_at,
            )
            gateway = self.weighted(GATEWAYS)
            region = self.weighted(MIMECAST_REGIONS) if gateway == "mimecast" else ""
            domains = []
            for index in range(r.choices((1, 2, 3), (60, 30, 10))[0]):
                name = self.domain(organisation)
                check = self.domain_check(name, gateway, region)
                domains.append(
                    RecipientDomain(
                        account=account,
                        domain=name,
                        gateway=gateway,
                        region=region,
                        evidence=list(check.evidence),
                        dns_status=check.dns_status,
                        dns_message=check.message,
                        facts=facts.check_to_dict(check),
                        status=check.status,
                        checked_at=self.moment_between(profile.created_at, profile.updated_at),
                        position=index,
                    )
                )
            rows.append((account, domains))
        return rows


def generate(
    count: int,
    *,
    seed: int | None = None,
    batch_size: int = 2000,
    history_sample: int = 50,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create `count` profiles with accounts, domains and senders; the first `history_sample`
    are created with history and then changed a few times. Returns how many were created."""
    fake = FakeData(random.Random(seed))  # noqa: S311 - made-up data, not secrets
    sample = min(history_sample, count)
    for _ in range(sample):
        _create_with_history(fake)
    done = sample
    while done < count:
        size = min(batch_size, count - done)
        _create_batch(fake, size)
        done += size
        if progress:
            progress(done)
    return done


@transaction.atomic
def _create_batch(fake: FakeData, size: int) -> None:
    built = [fake.profile() for _ in range(size)]
    profiles = _bulk_create_as_dated(CustomerProfile, [profile for profile, _ in built])
    senders = [
        SenderAddress(profile=profile, address=address, domain=domain_of(address), position=i)
        for profile, addresses in zip(profiles, (s for _, s in built), strict=True)
        for i, address in enumerate(addresses)
    ]
    SenderAddress.objects.bulk_create(senders)
    accounts = [pair for profile in profiles for pair in fake.accounts(profile)]
    _bulk_create_as_dated(RecipientAccount, [account for account, _ in accounts])
    for account, domains in accounts:
        for domain in domains:
            domain.account = account
    RecipientDomain.objects.bulk_create([d for _, domains in accounts for d in domains])


@transaction.atomic
def _create_with_history(fake: FakeData) -> None:
    """One profile saved the ordinary way (each save recorded), then changed as customers do."""
    profile, senders = fake.profile()
    profile.wizard_step = 1
    reason(profile, "Profile created")
    profile.save()
    for position, address in enumerate(senders):
        SenderAddress.objects.create(
            profile=profile, address=address, domain=domain_of(address), position=position
        )
    for account, domains in fake.accounts(profile):
        account.save()
        for domain in domains:
            domain.account = account
            domain.save()
    profile.wizard_step = WIZARD_STEPS + 1
    reason(profile, "Wizard completed")
    profile.save()
    if fake.rng.random() < 0.5:
        profile.contact_name = f"{fake.rng.choice(FIRST)} {fake.rng.choice(LAST)}"
        reason(profile, "Contact changed")
        profile.save()
