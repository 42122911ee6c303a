"""The iCARE Client Profile bulk upload, by subject: which clients are ready (check), the file for IRCC (file), and the
file IRCC sends back (returned)."""

from reports.icare.check import (
    CHUNK,
    SHOWN,
    Checked,
    CheckResult,
    Include,
    Missing,
    changed_since_upload,
    icare_candidates,
    icare_clients,
    icare_readiness,
    latest_icare_row,
)
from reports.icare.file import (
    CODES,
    NothingToExportError,
    client_cells,
    export_filename,
    icare_export_build,
    icare_export_record,
    icare_export_write,
    phone_text,
)
from reports.icare.returned import (
    MAX_RETURNED_BYTES,
    NOT_A_WORKBOOK,
    ReturnedFileError,
    icare_returned_read,
    returned_status,
)

__all__ = [
    "CHUNK",
    "CODES",
    "MAX_RETURNED_BYTES",
    "NOT_A_WORKBOOK",
    "SHOWN",
    "CheckResult",
    "Checked",
    "Include",
    "Missing",
    "NothingToExportError",
    "ReturnedFileError",
    "changed_since_upload",
    "client_cells",
    "export_filename",
    "icare_candidates",
    "icare_clients",
    "icare_export_build",
    "icare_export_record",
    "icare_export_write",
    "icare_readiness",
    "icare_returned_read",
    "latest_icare_row",
    "phone_text",
    "returned_status",
]
