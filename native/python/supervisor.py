"""The zygote's side of one job: fork it, watch the clock and the engine, kill it, build the `result` line."""
import base64
import json
import os
import select
import shutil
import signal
import tempfile
import time

import capture
import classify
import job

_POLL_SECONDS = 0.02


class JobPaths:
    """The job dir (cwd and HOME of the user's code) and, inside it, the harness's files.

    The harness files live in a subdirectory with a random name, so code that writes `result.json` or
    `output.png` into its working directory collides with nothing.
    """

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="codepercept-job-")
        harness = os.path.join(self.root, ".codepercept-" + os.urandom(6).hex())
        os.mkdir(harness, 0o700)
        self.image = os.path.join(harness, "image.png")
        self.result = os.path.join(harness, "result.json")
        self.stdout = os.path.join(harness, "stdout")
        self.stderr = os.path.join(harness, "stderr")

    def remove(self):
        # No chmod-and-retry for folders the code locked itself out of: chmod follows symlinks, and a job's
        # symlink must never make the zygote touch a file outside the job dir.
        shutil.rmtree(self.root, ignore_errors=True)


class Ending:
    """Why the zygote stopped waiting: the job exited by itself, or it was stopped."""

    EXITED = "exited"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    SHUTDOWN = "shutdown"


def run(request, setup, channel, on_line):
    """Runs one render request in a fresh fork and returns its `result` message.

    `on_line(line)` handles requests that arrive meanwhile; it returns an Ending to stop the job (cancel,
    shutdown) or None.
    """
    started = time.monotonic()
    paths = None
    try:
        paths = JobPaths()
        pid = os.fork()
    except OSError as error:  # no temp dir or no fork: the machine, not the code
        if paths is not None:
            paths.remove()
        failure = classify.failure("Could not start the job: {}".format(error))
        return _message(request, "killed", failure, (time.monotonic() - started) * 1000)
    if pid == 0:
        job.run(request, paths, setup)  # never returns
    try:
        try:
            ending = _wait(pid, started + request["timeoutMs"] / 1000, channel, on_line)
        finally:
            # Not reaped yet (a zombie at most), so the job's pid still names its group and nothing else.
            _kill_group(pid)
            _, status, usage = os.wait4(pid, 0)
        duration_ms = (time.monotonic() - started) * 1000
        return _collect(request, paths, ending, status, usage, duration_ms)
    finally:
        paths.remove()


def _wait(pid, deadline, channel, on_line):
    """Waits until the job exits, its time is up, or a request stops it; never reaps it."""
    exited = _ExitWatcher(pid)
    try:
        while True:
            for line in channel.take_lines():
                ending = on_line(line)
                if ending is not None:
                    return ending
            if channel.closed:  # the engine is gone
                return Ending.SHUTDOWN
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Ending.TIMEOUT
            if exited.fd is not None:
                ready, _, _ = select.select([channel, exited.fd], [], [], remaining)
            else:
                ready, _, _ = select.select([channel], [], [], min(remaining, _POLL_SECONDS))
            if exited.done():
                return Ending.EXITED
            if channel in ready:
                channel.poll()
    finally:
        exited.close()


class _ExitWatcher:
    """A pidfd (readable once the job exits) where the kernel has them; else waitid polling."""

    def __init__(self, pid):
        self.pid = pid
        self.fd = None
        if hasattr(os, "pidfd_open"):
            try:
                self.fd = os.pidfd_open(pid)
            except OSError:  # Linux < 5.3
                pass

    def done(self):
        # WNOWAIT: look, but leave the zombie for wait4 (and its pid reserved for killpg).
        return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None

    def close(self):
        if self.fd is not None:
            os.close(self.fd)


def _kill_group(pid):
    """SIGKILL to the job's whole process group (anything it started, where seccomp is off)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _collect(request, paths, ending, status, usage, duration_ms):
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    cpu_seconds = usage.ru_utime + usage.ru_stime
    reported = _read_result(paths.result) if ending == Ending.EXITED and exit_code == 0 else None

    if ending == Ending.TIMEOUT:
        state, failure = "timeout", classify.failure("Timed out after {} ms.".format(request["timeoutMs"]))
    elif ending == Ending.CANCELLED:
        state, failure = "killed", classify.failure("cancelled", signal=signal.SIGKILL)
    elif ending == Ending.SHUTDOWN:
        state, failure = "killed", classify.failure("The render worker was shut down.", signal=signal.SIGKILL)
    elif signal_number == signal.SIGXCPU or (
            signal_number == signal.SIGKILL and cpu_seconds >= request["cpuSeconds"]):
        # The CPU limit (SIGXCPU, then SIGKILL at the hard limit for code that ignores it) backs up the wall
        # clock for code that spins without yielding: the same verdict.
        state, failure = "timeout", classify.failure(
            "Used up the CPU time limit of {} s.".format(request["cpuSeconds"]), signal=signal_number)
    elif signal_number is not None:
        state, failure = "killed", classify.failure(
            "The job was killed by {}.".format(_signal_name(signal_number)), signal=signal_number)
    elif exit_code == job.HARNESS_FAILED:
        state, failure = "killed", classify.failure("The render harness failed; see stderr.")
    elif reported is None:
        state, failure = "killed", classify.failure(
            "The job ended without a result (exit code {}).".format(exit_code))
    else:
        state, failure = reported["status"], reported["failure"]

    limit = request["maxOutputBytes"]
    stdout, stdout_cut = capture.read_prefix(paths.stdout, limit)
    stderr, stderr_cut = capture.read_prefix(paths.stderr, limit)
    notes = reported["notes"] if reported else []
    if notes:
        stderr += "".join("\n[render worker] {}".format(note) for note in notes)
    png = capture.read_png(paths.image)
    return _message(
        request, state, failure, duration_ms,
        partial=reported["partial"] if reported else png is not None,
        png=png,
        trace=reported["trace"] if reported else None,
        stdout=stdout, stderr=stderr,
        stdout_truncated=stdout_cut or bool(reported and reported["stdoutDropped"]),
        stderr_truncated=stderr_cut or bool(reported and reported["stderrDropped"]),
        exit_code=exit_code, signal_number=signal_number,
    )


def _signal_name(number):
    try:
        return "{} ({})".format(signal.Signals(number).name, number)
    except ValueError:
        return "signal {}".format(number)


def _read_result(path):
    data = capture.read_whole(path, capture.MAX_RESULT_BYTES)
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None


def _message(request, status, failure, duration_ms, partial=False, png=None, trace=None, stdout="",
             stderr="", stdout_truncated=False, stderr_truncated=False, exit_code=None, signal_number=None):
    return {
        "type": "result",
        "id": request["id"],
        "status": status,
        "failure": failure,
        "partial": partial,
        "png": base64.b64encode(png[0]).decode("ascii") if png else None,
        "width": png[1] if png else None,
        "height": png[2] if png else None,
        "trace": trace,
        "stdout": stdout,
        "stderr": stderr,
        "stdoutTruncated": stdout_truncated,
        "stderrTruncated": stderr_truncated,
        "durationMs": round(duration_ms, 1),
        "exitCode": exit_code,
        "signal": signal_number,
    }
