"""Long work done by the background worker (django.tasks, with django-tasks-db's database backend), never in a
request: what a page shows of it (`Job`), and how work cut short by a stopped worker is taken up again.

A job's task beats while it works (`Job.beat`, with its progress). When a worker stops mid-way (restarted,
killed, the machine rebooted), its job stops beating; `jobs_resume` (run by `manage.py worker` between tasks) puts
every job that stopped beating back in the queue, and its task starts it again from the beginning: a job writes
its file beside the final one and moves it into place only when whole.

A job taken for dead may still be running (a worker stalled, or a step longer than STALE), so two attempts at one
job may overlap. Each attempt owns the job from its claim (`start`) until another claims it: the moment it claimed
the job (`started_at`) is its token, and its beats, its failure and its finish change the job only while the job is
still RUNNING with that token. An attempt that lost the job stops at its next beat (JobSupersededError) and
changes nothing; the attempt that finishes is the one whose record and file stand.
"""

from datetime import timedelta

from django.apps import apps
from django.db import models, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A running job that has not beaten for this long has lost its worker.
STALE = timedelta(minutes=2)


class JobSupersededError(Exception):
    """This attempt at a job was taken for dead and another one claimed the job: it must stop, changing nothing."""


class WorkerStoppedError(Exception):
    """Recorded as the failure of a task whose worker stopped mid-way, when its job is queued again."""


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
        with transaction.atomic():
            was_running = self.status == JobStatus.RUNNING
            if not retried.update(status=JobStatus.QUEUED, error="", rows_done=0, beat_at=None):
                return False
            self.status, self.error, self.rows_done, self.beat_at = JobStatus.QUEUED, "", 0, None
            if was_running:
                self.task_results_abandon()
            self.enqueue()
        return True

    def task_results_abandon(self) -> int:
        """The worker's own record of a task of this job still RUNNING (its worker stopped mid-way), marked failed
        rather than left running for ever; how many."""
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            task_path=self.task.module_path,
            args_kwargs={"args": [self.pk], "kwargs": {}},
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerStoppedError.__module__}.{WorkerStoppedError.__qualname__}",
            traceback="The worker stopped before the task finished; its job was queued again.",
        )

    def start(self) -> bool:
        """Claim the queued job for this worker; False when it is not queued (done, failed, or another worker's)."""
        now = timezone.now()
        claimed = type(self).objects.filter(pk=self.pk, status=JobStatus.QUEUED)
        if not claimed.update(status=JobStatus.RUNNING, started_at=now, beat_at=now, error=""):
            return False
        self.status, self.started_at, self.beat_at, self.error = JobStatus.RUNNING, now, now, ""
        return True

    def beat(self, done: int, total: int) -> None:
        """Progress, as the page shows it: written at once (the worker runs outside any transaction).

        Raises JobSupersededError when another attempt has claimed the job since this one did."""
        if not self.attempt_update(rows_done=done, rows_total=total, beat_at=timezone.now()):
            raise JobSupersededError

    def fail(self, why: str) -> bool:
        """Say why this attempt failed; False (and nothing said) when another attempt owns the job now."""
        return self.attempt_update(status=JobStatus.FAILED, error=why, finished_at=timezone.now())

    def finish(self, **values) -> bool:
        """Mark the job done, with `values`; False (and nothing changed) when another attempt owns the job now."""
        return self.attempt_update(status=JobStatus.DONE, finished_at=timezone.now(), **values)

    def attempt_update(self, **values) -> bool:
        """Change the job only while this attempt owns it: still RUNNING, claimed at this attempt's start."""
        mine = type(self).objects.filter(pk=self.pk, status=JobStatus.RUNNING, started_at=self.started_at)
        if not mine.update(**values):
            return False
        for name, value in values.items():
            setattr(self, name, value)
        return True

    @property
    def attempt_token(self) -> str:
        """This attempt's own name, for its files: the moment it claimed the job."""
        return f"{self.started_at:%Y%m%dT%H%M%S%f}"

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
