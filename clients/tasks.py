"""The clients' long work, run by the background worker: the scan for possible duplicates."""

from django.tasks import task
from django.utils import translation

from agencies.jobs import JobStatus, JobSupersededError
from agencies.models import Agency
from clients.models import DuplicateScan
from clients.scan import duplicates_scan


def duplicate_scan_request(*, agency: Agency, by=None, language: str = "en") -> DuplicateScan | None:
    """Queue a scan of the agency for the worker; None when one is already waiting or running (one whose worker
    stopped does not count)."""
    pending = DuplicateScan.objects.for_agency(agency).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if any(not scan.is_stale for scan in pending):
        return None
    scan = DuplicateScan.objects.create(agency=agency, requested_by=by, language=language)
    scan.enqueue()
    return scan


@task()
def duplicate_scan_run(scan_id: int) -> None:
    """Scan an agency's named clients for possible duplicates, and queue the pairs for review."""
    scan = DuplicateScan.objects.select_related("agency").get(pk=scan_id)
    if not scan.start():
        return
    with translation.override(scan.language):
        try:
            found, new = duplicates_scan(scan.agency, beat=scan.beat)
        except JobSupersededError:
            return  # another attempt owns the scan
        except BaseException as error:
            scan.fail(f"{type(error).__name__}: {str(error)[:300]}")
            raise
    scan.finish(pairs_found=found, pairs_new=new, rows_done=scan.rows_total)
