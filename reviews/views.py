from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from form_errors import add_service_errors
from reviews.enums import AssignmentStatus, ReviewStatus
from reviews.forms import AcceptForm, ConsensusForm, DeclineForm, ReviewForm
from reviews.models import Assignment, ConsensusNote, Review
from reviews.scoring import counted_reviews, summarise
from reviews.selectors import assignments_of
from reviews.services.assignments import assignment_accept, assignment_decline
from reviews.services.reviewing import (
    consensus_note_save,
    is_lead_reviewer,
    review_save,
    scored_criteria,
)


@login_required
def assignment_list(request):
    page = Paginator(assignments_of(user=request.user), settings.LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reviews/assignment_list.html",
        {"assignments": page.object_list, "page_obj": page},
    )


@login_required
def assignment_detail(request, public_id):
    assignment = get_object_or_404(assignments_of(user=request.user), public_id=public_id)
    accept_form = AcceptForm(request.POST if "accept" in request.POST else None)
    decline_form = DeclineForm(request.POST if "decline" in request.POST else None)
    criteria = scored_criteria(assignment)
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    review_form = ReviewForm(
        request.POST if "review" in request.POST else None,
        criteria=criteria,
        initial=_review_initial(review),
    )
    note = ConsensusNote.objects.filter(application=assignment.application).first()
    consensus_form = ConsensusForm(
        request.POST if "consensus" in request.POST else None,
        initial={"text": note.text if note else ""},
    )
    status = 200
    if request.method == "POST" and "consensus" in request.POST:
        if consensus_form.is_valid():
            try:
                consensus_note_save(
                    assignment=assignment,
                    user=request.user,
                    text=consensus_form.cleaned_data["text"],
                )
            except PermissionDenied as error:
                consensus_form.add_error(None, str(error))
            else:
                messages.success(request, _("The consensus note has been saved."))
                return redirect(assignment)
        status = 400
    elif request.method == "POST" and "review" in request.POST:
        if review_form.is_valid():
            try:
                review_save(
                    assignment=assignment,
                    user=request.user,
                    scores=review_form.scores(),
                    comments=review_form.cleaned_data["comments"],
                    recommendation=review_form.cleaned_data["recommendation"],
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                add_service_errors(review_form, error)
            else:
                messages.success(
                    request,
                    _("Your review has been submitted.")
                    if "submit" in request.POST
                    else _("Your draft review has been saved."),
                )
                return redirect(assignment)
        status = 400
    elif request.method == "POST":
        form = accept_form if "accept" in request.POST else decline_form
        if form.is_valid():
            try:
                if form is accept_form:
                    assignment_accept(assignment=assignment, user=request.user, **form.cleaned_data)
                    messages.success(request, _("Thank you: the application is now open to you."))
                else:
                    assignment_decline(
                        assignment=assignment, user=request.user, **form.cleaned_data
                    )
                    messages.success(
                        request, _("You declined; another reviewer will be asked instead.")
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(assignment)
        status = 400
    application = assignment.application
    show_application = assignment.status == AssignmentStatus.ACCEPTED
    own_submitted = review is not None and review.status == ReviewStatus.SUBMITTED
    others = _other_reviews(assignment) if own_submitted else []
    return render(
        request,
        "reviews/assignment_detail.html",
        {
            "assignment": assignment,
            "application": application,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "show_application": show_application,
            "review": review,
            "review_form": review_form,
            "consensus_form": consensus_form,
            "is_lead": is_lead_reviewer(assignment),
            "own_submitted": own_submitted,
            "others": others,
            "summary": (
                summarise(
                    [
                        score
                        for score in [score for _label, score, _review in others] + [review.score]
                        if score is not None
                    ],
                    threshold=application.call.disagreement_threshold,
                )
                if own_submitted
                else None
            ),
            "answers": (
                application.answers.select_related("criterion__section").order_by(
                    "criterion__section__position", "criterion__position"
                )
                if show_application
                else []
            ),
            "documents": (
                application.documents.filter(superseded_at__isnull=True) if show_application else []
            ),
        },
        status=status,
    )


def _scores_of(review) -> dict[int, int]:
    return {score.criterion_id: score.value for score in review.scores.all()}


def _review_initial(review) -> dict:
    if review is None:
        return {}
    initial = {
        f"criterion_{criterion_id}": value for criterion_id, value in _scores_of(review).items()
    }
    return {**initial, "comments": review.comments, "recommendation": review.recommendation}


def _other_reviews(assignment):
    """Other reviewers' submitted reviews, shown only once one's own is submitted, without names."""
    reviews = [
        other.review
        for other in Assignment.objects.filter(
            counted_reviews(), application=assignment.application_id
        )
        .exclude(pk=assignment.pk)
        .select_related("review")
        .order_by("review__submitted_at", "review__pk")
    ]
    return [
        (_("Reviewer %(number)d") % {"number": number}, review.score, review)
        for number, review in enumerate(reviews, start=1)
    ]
