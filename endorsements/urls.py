from django.urls import path

from endorsements import views

app_name = "endorsements"
urlpatterns = [
    path("", views.endorsement_list, name="list"),
    path("<uuid:public_id>/", views.endorsement_detail, name="detail"),
]
