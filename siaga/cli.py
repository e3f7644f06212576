"""The ``siaga`` command: Django's management commands under one short name.

    siaga demo [--people N]   load the demo data set
    siaga serve [ADDR:PORT]   run the development server (production: gunicorn, see docs/operations.md)
    siaga worker [--worker-id ID]  run background tasks (django-tasks database backend); with a stable
                              id it first re-queues what its previous, killed process left running
    siaga migrate             apply database migrations
    siaga <command> ...       any other management command (``siaga help`` lists them)
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver"],
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return
    if args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["siaga", *args])


if __name__ == "__main__":
    main()
