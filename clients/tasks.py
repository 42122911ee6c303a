"""The clients' long work, run by the background worker: the scan for possible duplicates."""

from django.tasks import task
from django.utils import timezone, translation

from agencies.jobs import JobStatus
from clients.models import DuplicateScan
from clients.scan import duplicates_scan


@task()
def duplicate_scan_run(scan_id: int) -> None:
    """Scan an agency's named clients for possible duplicates, and queue the pairs for review."""
    scan = DuplicateScan.objects.select_related("agency").get(pk=scan_id)
    if not scan.start():
        return
    with translation.override(scan.language):
        try:
            found, new = duplicates_scan(scan.agency, beat=scan.beat)
        except BaseException as error:
            scan.fail(f"{type(error).__name__}: {str(error)[:300]}")
            raise
    scan.update(
        status=JobStatus.DONE, pairs_found=found, pairs_new=new, rows_done=scan.rows_total, finished_at=timezone.now()
    )
