import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Affiliation, User
from applications.enums import DECLARATION_TEXTS, DeclarationKind
from calls.enums import AnswerType
from calls.models import Criterion
from networks.enums import MembershipTier
from networks.models import Institution, Topic


class DateInput(forms.DateInput):
    input_type = "date"


class OneFileInput(forms.ClearableFileInput):
    """A file input that hands on every file sent under its name, so that several are refused
    rather than all but the last silently dropped (a drop of several files, a crafted form)."""

    def value_from_datadict(self, data, files, name):
        chosen = files.getlist(name) if hasattr(files, "getlist") else []
        if len(chosen) > 1:
            return chosen
        return super().value_from_datadict(data, files, name)


class OneFileField(forms.FileField):
    """One file per document: several chosen at once are refused beside the field."""

    widget = OneFileInput

    def to_python(self, data):
        if isinstance(data, list):
            raise ValidationError(
                _(
                    "Choose one file only: you chose %(count)d. Each document takes one file; "
                    "combine them into one file first."
                )
                % {"count": len(data)},
                code="several_files",
            )
        return super().to_python(data)


class StartForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    tier_requested = forms.ChoiceField(label=_("Membership tier you apply for"), choices=())

    def __init__(self, *args, user, call, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.filter(affiliations__user=user).order_by("name")
        self.fields["institution"].queryset = institutions
        # The person's one institution is the one they apply for: chosen already.
        only = list(institutions[:2])
        if len(only) == 1:
            self.fields["institution"].initial = only[0].pk
        self.fields["tier_requested"].choices = [
            (tier, MembershipTier(tier).label) for tier in call.tiers_offered
        ]


class PeopleForm(forms.Form):
    tier_requested = forms.ChoiceField(label=_("Membership tier you apply for"), choices=())
    representative = forms.ModelChoiceField(
        label=_("Representative in the network"),
        queryset=None,
        required=False,
        help_text=_("Only colleagues who act for the institution in the portal can be chosen."),
    )
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=None, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Areas of expertise"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They help match the application with reviewers who know the field."),
    )
    keywords = forms.CharField(
        label=_("Other keywords"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, for example: HIPEC, robotic surgery."),
    )

    def clean_keywords(self) -> list[str]:
        words = [word.strip() for word in self.cleaned_data["keywords"].split(",")]
        return sorted({word for word in words if word}, key=str.lower)[:20]

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = User.objects.filter(
            pk__in=Affiliation.objects.filter(institution=application.institution_id).values(
                "user_id"
            )
        ).order_by("name", "email")
        self.fields["representative"].queryset = colleagues
        self.fields["deputy"].queryset = colleagues
        self.fields["tier_requested"].choices = [
            (tier, MembershipTier(tier).label) for tier in application.call.tiers_offered
        ]


def field_name(criterion: Criterion) -> str:
    return f"criterion_{criterion.pk}"


class SectionForm(forms.Form):
    """The answers of one section of the call's criteria, one field per criterion.

    Every answer is optional while drafting: completeness is checked when submitting. The hidden
    `revisions` field carries the revision of each answer as loaded, to catch concurrent edits.
    """

    revisions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria, answers, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.documents = documents
        initial_revisions = {}
        for criterion in self.criteria:
            answer = answers.get(criterion.pk)
            initial_revisions[str(criterion.pk)] = answer.revision if answer else 0
            field = self._field_for(criterion)
            field.label = f"{criterion.code} {criterion.title}"
            field.help_text = criterion.guidance
            field.required = False
            if answer is not None and criterion.answer_type != AnswerType.FILE:
                field.initial = answer.value
            self.fields[field_name(criterion)] = field
        self.fields["revisions"].initial = json.dumps(initial_revisions)

    def _field_for(self, criterion: Criterion) -> forms.Field:
        kind = criterion.answer_type
        if kind == AnswerType.TEXT:
            attrs = {"rows": 6}
            if criterion.word_limit:
                attrs["data-word-limit"] = criterion.word_limit
            return forms.CharField(widget=forms.Textarea(attrs=attrs), max_length=100_000)
        if kind == AnswerType.NUMBER:
            return forms.DecimalField(max_digits=14, decimal_places=2)
        if kind == AnswerType.FILE:
            return OneFileField()
        return forms.ChoiceField(choices=criterion.options, widget=forms.RadioSelect)

    def loaded_revisions(self) -> dict[int, int]:
        try:
            raw = json.loads(self.cleaned_data.get("revisions") or "{}")
            return {int(key): int(value) for key, value in raw.items()}
        except (TypeError, ValueError, AttributeError):
            return {}

    def answer_values(self) -> dict[int, object]:
        values = {}
        for criterion in self.criteria:
            if criterion.answer_type == AnswerType.FILE:
                continue
            value = self.cleaned_data.get(field_name(criterion))
            if criterion.answer_type == AnswerType.NUMBER and value is not None:
                value = format(value.normalize(), "f")
            values[criterion.pk] = value if value not in ("",) else None
        return values

    def uploaded_files(self) -> dict[Criterion, object]:
        return {
            criterion: self.cleaned_data[field_name(criterion)]
            for criterion in self.criteria
            if criterion.answer_type == AnswerType.FILE
            and self.cleaned_data.get(field_name(criterion))
        }


class DocumentUploadForm(forms.Form):
    file = OneFileField(label=_("File"))


class EndorsementForm(forms.Form):
    issuing_authority = forms.CharField(
        label=_("Issuing authority"),
        max_length=255,
        help_text=_("For example: the Ministry of Health of your country."),
    )
    issued_on = forms.DateField(label=_("Date of the letter"), widget=DateInput)
    letter = OneFileField(
        label=_("The letter (PDF)"),
        required=False,
        help_text=_("Upload a new letter only to replace the current one."),
    )

    def __init__(self, *args, has_letter: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter"].required = not has_letter


class DeclarationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200)
    signed_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    confirmed = forms.BooleanField(label=_("I confirm this declaration."))

    def __init__(self, *args, kind: DeclarationKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.text = DECLARATION_TEXTS[kind]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
