from django import forms

from apps.customers.models import ShareLink
from apps.support.models import MAX_NOTE_LENGTH, StaffNote


class StaffNoteForm(forms.ModelForm):
    class Meta:
        model = StaffNote
        fields = ["body"]
        labels = {"body": "Add a staff-only note"}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTE_LENGTH})}


class ShareLinkForm(forms.ModelForm):
    # The organisation the link is for, by its ref (checked against the profile by the service).
    account = forms.CharField(max_length=16)

    class Meta:
        model = ShareLink
        fields = ["label"]
        labels = {"label": "Label (optional, e.g. who it is for)"}
