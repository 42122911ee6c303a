from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("icare/", views.icare_check, name="icare-check"),
    path("icare/export/", views.icare_export_create, name="icare-export-create"),
    path("icare/returned/", views.icare_returned_upload, name="icare-returned-upload"),
    path("icare/exports/<uuid:code>/", views.icare_export_detail, name="icare-export-detail"),
    path("<uuid:code>/", views.client_report, name="client-report"),
    path("<uuid:code>/<slug:document>/", views.client_document, name="client-document"),
]
