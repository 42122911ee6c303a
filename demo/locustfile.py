"""The simulated caseworkers of `make bench`'s load run: demo/bench_load.py starts locust on this file, in a process
of its own, against gunicorn.

Each simulated user takes one seat of the plan file named by OCMS_LOAD_PLAN (written by demo/bench_load.py): a
caseworker of the load agency already logged in (its session and CSRF cookies: the login form would time password
hashing and meet the login lockouts), its own registration draft, and the searches, profiles and receipts to ask for.
`Caseworker` does the day's mix, `BareView` asks for the bare view alone (logged in, as the same users), and
`BareViewAnonymous` for the bare view without a login. Every request must answer exactly what the
page answers a caseworker: anything else (a redirect to the login page, an error) counts as an error.
"""

import json
import os
import random
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["OCMS_LOAD_PLAN"]).read_text(encoding="utf-8"))
SEATS = count()


@events.init.add_listener
def clock_set(**_kwargs) -> None:
    """gevent's timers count from the time its loop last read the clock: locust starting slowly on a busy machine
    (seconds of imports) would end a --run-time of a few seconds before the first request. Read it now."""
    gevent.get_hub().loop.update_now()


class Seated(FastHttpUser):
    abstract = True
    # No pause between requests: the run measures how much the server answers, not how fast people click.
    wait_time = constant(0)

    def on_start(self) -> None:
        seat = PLAN["seats"][next(SEATS) % len(PLAN["seats"])]
        self.headers = {"Cookie": seat["cookie"], "X-CSRFToken": seat["csrf"]}
        self.draft = seat["draft"]
        self.rng = random.Random(seat["draft"])

    def expect(self, path: str, name: str, *, status: int = 200, data: dict | None = None, pdf: bool = False) -> None:
        headers = self.headers
        body = None
        if data is not None:
            headers = headers | {"Content-Type": "application/x-www-form-urlencoded"}
            body = urlencode(data)
        method = "GET" if data is None else "POST"
        with self.client.request(
            method, path, name=name, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != status:
                response.failure(f"{method} {path} answered {response.status_code} instead of {status}")
            elif pdf and not (response.content or b"").startswith(b"%PDF-"):
                response.failure(f"{path} answered {status} but not a PDF")
            else:
                response.success()


class BareView(Seated):
    @task
    def bare(self) -> None:
        self.expect(PLAN["bare"], "bare view")


class BareViewAnonymous(BareView):
    """The bare view asked without a login: no session or user read, the floor of the server itself."""

    def on_start(self) -> None:
        super().on_start()
        self.headers = {}


class Caseworker(Seated):
    """A caseworker's day, by weight: mostly finding clients and opening their profiles, then registering one
    (each step read, then posted with Next), now and then printing a receipt."""

    @task(4)
    def find_client(self) -> None:
        self.expect(self.rng.choice(PLAN["searches"]), "Find Client")

    @task(3)
    def profile(self) -> None:
        self.expect(self.rng.choice(PLAN["profiles"]), "client profile")

    @task(2)
    def step_read(self) -> None:
        step = self.rng.choice(PLAN["steps_read"])
        self.expect(f"{self.draft}/{step}/", "wizard step (GET)")

    @task(2)
    def step_post(self) -> None:
        step = self.rng.choice(sorted(PLAN["steps_posted"]))
        data = {"go": "next", **PLAN["steps_posted"][step]}
        self.expect(f"{self.draft}/{step}/", "wizard step (POST, Next)", status=302, data=data)

    @task(1)
    def receipt(self) -> None:
        self.expect(self.rng.choice(PLAN["receipts"]), "Registration Receipt (PDF)", pdf=True)
