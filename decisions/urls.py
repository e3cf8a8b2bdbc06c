from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("<uuid:public_id>/redress/", views.redress_request, name="redress"),
]
