"""The reports' long work, run by the background worker: the iCARE Client Profile file, and reading the file iCARE
sends back. Each task takes its job's primary key, says how far it is while it runs, and says why when it fails."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agencies.jobs import JobSupersededError, job_file_path
from reports.icare import NothingToExportError, ReturnedFileError, icare_export_record, icare_export_write
from reports.icare.returned import icare_returned_read
from reports.models import IcareExport, IcareReturn

NOTHING_READY = _(
    "No client of this choice is ready for iCARE, so no file was made. Fix the Not ready clients first, then try again."
)
TRY_AGAIN = _("Try again; if it fails again, tell whoever runs OCMS for your agency, with this message.")


def failure_reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error)[:300]}. {TRY_AGAIN}"


@task()
def icare_export_run(export_id: int) -> None:
    """Make the export's file: written beside its final place and moved there whole, then recorded."""
    export = IcareExport.objects.select_related("agency", "program").get(pk=export_id)
    # What it writes of itself (why it failed) in OCMS's own language: its page shows it in the reader's (told).
    with translation.override(settings.LANGUAGE_CODE):
        icare_export_make(export)


def icare_export_make(export: IcareExport) -> None:
    if not export.start():
        return
    final = Path(default_storage.path(job_file_path(export, "file.xlsx")))
    final.parent.mkdir(parents=True, exist_ok=True)
    # This attempt's own file beside the final one: an attempt taken for dead may still be writing its own.
    partial = final.with_name(f"{final.name}.{export.attempt_token}.part")
    try:
        with partial.open("w+b") as destination:
            exported = icare_export_write(export, destination, beat=export.beat)
            with transaction.atomic():
                icare_export_record(export, exported, destination)
                # Only the attempt that still owns the job finishes it, then moves its file into place, whole.
                if not export.finish(file=job_file_path(export, "file.xlsx"), rows_done=export.rows_total):
                    raise JobSupersededError
                os.replace(partial, final)
        # What attempts taken for dead left half written (one still running only loses a file it will not use).
        for left in final.parent.glob(f"{final.name}*.part"):
            left.unlink(missing_ok=True)
    except JobSupersededError:
        return  # another attempt owns the job: its record and its file stand (this one's rows are rolled back)
    except NothingToExportError:
        export.fail(
            _("No client of this choice is ready for iCARE, so no file was made. Fix the Not ready clients first.")
        )
    except BaseException as error:
        export.fail(failure_reason(error))
        raise
    finally:
        partial.unlink(missing_ok=True)


@task()
def icare_returned_run(returned_id: int) -> None:
    """Read a file iCARE sent back: each exported client it names marked accepted or rejected."""
    returned = IcareReturn.objects.select_related("agency").get(pk=returned_id)
    # Its messages (why a row was left out, why it failed) in OCMS's own language: the page shows them in the
    # reader's (told), who may read another language than the uploader.
    with translation.override(settings.LANGUAGE_CODE):
        icare_returned_make(returned)


def icare_returned_make(returned: IcareReturn) -> None:
    if not returned.start():
        return
    try:
        with returned.file.open("rb") as upload:
            summary = icare_returned_read(agency=returned.agency, upload=upload, beat=returned.beat)
    except JobSupersededError:
        return  # another attempt owns the job
    except ReturnedFileError as error:
        returned.fail(str(error.args[0]))
    except BaseException as error:
        returned.fail(failure_reason(error))
        raise
    else:
        returned.finish(
            accepted=summary.accepted,
            rejected=summary.rejected,
            unmatched=[[row, str(why)] for row, why in summary.unmatched],
            not_processed=list(summary.not_processed),
        )
