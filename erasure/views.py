"""The page where a signed-in person asks to be erased and follows their request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from erasure.forms import ErasureRequestForm
from erasure.models import ErasureRequest
from erasure.services import erasure_request_create

# Wrong passwords on this page, per person, before it stops checking them for a while: the
# page must not become a way to guess a signed-in person's password.
PASSWORD_TRIES = 5
PASSWORD_PAUSE_SECONDS = 15 * 60


def _tries_key(user) -> str:
    return f"erasure:password-tries:{user.pk}"


@login_required
def erasure_request(request):
    """GET: the person's requests and the form; POST: ask (password confirmed)."""
    requests = ErasureRequest.objects.filter(user=request.user).order_by("-requested_at")
    pending = next((item for item in requests if item.status == "pending"), None)
    form = None if pending else ErasureRequestForm(user=request.user)
    status = 200
    if request.method == "POST" and not pending:
        form = ErasureRequestForm(request.POST, user=request.user)
        tries = cache.get(_tries_key(request.user), 0)
        if tries >= PASSWORD_TRIES:
            form.is_valid()
            form.errors.pop("password", None)
            form.add_error(
                "password", _("Too many wrong passwords. Try again in a quarter of an hour.")
            )
            status = 429
        elif form.is_valid():
            cache.delete(_tries_key(request.user))
            erasure_request_create(user=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Your request was sent to the secretariat. You will hear from it by email."),
            )
            return redirect("erasure:request")
        else:
            if "password" in form.errors:
                cache.set(_tries_key(request.user), tries + 1, PASSWORD_PAUSE_SECONDS)
            status = 400
    return render(
        request,
        "erasure/request.html",
        {"form": form, "pending": pending, "requests": requests},
        status=status,
    )
