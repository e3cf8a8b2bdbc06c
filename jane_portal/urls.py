from allauth.account import views as account_views
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from calls.views import home

admin.site.site_header = _("JANE Networks Portal administration")
admin.site.site_title = _("JANE Networks Portal")
admin.site.index_title = _("Networks, calls and applications")

urlpatterns = [
    path("", home, name="home"),
    path("networks/", include("calls.network_urls")),
    path("calls/", include("calls.urls")),
    path("institutions/", include("accounts.urls")),
    path("applications/", include("applicant.urls")),
    path("reviews/", include("reviews.urls")),
    path("endorsements/", include("endorsements.urls")),
    path("decisions/", include("applicant.decision_urls")),
    path("dashboards/", include("dashboards.urls")),
    path("board/", include("coordination.board.urls")),
    # The sign-in page writes nothing until a sign-in succeeds, and then only independent rows
    # (the session, the last sign-in): no transaction per request (ATOMIC_REQUESTS).
    path(
        "accounts/login/",
        transaction.non_atomic_requests(account_views.login),
        name="account_login",
    ),
    # The privacy notice (/privacy/) and "Download my data" (/accounts/my-data/).
    path("", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
