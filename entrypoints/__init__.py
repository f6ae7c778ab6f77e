"""The top layer: the programs a person starts, which may import every other layer.

`kiosk_cli` (the `kiosk` command), `server_cli` (`kiosk-server`), `demo` (`kiosk demo`) and the
self-test (`selftest`, `selftest_gui`). Below them run `ui` (screens), `sync` (client, protocol,
server) and `kiosk` (the Qt-free domain); docs/architecture.md draws the picture and
docs/cli.md is the command-line contract these modules implement.
"""
