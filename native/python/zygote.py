"""The zygote: imports and warms everything once, says `ready`, then serves requests one at a time.

Every render runs in a fresh fork of this process (supervisor.py), so a job starts in milliseconds from the
same state every time, and nothing a job does can change the next one.
"""
import gc
import hashlib
import io
import os
import platform
import shutil
import sys
import traceback

import matplotlib

matplotlib.use("Agg", force=True)
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is forced)
import numpy  # noqa: E402

import fonts  # noqa: E402
import job  # noqa: E402
import privileges  # noqa: E402
import protocol  # noqa: E402
import scratch  # noqa: E402
import seccomp_filter  # noqa: E402
import supervisor  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Bump when the output for the same code may change in a way the source hash below cannot see.
RENDERER_VERSION = "1"


class Setup:
    """What every job inherits from the zygote."""

    def __init__(self, sandbox, seccomp, font_families, tracer, scratch_dir):
        self.zygote_pid = os.getpid()
        self.sandbox = sandbox
        self.seccomp = seccomp
        self.font_families = font_families
        self.tracer = tracer
        # bwrap mode: the private tmpfs emptied after every job; None in guards mode (the host's /tmp).
        self.scratch_dir = scratch_dir


def run(options, channel):
    seccomp = not options.no_seccomp and seccomp_filter.works()
    families = fonts.register(options.fonts_dir)
    setup = Setup(options.sandbox, seccomp, families, _load_tracer(), options.scratch)
    _warm_up(families)
    # Everything is loaded: the zygote needs no config folder, and no privilege, from here on.
    renderer_version = _renderer_version()  # reads the worker's source: before the files may be out of reach
    shutil.rmtree(options.config_dir, ignore_errors=True)
    if setup.scratch_dir:
        scratch.empty(setup.scratch_dir)  # what start-up left (font caches): the first job starts clean too
    privileges.confine_zygote(options.drop_to)
    # The zygote's objects live as long as it does: keep the collector off them, so forks share their pages.
    gc.freeze()
    try:
        channel.send({
            "type": "ready",
            "protocol": protocol.PROTOCOL_VERSION,
            "rendererVersion": renderer_version,
            "python": platform.python_version(),
            "executable": sys.executable,
            "matplotlib": matplotlib.__version__,
            "numpy": numpy.__version__,
            "sandbox": options.sandbox,
            "seccomp": seccomp,
            "fonts": families,
        })
        _serve(channel, setup)
    except BrokenPipeError:  # the engine went away mid-reply
        pass


def _load_tracer():
    """The tracer module, or None (renders still work, without traces) if it is missing or broken."""
    try:
        import tracer
    except Exception:
        print("render worker: tracing is off, the tracer failed to import:\n" + traceback.format_exc(),
              file=sys.stderr)
        return None
    if not all(hasattr(tracer, name) for name in ("install_creation_hook", "trace_figure")):
        print("render worker: tracing is off, the tracer lacks install_creation_hook/trace_figure",
              file=sys.stderr)
        return None
    return tracer


def _warm_up(families):
    """Draws once as a job would, so fonts, mathtext and the PNG writer are loaded before the first fork."""
    job.reset_matplotlib(families)
    figure, axes = plt.subplots()
    axes.plot([0, 1], [0, 1], label="warm-up")
    axes.set_title(r"warm-up $\alpha^2 + \sqrt{x}$")
    axes.legend()
    figure.savefig(io.BytesIO(), format="png")
    plt.close("all")


def _renderer_version():
    """RENDERER_VERSION plus a hash of the worker's and the tracer's source: any change to them makes a new
    renderer for the render cache, even when nobody remembered to bump the number."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(HERE):
        subfolders[:] = sorted(d for d in subfolders if d not in ("tests", "__pycache__"))
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, HERE).encode() + b"\0")
                with open(path, "rb") as f:
                    digest.update(f.read())
    return "{}+{}".format(RENDERER_VERSION, digest.hexdigest()[:12])


def _serve(channel, setup):
    while True:
        line = channel.next_line()
        if line is None:
            return
        try:
            request = protocol.parse(line)
        except protocol.RequestError as error:
            channel.send(_error(error.request_id, str(error)))
            continue
        kind = request["type"]
        if kind == "ping":
            channel.send({"type": "pong"})
        elif kind == "shutdown":
            return
        elif kind == "render":
            during = _RequestsDuringJob(channel, request["id"])
            try:
                reply = supervisor.run(request, setup, channel, during.handle)
            except Exception as error:  # a harness bug: report it on this job, keep serving
                traceback.print_exc(file=sys.stderr)
                reply = _error(request["id"], "render worker error: {}".format(error))
            clean = _reset_scratch(setup)
            if not clean and reply["type"] == "result":
                reply["retire"] = True
            channel.send(reply)
            if during.shutdown or channel.closed or not clean:
                return
        # A cancel while idle comes late, for a job that has already finished: nothing to do.


def _reset_scratch(setup):
    """Empties the sandbox's tmpfs after a job; False (the worker then retires: a fresh one gets a fresh
    tmpfs) when something the job left cannot be removed, so nothing of one job ever reaches the next."""
    if not setup.scratch_dir:
        return True
    try:
        scratch.empty(setup.scratch_dir)
        left = scratch.leftovers(setup.scratch_dir)
        if left:
            raise scratch.ScratchError("{} still holds {}".format(setup.scratch_dir, left[:5]))
        return True
    except (OSError, scratch.ScratchError) as error:
        print("render worker: retiring, the job's files could not be removed: {}".format(error),
              file=sys.stderr)
        return False


class _RequestsDuringJob:
    """Answers the requests that arrive while job `job_id` runs."""

    def __init__(self, channel, job_id):
        self.channel = channel
        self.job_id = job_id
        self.shutdown = False

    def handle(self, line):
        try:
            request = protocol.parse(line)
        except protocol.RequestError as error:
            self.channel.send(_error(error.request_id, str(error)))
            return None
        kind = request["type"]
        if kind == "ping":
            self.channel.send({"type": "pong"})
        elif kind == "cancel" and request["id"] == self.job_id:
            return supervisor.Ending.CANCELLED
        elif kind == "shutdown":
            self.shutdown = True
            return supervisor.Ending.SHUTDOWN
        elif kind == "render":
            self.channel.send(_error(request["id"], "busy: the worker runs one job at a time"))
        return None


def _error(request_id, message):
    return {"type": "error", "id": request_id, "message": message}
