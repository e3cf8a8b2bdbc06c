from django.urls import path

from networks import views

app_name = "networks"
urlpatterns = [
    path("<slug:slug>/", views.network_detail, name="detail"),
]
