"""A real CUPS print queue for tests: our own cupsd (temporary configuration, its own socket) with
Debian's cups-pdf printer, which turns every job into a PDF in the job owner's ~/PDF.

The system's CUPS is left alone: the test's cupsd listens on a socket in a temporary folder, and
this process's libcups is pointed at it with cupsSetServer (libcups keeps the server per thread,
and Qt calls it from the GUI thread, the test's own). cups-pdf's backend must run as root, so
this needs root, as CI has.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
QUEUE = "badgepdf"

_CUPSD_CONF = """Listen {dir}/cups.sock
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""
_FILES_CONF = """ServerRoot {dir}
RequestRoot {dir}/spool
CacheDir {dir}/cache
StateDir {dir}/state
TempDir {dir}/tmp
ErrorLog {dir}/logs/error_log
AccessLog {dir}/logs/access_log
PageLog {dir}/logs/page_log
Printcap {dir}/printcap
Sandboxing Relaxed
SystemGroup root
"""


def missing_parts() -> list[str]:
    """What this machine lacks to run the queue (./run installs cups and printer-driver-cups-pdf)."""
    out = []
    if shutil.which("cupsd") is None or shutil.which("lpadmin") is None:
        out.append("cupsd/lpadmin (Debian package cups)")
    if not PPD.exists() or not Path("/usr/lib/cups/backend/cups-pdf").exists():
        out.append("the cups-pdf printer (Debian package printer-driver-cups-pdf)")
    if ctypes.util.find_library("cups") is None:
        out.append("libcups")
    if os.geteuid() != 0:
        out.append("root (the cups-pdf backend runs as root)")
    return out


class CupsQueue:
    """cupsd with one cups-pdf queue; `output_dir` is where its PDFs land."""

    def __init__(self):
        # not under pytest's tmp_path (mode 0700): CUPS runs its filters as the user lp, which must reach the spool
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        self.socket = self.dir / "cups.sock"
        # cups-pdf writes to the job owner's home from the password database, whatever $HOME says
        self.output_dir = Path(pwd.getpwuid(os.getuid()).pw_dir) / "PDF"
        self._proc: subprocess.Popen | None = None
        self._env = {**os.environ, "CUPS_SERVER": str(self.socket)}

    def __enter__(self) -> CupsQueue:
        d = self.dir
        for sub in ("spool", "cache", "state", "logs", "tmp"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        d.chmod(0o755)
        (d / "tmp").chmod(0o1777)
        (d / "cupsd.conf").write_text(_CUPSD_CONF.format(dir=d))
        (d / "cups-files.conf").write_text(_FILES_CONF.format(dir=d))
        self._proc = subprocess.Popen(["cupsd", "-f", "-c", str(d / "cupsd.conf"), "-s", str(d / "cups-files.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while not self._running():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                said = self._proc.stderr.read().decode() if self._proc.poll() is not None and self._proc.stderr else ""
                raise RuntimeError(f"cupsd did not start: {said}")
            time.sleep(0.2)
        subprocess.run(["lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-P", str(PPD), "-E"], env=self._env,
                       check=True, capture_output=True, timeout=30)
        _set_server(str(self.socket))
        return self

    def _running(self) -> bool:
        r = subprocess.run(["lpstat", "-r"], env=self._env, capture_output=True, text=True, timeout=30)
        return r.returncode == 0 and "not running" not in r.stdout

    def __exit__(self, *exc) -> None:
        _set_server(None)
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def wait_for_pdf(self, job_name: str, timeout: float = 60) -> Path:
        """The PDF cups-pdf made of the job whose title starts with job_name (it appends its own suffix)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.output_dir.glob(f"{job_name}*.pdf")) if self.output_dir.exists() else []
            if found and _settled(found[-1]):
                return found[-1]
            time.sleep(0.3)
        log = (self.dir / "logs" / "error_log")
        raise AssertionError(f"no PDF for job {job_name!r} in {self.output_dir}; cupsd said: "
                             f"{log.read_text()[-2000:] if log.exists() else '(no log)'}")


def _settled(path: Path) -> bool:
    size = path.stat().st_size
    time.sleep(0.3)
    return size > 0 and path.stat().st_size == size


def _set_server(socket: str | None) -> None:
    """Point this thread's libcups (which Qt's print support uses) at our cupsd, or back to the default."""
    lib = ctypes.CDLL(ctypes.util.find_library("cups"))
    lib.cupsSetServer.argtypes = [ctypes.c_char_p]
    lib.cupsSetServer(socket.encode() if socket else None)
