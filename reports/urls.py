from django.urls import path

from reports.views import documents, icare

app_name = "reports"

urlpatterns = [
    path("icare/", icare.icare_check, name="icare-check"),
    path("icare/export/", icare.icare_export_create, name="icare-export-create"),
    path("icare/returned/", icare.icare_returned_upload, name="icare-returned-upload"),
    path("icare/exports/<uuid:code>/", icare.icare_export_detail, name="icare-export-detail"),
    path("<uuid:code>/", documents.client_report, name="client-report"),
    path("<uuid:code>/<slug:document>/", documents.client_document, name="client-document"),
]
