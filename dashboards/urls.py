from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("data/<slug:figure>.csv", views.overview_csv, name="overview_csv"),
    path("networks/<slug:slug>/", views.network_dashboard, name="network"),
    path("networks/<slug:slug>/data/<slug:figure>.csv", views.network_csv, name="network_csv"),
    path("calls/<slug:slug>/", views.call_dashboard, name="call"),
    path("calls/<slug:slug>/data/<slug:figure>.csv", views.call_csv, name="call_csv"),
]
