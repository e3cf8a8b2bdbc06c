"""The decision board's and the opinion panel's pages, under the "board" namespace."""

from django.urls import path

from coordination.board import views

app_name = "board"
urlpatterns = [
    path("", views.board_calls, name="calls"),
    path("calls/<int:call_id>/", views.board_call, name="call"),
    path("proposals/<int:proposal_id>/settle/", views.board_settle, name="settle"),
    path("opinions/", views.opinion_calls, name="opinion_calls"),
    path("opinions/calls/<int:call_id>/", views.opinion_call, name="opinions"),
]
