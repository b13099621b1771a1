from django.http import HttpResponse
from django.urls import include, path

from tisserand.core.permissions import public


def forgotten_view(request):
    return HttpResponse("ne devrait jamais s'afficher")


@public
def crashing_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [
    path("oubli/", forgotten_view),
    path("panne/", crashing_view),
    path("", include("tisserand.urls")),
]
handler500 = "tisserand.core.views.server_error"
