from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.institution_list, name="institutions"),
    path("new/", views.institution_create, name="institution_create"),
    path("<int:pk>/", views.institution_detail, name="institution"),
    path("<int:pk>/join/", views.join_request_create, name="join_request_create"),
    path("<int:pk>/invitations/", views.invitation_send, name="invitation_send"),
    path(
        "<int:pk>/join-requests/<int:request_pk>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("invitations/<uuid:token>/", views.invitation_detail, name="invitation"),
]
