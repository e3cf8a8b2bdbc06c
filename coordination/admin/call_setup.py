"""Setting up a call on one page: the call, its eligibility (countries chosen by group) and its
criteria set's sections with their criteria nested, saved together or not at all.

Django's admin cannot nest inlines (a section's criteria inside a set's sections), and no
library that does is installed, so the page is plain formsets: one of sections, and in each
section form one of its criteria, with their own prefixes. Without JavaScript a few blank rows
are offered; "Save and continue editing" offers more. Errors are shown beside their field and
every value typed is kept.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import CriteriaSection, CriteriaSet, Criterion
from calls.rules import may_edit_criteria_set
from calls.services import criteria_set_for_call, criteria_set_hold_for_change

CALL_FIELDSETS = [
    (None, {"fields": ["network", "title", "slug", "summary", "body", "is_published"]}),
    ("window", {"fields": ["time_zone", "opens_at", "closes_at"]}),
    (
        "eligibility",
        {
            "fields": [
                "admitted_country_groups",
                "admitted_countries",
                "admitted_institution_types",
                "tiers_offered",
            ]
        },
    ),
    ("endorsement", {"fields": ["endorsement_route", "endorsement_closes_at"]}),
    ("assessment", {"fields": ["reviews_per_application", "review_days", "redress_days"]}),
]
CALL_FIELDS = [name for _title, options in CALL_FIELDSETS for name in options["fields"]]

CRITERION_FIELDS = [
    "code",
    "title",
    "guidance",
    "answer_type",
    "required",
    "word_limit",
    "choices",
    "weight",
    "score_min",
    "score_max",
    "position",
]


class CriterionForm(forms.ModelForm):
    # One option a line reads better than the JSON list the model keeps.
    choices = forms.CharField(
        label=gettext_lazy("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text=gettext_lazy("Only for choice answers: one option a line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean_choices(self) -> list[str]:
        lines = self.cleaned_data["choices"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "guidance": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }


class BaseCriterionFormSet(BaseInlineFormSet):
    def get_queryset(self):
        # The section's criteria as prefetched with the sections: one query for the whole set.
        if "criteria" in getattr(self.instance, "_prefetched_objects_cache", {}):
            return self.instance.criteria.all()
        return super().get_queryset()


CriterionFormSet = inlineformset_factory(
    CriteriaSection,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)


class SectionForm(forms.ModelForm):
    """A section, carrying the formset of its criteria as `criteria`."""

    class Meta:
        model = CriteriaSection
        fields = ["title", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def has_changed(self):
        # Criteria typed into a blank section make it a section to save: its title is asked for
        # rather than the criteria silently dropped.
        return super().has_changed() or self.criteria.has_changed()


class BaseSectionFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.criteria = CriterionFormSet(
            data=self.data if self.is_bound else None,
            instance=form.instance,
            prefix=f"{form.prefix}-criteria",
        )

    def is_valid(self):
        valid = super().is_valid()
        for form in self.forms:
            if not self._should_delete_form(form):
                valid = form.criteria.is_valid() and valid
        return self._names_unique() and valid

    def _names_unique(self) -> bool:
        """Section titles and criterion codes are unique in the set, counting those saved since
        the page was loaded: sending the page twice (a double click) adds nothing twice."""
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk is not None]
        kept = [f for f in kept if not self._should_delete_form(f)]
        posted_sections = {f.instance.pk for f in self.forms if f.instance.pk}
        posted_criteria = {c.instance.pk for f in self.forms for c in f.criteria if c.instance.pk}
        titles, codes = set(), set()
        if self.instance.pk is not None:
            titles = set(
                self.instance.sections.exclude(pk__in=posted_sections).values_list(
                    "title", flat=True
                )
            )
            codes = set(
                Criterion.objects.filter(section__criteria_set=self.instance)
                .exclude(pk__in=posted_criteria)
                .values_list("code", flat=True)
            )
        unique = True
        for form in kept:
            title = (getattr(form, "cleaned_data", None) or {}).get("title")
            if title and title in titles:
                form.add_error("title", _("The criteria set has a section of this title already."))
                unique = False
            titles.add(title)
            for criterion_form in form.criteria:
                if form.criteria._should_delete_form(criterion_form):
                    continue
                if criterion_form.instance.pk is None and not criterion_form.has_changed():
                    continue
                code = (getattr(criterion_form, "cleaned_data", None) or {}).get("code")
                if code and code in codes:
                    criterion_form.add_error(
                        "code", _("Another criterion of the criteria set has this code.")
                    )
                    unique = False
                codes.add(code)
        return unique

    @property
    def has_errors(self) -> bool:
        return bool(self.non_form_errors()) or any(
            form.errors or form.criteria.total_error_count() for form in self.forms
        )

    def save_into(self, criteria_set: CriteriaSet) -> None:
        """Save the sections into `criteria_set`, then each kept section's criteria."""
        self.instance = criteria_set
        self.save()
        for form in self.forms:
            if self._should_delete_form(form) or form.instance.pk is None:
                continue
            form.criteria.instance = form.instance
            form.criteria.save()


