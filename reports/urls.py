from django.urls import path

from reports.views import documents, icare

app_name = "reports"

urlpatterns = [
    path("icare/", icare.icare_check, name="icare-check"),
    path("icare/export/", icare.icare_export_create, name="icare-export-create"),
    path("icare/returned/", icare.icare_returned_upload, name="icare-returned-upload"),
    path("icare/exports/<uuid:code>/", icare.icare_export_detail, name="icare-export-detail"),
    path("icare/exports/<uuid:code>/progress/", icare.icare_export_progress, name="icare-export-progress"),
    path("icare/exports/<uuid:code>/file/", icare.icare_export_download, name="icare-export-download"),
    path("icare/exports/<uuid:code>/retry/", icare.icare_export_retry, name="icare-export-retry"),
    path("icare/returned/<uuid:code>/", icare.icare_returned_detail, name="icare-returned-detail"),
    path("icare/returned/<uuid:code>/progress/", icare.icare_returned_progress, name="icare-returned-progress"),
    path("icare/returned/<uuid:code>/retry/", icare.icare_returned_retry, name="icare-returned-retry"),
    path("<uuid:code>/", documents.client_report, name="client-report"),
    path("<uuid:code>/<slug:document>/", documents.client_document, name="client-document"),
]
