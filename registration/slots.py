"""Places on the registration pages where a later app shows a part of its own (see clients.slots)."""

NEXT_STEPS_ACTIONS: list[str] = []  # beside Begin Session with Client on Next Steps
