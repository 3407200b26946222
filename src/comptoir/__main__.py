"""``python -m comptoir``: the same as the ``comptoir`` command."""

from comptoir.schedule.attach import main

main()
