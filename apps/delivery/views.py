"""The bounce explainer: customer-facing, no login. What is pasted is classified in memory and
shown back; it is never stored, and never logged (sensitive_post_parameters keeps it out of
error reports; the request log records no bodies)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.delivery.explain import MAX_PASTE_CHARS, explain


class ExplainForm(forms.Form):
    text = forms.CharField(
        label="The bounce or rejection message",
        max_length=MAX_PASTE_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace"}),
    )


@sensitive_post_parameters("text")
@never_cache
@require_http_methods(["GET", "POST"])
def explainer(request: HttpRequest) -> HttpResponse:
    form = ExplainForm(request.POST or None)
    explanation = explain(form.cleaned_data["text"]) if form.is_bound and form.is_valid() else None
    return render(request, "delivery/explain.html", {"form": form, "explanation": explanation})
