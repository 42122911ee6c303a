"""The iCARE file and the returned file as jobs of the background worker: queued by the page, made by the worker
with its progress shown while it runs, downloaded once done; a failure says why and can be retried; a job whose
worker stopped is taken up again, and its file never appears half written."""

import hashlib
import os
import signal
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.jobs import STALE, JobStatus, JobSupersededError, job_file_path, jobs_resume
from reports import tasks
from reports.icare import file as icare_file
from reports.icare import icare_export_write
from reports.models import IcareExport
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

CHOICE = {"date_from": "2025-03-01", "date_to": "2025-03-31", "include": "new"}


def progress_url(export: IcareExport) -> str:
    return reverse("reports:icare-export-progress", kwargs={"code": export.code})


def detail_url(export: IcareExport) -> str:
    return reverse("reports:icare-export-detail", kwargs={"code": export.code})


def run_worker() -> None:
    call_command("worker", batch=True, stdout=StringIO())


@pytest.fixture
def ready(manager):
    return [
        ClientFactory(
            registered_by=manager,
            ready_for_icare=True,
            identifier__value=f"{n:04d}-0000",
            registration_date=date(2025, 3, 3),
        )
        for n in range(3)
    ]


@pytest.fixture
def queued(manager_client, ready) -> IcareExport:
    manager_client.post(reverse("reports:icare-export-create"), CHOICE)
    return IcareExport.objects.get()


def test_the_page_queues_the_file_and_shows_it_waiting_for_the_worker(manager_client, ready):
    response = manager_client.post(reverse("reports:icare-export-create"), CHOICE)

    export = IcareExport.objects.get()
    assertRedirects(response, detail_url(export), fetch_redirect_response=False)
    assert (export.status, export.client_count) == (JobStatus.QUEUED, 0)
    page = manager_client.get(detail_url(export))
    assertContains(page, "Waiting for the worker…")
    # The page asks for the progress every second while the file is not made.
    assertContains(page, f'hx-get="{progress_url(export)}" hx-trigger="every 1s"')
    assertNotContains(page, "Download the iCARE file")
    assert "HX-Redirect" not in manager_client.get(progress_url(export))


def test_the_worker_makes_the_file_and_the_progress_stops_asking(manager_client, queued):
    run_worker()

    queued.refresh_from_db()
    assert (queued.status, queued.client_count, queued.rows_done, queued.rows_total) == (JobStatus.DONE, 3, 3, 3)
    progress = manager_client.get(progress_url(queued))
    assertContains(progress, "The file is ready: 3 clients.")
    assertNotContains(progress, "hx-trigger")
    # The page is then opened again, to show the clients of the file, its outcome focused so that it is said.
    assert progress["HX-Redirect"] == f"{detail_url(queued)}?finished=1"
    page = manager_client.get(progress["HX-Redirect"])
    assertContains(page, 'role="status" tabindex="-1" data-focus-on-load>The file is ready: 3 clients.')
    assert Path(queued.file.path).is_file()


def test_the_progress_is_written_as_the_file_is_made_and_the_file_appears_only_whole(queued, monkeypatch, tmp_path):
    monkeypatch.setattr("reports.icare.file.CHUNK", 1)
    seen = []
    final = Path(default_storage.path(job_file_path(queued, "file.xlsx")))

    def beat(done: int, total: int) -> None:
        queued.beat(done, total)
        stored = IcareExport.objects.get(pk=queued.pk)
        seen.append((stored.rows_done, stored.rows_total, final.exists()))

    queued.start()
    with (tmp_path / "elsewhere.xlsx").open("w+b") as destination:
        exported = icare_export_write(queued, destination, beat=beat)

    assert len(exported) == 3
    assert [(done, total) for done, total, _exists in seen] == [(0, 3), (1, 3), (2, 3), (3, 3), (3, 3), (3, 3)]
    assert not any(exists for _done, _total, exists in seen)


def test_the_file_reads_its_clients_without_what_the_check_page_shows_of_their_uploads(queued, tmp_path):
    # Each client's latest file, iCARE's answer then and its latest merge: three look-ups a client, for the page only.
    queued.start()
    with CaptureQueriesContext(connection) as captured, (tmp_path / "file.xlsx").open("w+b") as destination:
        icare_export_write(queued, destination)

    # The read of the clients: the only query selecting their names.
    [selected] = [
        selected
        for selected in (query["sql"].split('FROM "clients_client"')[0] for query in captured)
        if '"clients_client"."first_name"' in selected
    ]
    assert "reports_icareexportrow" not in selected and "clients_clientmerge" not in selected


