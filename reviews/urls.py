from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.assignment_list, name="assignments"),
    path("<uuid:public_id>/", views.assignment_detail, name="assignment"),
]
