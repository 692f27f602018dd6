from django import forms

from apps.support.models import MAX_NOTE_LENGTH, StaffNote


class StaffNoteForm(forms.ModelForm):
    class Meta:
        model = StaffNote
        fields = ["body"]
        labels = {"body": "Add a staff-only note"}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTE_LENGTH})}
