"""Long work done by the background worker (django.tasks, with django-tasks-db's database backend), never in a
request: what a page shows of it (`Job`), and how work cut short by a stopped worker is taken up again.

A job's task beats while it works (`Job.beat`, with its progress). When a worker stops mid-way (restarted,
killed, the machine rebooted), its job stops beating; `jobs_resume` (run by `manage.py worker` as it starts) puts
every job that stopped beating back in the queue, and its task starts it again from the beginning: a job writes
its file beside the final one and moves it into place only when whole.
"""

from datetime import timedelta

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A running job that has not beaten for this long has lost its worker.
STALE = timedelta(minutes=2)


class JobStatus(models.TextChoices):
    """Where a job of the background worker stands."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """What a page shows of a long piece of work done by the background worker (django.tasks): its status, its
    progress (rows done of rows to do, updated while it runs), and why it failed.

    Each concrete job names its task (`task`: a django.tasks Task taking the job's pk) and its files' folder.
    """

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    error = models.TextField(_("why it failed"), blank=True)
    # The language of whoever asked: what the job says (why it failed) is said in it.
    language = models.CharField(max_length=10, default="en")
    started_at = models.DateTimeField(null=True, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    def enqueue(self) -> None:
        """Put the new job in the worker's queue."""
        self.task.enqueue(self.pk)

    def retry(self) -> bool:
        """Put back in the queue a job that failed or whose worker stopped; False when it is neither (then it
        was done, or is being made, perhaps on a retry asked a moment before)."""
        retried = (
            type(self)
            .objects.filter(pk=self.pk)
            .filter(models.Q(status=JobStatus.FAILED) | models.Q(status=JobStatus.RUNNING, beat_at__lt=stale_before()))
        )
        if not retried.update(status=JobStatus.QUEUED, error="", rows_done=0, beat_at=None):
            return False
        self.status, self.error, self.rows_done, self.beat_at = JobStatus.QUEUED, "", 0, None
        self.enqueue()
        return True

    def start(self) -> bool:
        """Claim the queued job for this worker; False when it is not queued (done, failed, or another worker's)."""
        now = timezone.now()
        claimed = type(self).objects.filter(pk=self.pk, status=JobStatus.QUEUED)
        if not claimed.update(status=JobStatus.RUNNING, started_at=now, beat_at=now, error=""):
            return False
        self.status, self.started_at, self.beat_at, self.error = JobStatus.RUNNING, now, now, ""
        return True

    def beat(self, done: int, total: int) -> None:
        """Progress, as the page shows it: written at once (the worker runs outside any transaction)."""
        self.update(rows_done=done, rows_total=total, beat_at=timezone.now())

    def fail(self, why: str) -> None:
        self.update(status=JobStatus.FAILED, error=why, finished_at=timezone.now())

    def update(self, **values) -> None:
        type(self).objects.filter(pk=self.pk).update(**values)
        for name, value in values.items():
            setattr(self, name, value)

    @property
    def is_stale(self) -> bool:
        return self.status == JobStatus.RUNNING and (self.beat_at is None or self.beat_at < stale_before())


def stale_before():
    """A running job whose last beat is older than this has lost its worker."""
    return timezone.now() - STALE


def job_file_path(job, filename: str) -> str:
    """Files of jobs, under the private media folder (served only through a view that checks who asks)."""
    return f"{job.FILES}/{job.agency.code}/{job.code}{filename[filename.rfind('.') :]}"


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def jobs_resume() -> int:
    """Put back in the queue every job whose worker stopped mid-way; how many."""
    resumed = 0
    for model in job_models():
        for job in model.objects.filter(status=JobStatus.RUNNING, beat_at__lt=stale_before()):
            resumed += job.retry()
    return resumed
