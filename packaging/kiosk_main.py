"""Entry point of the packaged app (installer.spec): the `kiosk` command line, frozen."""
import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
