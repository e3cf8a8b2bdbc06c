from allauth.account import views as account_views
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.preferences import language_switch, preferred_language
from calls.page_cache import cached_for_anonymous
from calls.views import home
from jane_portal.csp_reports import csp_report

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
    path("accessibility/", include("accessibility.urls")),
    # The sign-in page writes nothing until a sign-in succeeds, and then only independent rows
    # (the session, the last sign-in): no transaction per request (ATOMIC_REQUESTS). What a
    # visitor sees is the same for everyone (but the CSRF token, which the cache puts back per
    # visitor) at one address and language: served from the public pages' cache, as they are.
    path(
        "accounts/login/",
        transaction.non_atomic_requests(cached_for_anonymous(account_views.login)),
        name="account_login",
    ),
    # The privacy notice (/privacy/) and "Download my data" (/accounts/my-data/).
    path("", include("privacy.urls")),
    # "Erase my personal data", under /accounts/ with the person's other own pages: open to
    # every signed-in role, observers included (dashboards/middleware.py).
    path("accounts/erasure/", include("erasure.urls")),
    path("accounts/language/", preferred_language, name="preferred_language"),
    path("accounts/", include("allauth.urls")),
    # Django's set_language, which also records a signed-in person's preferred language.
    path("i18n/setlang/", language_switch, name="set_language"),
    # Browsers post what the Content Security Policy refused (settings.CSP_REPORT_ENDPOINT).
    path("csp-report/", csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
