from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<uuid:code>/", views.client_report, name="client-report"),
    path("<uuid:code>/<slug:document>/", views.client_document, name="client-document"),
]
