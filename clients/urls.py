from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("find/", views.client_find, name="client-find"),
]
