from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("occupations/", views.occupation_search, name="occupation-search"),
]
