"""The portal's addresses and one more that fails, to see the 500 page as production serves it."""

from django.urls import path

from jane_portal.urls import urlpatterns as portal_urlpatterns


def fails(request):
    raise RuntimeError("A fault in a view, for the tests of the error page.")


urlpatterns = [path("test-fails/", fails), *portal_urlpatterns]
