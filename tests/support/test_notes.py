"""Staff notes: private to staff, signed, kept in the history."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from apps.customers import services
from apps.customers.models import CustomerProfile
from apps.support.models import StaffNote
from tests.customers.factories import make_complete_profile, make_share_link
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile() -> CustomerProfile:
    return make_profile("Noted Org Ltd")


def _note_url(profile: CustomerProfile) -> str:
    return reverse("support:note_add", kwargs={"ref": profile.support_ref})


def test_staff_add_a_note_signed_with_their_name(client: Client, profile: CustomerProfile) -> None:
    agent = make_staff("alice")
    client.force_login(agent)
    response = client.post(_note_url(profile), {"body": "  Customer says IT is on holiday.  "})
    assert response.status_code == 302
    note = StaffNote.objects.get(profile=profile)
    assert note.body == "Customer says IT is on holiday." and note.author == agent
    page = client.get(
        reverse("support:profile", kwargs={"ref": profile.support_ref})
    ).content.decode()
    assert "Customer says IT is on holiday." in page and "alice" in page


def test_notes_are_escaped(client: Client, profile: CustomerProfile) -> None:
    client.force_login(make_staff())
    client.post(_note_url(profile), {"body": "<script>alert(1)</script>"})
    page = client.get(
        reverse("support:profile", kwargs={"ref": profile.support_ref})
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_it_rejects_an_empty_or_overlong_note(
    client: Client, profile: CustomerProfile, body: str
) -> None:
    client.force_login(make_staff())
    response = client.post(_note_url(profile), {"body": body})
    assert response.status_code == 400
    assert not StaffNote.objects.exists()


NOTE = "Zebranote difficult customer"


def _text_of(content_type: str, content: bytes) -> str:
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode()


@pytest.mark.usefixtures("test_dns")
def test_notes_are_never_on_the_customers_or_its_pages(client: Client) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    StaffNote.objects.create(profile=profile, author=make_staff(), body=NOTE)
    token = {"token": profile.token}
    shared = {"token": link.token}
    pages = [
        reverse("customer:instructions", kwargs=token),
        *(reverse(f"customer:instructions_{ext}", kwargs=token) for ext in ("txt", "json", "pdf")),
        reverse("it:page", kwargs=shared),
        *(reverse(f"it:instructions_{ext}", kwargs=shared) for ext in ("txt", "json", "pdf")),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = _text_of(response["Content-Type"], response.content)
        assert profile.organisation in text or "ownorg.example" in text, page  # the real page
        assert "Zebranote" not in text, page
    # The same note is on staff's own page, so the check above looks for something real.
    client.force_login(make_staff("bob"))
    staff_page = client.get(reverse("support:profile", kwargs={"ref": profile.support_ref}))
    assert NOTE in staff_page.content.decode()
