from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("find/", views.client_find, name="client-find"),
    path("<uuid:code>/", views.client_detail, name="client-detail"),
]
