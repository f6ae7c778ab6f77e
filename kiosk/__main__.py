"""`python -m kiosk`, and the packaged app's entry point (installer.spec): the `kiosk` command line."""
import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