def test_a_failed_file_says_why_and_is_made_on_a_retry(manager_client, queued, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    with monkeypatch.context() as broken_disk:
        broken_disk.setattr(tasks, "icare_export_write", broken)
        run_worker()

    queued.refresh_from_db()
    assert queued.status == JobStatus.FAILED
    page = manager_client.get(detail_url(queued))
    assertContains(page, "It could not be done.")
    assertContains(page, "OSError: No space left on device.")
    assertContains(page, ">Try again</button>")
    assert not list(Path(default_storage.path(IcareExport.FILES)).rglob("*.part"))

    retry = manager_client.post(reverse("reports:icare-export-retry", kwargs={"code": queued.code}))
    run_worker()

    assertRedirects(retry, detail_url(queued), fetch_redirect_response=False)
    queued.refresh_from_db()
    assert (queued.status, queued.client_count, queued.error) == (JobStatus.DONE, 3, "")


def test_a_file_whose_worker_stopped_is_taken_up_again_and_its_half_file_never_counts(manager_client, queued):
    # The worker claimed the job, wrote part of the file, and was killed: the job stopped beating.
    final = Path(default_storage.path(job_file_path(queued, "file.xlsx")))
    final.parent.mkdir(parents=True, exist_ok=True)
    final.with_name(final.name + ".part").write_bytes(b"PK\x03\x04 half a file")
    queued.update(status=JobStatus.RUNNING, beat_at=timezone.now() - STALE - timedelta(seconds=1), rows_done=1)
    assertContains(manager_client.get(detail_url(queued)), "The worker stopped before it finished.")

    run_worker()  # a worker started again

    queued.refresh_from_db()
    assert (queued.status, queued.client_count) == (JobStatus.DONE, 3)
    assert not final.with_name(final.name + ".part").exists()
    downloaded = b"".join(
        manager_client.get(reverse("reports:icare-export-download", kwargs={"code": queued.code})).streaming_content
    )
    assert downloaded == final.read_bytes()
    assert downloaded.startswith(b"PK") and b"half a file" not in downloaded


def test_a_running_file_still_beating_is_left_to_its_worker(queued):
    queued.update(status=JobStatus.RUNNING, beat_at=timezone.now())

    run_worker()

    queued.refresh_from_db()
    assert queued.status == JobStatus.RUNNING


def test_the_file_is_downloaded_only_by_its_agencys_staff_with_the_grant(
    manager_client, caseworker_client, outsider_client, outsider, queued
):
    run_worker()
    url = reverse("reports:icare-export-download", kwargs={"code": queued.code})
    outsider.may_upload_icare = True
    outsider.save()

    assert manager_client.get(url).status_code == 200
    assert caseworker_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert caseworker_client.get(progress_url(queued)).status_code == 403
    assert outsider_client.get(progress_url(queued)).status_code == 404


def test_a_file_not_made_yet_cannot_be_downloaded(manager_client, queued):
    response = manager_client.get(reverse("reports:icare-export-download", kwargs={"code": queued.code}))

    assert response.status_code == 404


def test_a_retry_of_a_file_already_made_makes_nothing_again(manager_client, queued):
    run_worker()
    queued.refresh_from_db()
    made = (queued.sha256, queued.client_count)

    manager_client.post(reverse("reports:icare-export-retry", kwargs={"code": queued.code}))
    run_worker()

    queued.refresh_from_db()
    assert (queued.status, queued.sha256, queued.client_count) == (JobStatus.DONE, *made)
    assert queued.rows.count() == 3


def test_the_workers_message_is_shown_in_the_language_of_whoever_reads_it(manager_client, manager):
    """Stored in OCMS's own language, shown in the reader's: a colleague reading in English after a French request
    (or the other way round) reads it in their own."""
    ClientFactory(registered_by=manager, official_language=None, registration_date=date(2025, 3, 3))
    manager_client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    manager_client.post(reverse("reports:icare-export-create"), CHOICE)

    run_worker()

    export = IcareExport.objects.get()
    assert (export.language, export.status) == ("fr", JobStatus.FAILED)
    page = reverse("reports:icare-export-detail", kwargs={"code": export.code})
    assertContains(manager_client.get(page), "Aucun client de ce choix")
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assertContains(manager_client.get(page), "No client of this choice is ready for iCARE")


def test_two_retries_at_once_queue_the_file_once(manager_client, queued):
    run_worker()
    queued.update(status=JobStatus.FAILED, error="OSError: No space left on device.")
    url = reverse("reports:icare-export-retry", kwargs={"code": queued.code})

    manager_client.post(url)
    manager_client.post(url)

    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


# Two attempts at one file


def test_an_attempt_taken_for_dead_cannot_overwrite_the_one_that_replaced_it(queued, monkeypatch):
    final = Path(default_storage.path(job_file_path(queued, "file.xlsx")))
    write = tasks.icare_export_write

    def stalled_then_taken_for_dead(export, destination, beat):
        exported = write(export, destination)  # the first attempt writes its file, but beats no more...
        queued.update(beat_at=timezone.now() - STALE - timedelta(seconds=1))
        monkeypatch.setattr(tasks, "icare_export_write", write)
        run_worker()  # ...so another worker takes the job up and makes it whole, meanwhile
        assert IcareExport.objects.get(pk=queued.pk).status == JobStatus.DONE
        return exported  # then the first attempt wakes up and goes on

    monkeypatch.setattr(tasks, "icare_export_write", stalled_then_taken_for_dead)

    run_worker()

    queued.refresh_from_db()
    assert (queued.status, queued.client_count, queued.error) == (JobStatus.DONE, 3, "")
    assert queued.rows.count() == 3  # the first attempt's record rolled back
    assert hashlib.sha256(final.read_bytes()).hexdigest() == queued.sha256
    assert not list(final.parent.glob("*.part"))


def test_an_attempt_taken_for_dead_stops_at_its_next_beat_and_says_nothing(queued):
    queued.start()
    attempt = IcareExport.objects.get(pk=queued.pk)
    queued.update(beat_at=timezone.now() - STALE - timedelta(seconds=1))
    assert jobs_resume() == 1
    IcareExport.objects.get(pk=queued.pk).start()  # the next attempt claims it

    with pytest.raises(JobSupersededError):
        attempt.beat(1, 3)
    assert not attempt.fail("OSError: the first attempt's disk")
    assert not attempt.finish(client_count=1)

    queued.refresh_from_db()
    assert (queued.status, queued.error, queued.rows_done) == (JobStatus.RUNNING, "", 0)


def test_the_task_record_of_a_worker_that_died_is_marked_failed_when_its_job_is_taken_up_again(queued):
    # The dead worker had claimed the task: django-tasks-db's record of it says RUNNING, and would for ever.
    claimed = DBTaskResult.objects.get()
    claimed.claim("a-worker-that-died")
    queued.update(status=JobStatus.RUNNING, started_at=timezone.now(), beat_at=timezone.now() - STALE * 2)

    run_worker()

    claimed.refresh_from_db()
    assert claimed.status == TaskResultStatus.FAILED
    assert claimed.exception_class_path == "agencies.jobs.WorkerStoppedError"
    assert DBTaskResult.objects.exclude(pk=claimed.pk).get().status == TaskResultStatus.SUCCESSFUL
    queued.refresh_from_db()
    assert (queued.status, queued.client_count) == (JobStatus.DONE, 3)


def test_a_job_beats_before_and_after_its_file_is_written_out(queued, monkeypatch, tmp_path):
    seen = []
    close = icare_file.ProfileSheet.close

    def close_seen(sheet) -> None:
        seen.append("file written out")
        close(sheet)

    monkeypatch.setattr(icare_file.ProfileSheet, "close", close_seen)
    queued.start()

    with (tmp_path / "file.xlsx").open("w+b") as destination:
        icare_export_write(queued, destination, beat=lambda done, total: seen.append((done, total)))

    assert seen[-3:] == [(3, 3), "file written out", (3, 3)]


# Stopping the worker


@pytest.fixture
def no_idle_turn(monkeypatch):
    """The worker must not wait for more work after a stop: were it to, the test fails rather than hang."""

    def went_on(seconds: float) -> None:
        raise AssertionError("The worker went on waiting for work after it was told to stop.")

    monkeypatch.setattr("agencies.management.commands.worker.time.sleep", went_on)


def test_a_stop_signal_during_a_file_lets_it_finish_and_stops_the_worker(
    manager_client, ready, monkeypatch, no_idle_turn
):
    manager_client.post(reverse("reports:icare-export-create"), CHOICE)
    manager_client.post(reverse("reports:icare-export-create"), CHOICE | {"include": "all"})
    first, second = IcareExport.objects.order_by("pk")
    write = tasks.icare_export_write

    def stopped_while_writing(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the service
        return write(*args, **kwargs)

    monkeypatch.setattr(tasks, "icare_export_write", stopped_while_writing)
    before = signal.getsignal(signal.SIGTERM)

    call_command("worker", stdout=StringIO())  # returns: not --batch, so only the signal ends it

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.client_count) == (JobStatus.DONE, 3)
    assert second.status == JobStatus.QUEUED  # left for the next worker
    assert signal.getsignal(signal.SIGTERM) is before


def test_ctrl_c_while_the_worker_waits_for_work_stops_it(monkeypatch):
    def interrupted(seconds: float) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        monkeypatch.setattr("agencies.management.commands.worker.time.sleep", went_on)

    def went_on(seconds: float) -> None:
        raise AssertionError("The worker went on waiting for work after Ctrl+C.")

    monkeypatch.setattr("agencies.management.commands.worker.time.sleep", interrupted)

    call_command("worker", stdout=StringIO())  # returns
