from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("find/", views.family_find, name="family-find"),
    path("select/", views.family_select, name="family-select"),
]
