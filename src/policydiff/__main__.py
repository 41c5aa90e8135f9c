"""`python -m policydiff`."""

from .cli import main

main()
