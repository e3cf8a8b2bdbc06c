"""The network pages' addresses, under the "networks" namespace: see calls.views."""

from django.urls import path

from calls import views

app_name = "networks"
urlpatterns = [
    path("<slug:slug>/", views.network_detail, name="detail"),
]
