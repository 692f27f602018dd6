"""How long the instructions are: words in the text export and pages in the PDF, per case.

    .venv/bin/python bench/instructions_size.py

Two cases that IT admins meet most:

- shared: the platform's shared address with the customer's own address as display name,
  sent in bulk to the organisation named in the display name (one Mimecast account);
- own-domain: the customer's own sending domain, sent to their own organisation and to one
  external client (two Mimecast accounts, bulk sends), the domain's SPF authorising the
  platform and its DMARC policy at quarantine.

Both use the seeded platform facts and fixed, realistic IP ranges, so the figures move only
when the wording does. Not a timed benchmark: a size budget to keep the instructions short.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RESOLVED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RANGES = ("185.10.20.5/32", "185.10.20.6/32", "185.10.20.7/32", "185.10.21.0/24")


def cases() -> dict[str, object]:
    from apps.policies.types import (
        Basis,
        GatewayInfo,
        Mode,
        PlanRequest,
        PlatformInfo,
        PlatformIPs,
        RecipientAccount,
        SendingDomainFacts,
        SendingIdentity,
    )

    platform = PlatformInfo(
        name="SmartSurvey",
        shared_address="member@smartsurveyuser.com",
        spf_include="spf.ssmx.net",
        server_hostnames=("ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net"),
        version="1",
    )
    ips = PlatformIPs(ranges=RANGES, resolved_at=RESOLVED)
    eu = GatewayInfo(name="mimecast", region="eu", evidence=("eu-smtp-inbound-1.mimecast.com",))
    shared = PlanRequest(
        platform=platform,
        sending=SendingIdentity(
            mode=Mode.UNVERIFIED_ADDRESS, customer_address="luke@somecompany.com"
        ),
        recipients=(
            RecipientAccount("Some Company", ("somecompany.com",), eu, bulk=True, ref="a1"),
        ),
        basis=Basis.ADDRESS,
        platform_ips=ips,
        generated_at=RESOLVED,
    )
    own = PlanRequest(
        platform=platform,
        sending=SendingIdentity(mode=Mode.SENDING_DOMAIN, from_addresses=("surveys@example.com",)),
        recipients=(
            RecipientAccount("Example Ltd", ("example.com",), eu, bulk=True, ref="a1"),
            RecipientAccount("Client plc", ("client.example",), eu, bulk=True, ref="a2"),
        ),
        basis=Basis.ADDRESS,
        platform_ips=ips,
        sending_domain_facts=SendingDomainFacts(
            domain="example.com",
            spf_authorises_platform=True,
            spf_record="v=spf1 include:spf.protection.outlook.com include:spf.ssmx.net -all",
            dmarc_policy="quarantine",
        ),
        generated_at=RESOLVED,
    )
    # The same situations without the optional URL Protection step: the steps the instructions
    # gave before that step existed, for a like-for-like comparison of the wording.
    plain = SendingIdentity(
        mode=Mode.SENDING_DOMAIN, from_addresses=("surveys@example.com",), unique_links=False
    )
    bare = SendingIdentity(
        mode=Mode.UNVERIFIED_ADDRESS, customer_address="luke@somecompany.com", unique_links=False
    )
    return {
        "shared": shared,
        "own-domain": own,
        "shared, no unique links": replace(shared, sending=bare),
        "own-domain, no unique links": replace(own, sending=plain),
    }


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from pypdf import PdfReader

    from apps.exports.pdf import render_pdf
    from apps.exports.text import render_text
    from apps.policies.generator import build_plan

    print(f"{'case':<28} {'words':>6} {'pdf pages':>10}")
    for name, request in cases().items():
        plan = build_plan(request)  # type: ignore[arg-type]
        words = len(render_text(plan, organisation="Somecompany").split())
        pages = len(PdfReader(io.BytesIO(render_pdf(plan, organisation="Somecompany"))).pages)
        print(f"{name:<28} {words:>6} {pages:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
