"""`python -m entrypoints`, and the packaged app's entry point (installer.spec): the `kiosk` command line."""
import sys

from entrypoints.kiosk_cli import main

if __name__ == "__main__":
    sys.exit(main())