def section_formset(*, data, criteria_set: CriteriaSet, extra: int) -> BaseSectionFormSet:
    formset_class = inlineformset_factory(
        CriteriaSet,
        CriteriaSection,
        form=SectionForm,
        formset=BaseSectionFormSet,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
    )
    return formset_class(
        data=data,
        instance=criteria_set,
        prefix="sections",
        queryset=CriteriaSection.objects.prefetch_related("criteria"),
    )


def blank_rows() -> dict:
    """A blank section (with its blank criteria) and a blank criterion, for the page's
    "Add a section" and "Add a criterion" buttons to copy: static/js/call-set-up.js gives them
    the next free prefix in place of __section__ and __criterion__."""
    section = SectionForm(prefix="sections-__section__", use_required_attribute=False)
    section.criteria = CriterionFormSet(
        prefix="sections-__section__-criteria", instance=CriteriaSection()
    )
    criterion = CriterionForm(
        prefix="sections-__section__-criteria-__criterion__", use_required_attribute=False
    )
    return {"blank_section": section, "blank_criterion": criterion}


FIELDSET_TITLES = {
    "window": gettext_lazy("Window"),
    "eligibility": gettext_lazy("Eligibility"),
    "endorsement": gettext_lazy("National endorsement"),
    "assessment": gettext_lazy("Assessment"),
}


class CallSetUpAdmin:
    """The one-page set-up of CallAdmin (a mixin: it uses the admin's scoping, its form fields
    and its reading of times in the call's time zone)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("set-up/", view(self.set_up_view), name="calls_call_setup"),
            path(
                "<path:object_id>/set-up/", view(self.set_up_view), name="calls_call_setup_change"
            ),
            *super().get_urls(),
        ]

    def set_up_view(self, request, object_id=None):
        with timezone.override(self._call_zone(request, object_id)):
            response = self._set_up(request, object_id)
            if hasattr(response, "render"):
                response.render()
        return response

    def _set_up(self, request, object_id):
        call = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            call = self.get_object(request, unquote(object_id))  # only within the user's scope
            if call is None:
                raise Http404
            if not self.has_change_permission(request, call):
                raise PermissionDenied
        posted = request.method == "POST"
        call_form_class = self.get_form(request, call, change=call is not None, fields=CALL_FIELDS)
        form = call_form_class(request.POST if posted else None, instance=call)
        if call is not None:
            form.fields["network"].disabled = True  # its criteria set belongs to that network
        criteria_set = call.criteria_set if call is not None else CriteriaSet()
        # A set already answered by submitted applications (or shared by several networks, or
        # another network's) is shown, not offered for change.
        editable = call is None or may_edit_criteria_set(request.user, criteria_set)
        sections = None
        if editable:
            sections = section_formset(
                data=request.POST if posted else None,
                criteria_set=criteria_set,
                extra=2 if call is None else 1,
            )
        if posted:
            valid = form.is_valid()
            if sections is not None:
                valid = sections.is_valid() and valid
            if valid:
                try:
                    with transaction.atomic():
                        call = self._set_up_save(request, form, sections)
                except ValidationError as error:
                    form.add_error(None, error)
                except IntegrityError:
                    # A double submit, or a colleague saving the same slug at the same moment.
                    form.add_error(
                        None,
                        _(
                            "A call with this slug, or a criteria set with this name, was saved "
                            "at the same moment: nothing was saved. Check the call and save again."
                        ),
                    )
                else:
                    self.message_user(
                        request,
                        _("The call “%(call)s” and its criteria are saved.") % {"call": call},
                        messages.SUCCESS,
                    )
                    if "_continue" in request.POST:
                        return redirect("admin:calls_call_setup_change", call.pk)
                    return redirect("admin:calls_call_change", call.pk)
        fieldsets = [
            (FIELDSET_TITLES.get(key) if key else None, options) for key, options in CALL_FIELDSETS
        ]
        admin_form = helpers.AdminForm(form, fieldsets, {}, model_admin=self)
        media = self.media + admin_form.media
        if sections is not None:
            media += sections.media
        has_errors = posted and (
            bool(form.errors) or (sections is not None and sections.has_errors)
        )
        return TemplateResponse(
            request,
            "admin/calls/call/set_up.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Set up a call on one page")
                if call is None
                else _("Set up “%(call)s” on one page") % {"call": call},
                "subtitle": _("Times in %s") % timezone.get_current_timezone(),
                "opts": self.model._meta,
                "original": call,
                "adminform": admin_form,
                "form": form,
                "sections": sections,
                "criteria_set": criteria_set,
                "locked_sections": None
                if editable
                else criteria_set.sections.prefetch_related("criteria"),
                "other_calls": [] if call is None else criteria_set.calls.exclude(pk=call.pk),
                "media": media,
                "has_errors": has_errors,
                **(blank_rows() if sections is not None else {}),
            },
            status=400 if has_errors else 200,
        )

    def _set_up_save(self, request, form, sections):
        call = form.save(commit=False)
        creating = call.pk is None
        if creating:
            call.criteria_set = criteria_set_for_call(name=call.title, network=call.network)
        elif sections is not None:
            call.criteria_set = criteria_set_hold_for_change(criteria_set=call.criteria_set)
        call.save()
        form.save_m2m()
        if sections is not None:
            sections.save_into(call.criteria_set)
        if creating:
            self.log_addition(request, call, [{"added": {}}])
        else:
            self.log_change(request, call, self.construct_change_message(request, form, []))
        return call
