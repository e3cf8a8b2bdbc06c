"""The accessibility statement and its feedback form."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accessibility.forms import FeedbackForm
from accessibility.services import feedback_allowed, feedback_send


def statement(request):
    """The statement, following the EU model; a message sent from it reaches the secretariat."""
    form = FeedbackForm(request.POST or None, initial={"page": request.GET.get("page", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        if feedback_allowed(address=request.META.get("REMOTE_ADDR", "")):
            feedback_send(**form.cleaned_data)
            messages.success(request, _("Thank you: your message was sent to the secretariat."))
            return redirect("accessibility:statement")
        form.add_error(None, _("Too many messages were sent from here. Please try again later."))
        status = 429
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "prepared_on": settings.ACCESSIBILITY_STATEMENT_PREPARED_ON,
        "reviewed_on": settings.ACCESSIBILITY_STATEMENT_REVIEWED_ON,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
    }
    return render(request, "accessibility/statement.html", context, status=status)
