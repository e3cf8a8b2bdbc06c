from django.urls import path

from erasure import views

app_name = "erasure"
urlpatterns = [path("", views.erasure_request, name="request")]
