from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    # Under /accounts/, where observers may still send forms (dashboards/middleware.py).
    path("accounts/privacy-notice/", views.accept, name="accept"),
    path("accounts/my-data/", views.my_data, name="my_data"),
    path("accounts/my-data/<uuid:public_id>/status/", views.export_status, name="export_status"),
    path(
        "accounts/my-data/<uuid:public_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
