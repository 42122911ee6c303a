from django.urls import path

from clients.views import find, profile

app_name = "clients"

urlpatterns = [
    path("find/", find.client_find, name="client-find"),
    path("<uuid:code>/", profile.client_detail, name="client-detail"),
]
