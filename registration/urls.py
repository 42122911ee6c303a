from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("", views.register_start, name="register-start"),
]
