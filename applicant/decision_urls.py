"""The address of asking for a review of a decision, under the "decisions" namespace."""

from django.urls import path

from applicant.views.redress import redress_request

app_name = "decisions"

urlpatterns = [
    path("<uuid:public_id>/redress/", redress_request, name="redress"),
]
