from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.enums import Recommendation


class AcceptForm(forms.Form):
    no_conflict = forms.BooleanField(
        label=_(
            "I declare that I have no conflict of interest with this applicant: I do not work "
            "for it or its group, I have no financial or personal interest in its application, "
            "and nothing would prevent me from assessing it impartially."
        )
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    conflict = forms.BooleanField(
        label=_("I have a conflict of interest with this applicant."), required=False
    )


class ReviewForm(forms.Form):
    """A score per scored criterion on its own scale, comments and a recommendation."""

    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        choices=[("", "—"), *Recommendation.choices],
        required=False,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scored = {}
        for criterion in criteria:
            scale = range(criterion.score_min, criterion.score_max + 1)
            scored[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.code} {criterion.title}",
                help_text=_("From %(low)d to %(high)d; weight %(weight)s.")
                % {
                    "low": criterion.score_min,
                    "high": criterion.score_max,
                    "weight": f"{criterion.weight:g}",
                },
                choices=[("", "—"), *((value, str(value)) for value in scale)],
                coerce=int,
                empty_value=None,
                required=False,
            )
        # Scores first, in the criteria's order, then comments and recommendation.
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict[int, int | None]:
        return {
            criterion.pk: self.cleaned_data.get(f"criterion_{criterion.pk}")
            for criterion in self.criteria
        }


class ConsensusForm(forms.Form):
    text = forms.CharField(
        label=_("Consensus of the reviewers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Where the reviewers agree and differ, for the coordinators."),
    )
