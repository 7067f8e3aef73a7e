"""Confines a freshly forked job process before any user code runs.

Own session (the zygote kills the whole group), stdio on files in the job dir, no inherited channels, the job
dir as cwd and HOME, resource limits, and the seccomp filter. Limits and seccomp are per process, so they
confine the job and never the zygote.
"""
import fcntl
import os
import platform
import resource
import signal
import stat
import sys
import tempfile

import capture
import seccomp_filter

MiB = 1 << 20
# RLIMIT_NPROC counts every task of the user (and is ignored for root): only a backstop for seccomp.
PROCESS_LIMIT = 64


def enter(paths, request, zygote_pid, use_seccomp):
    os.setsid()
    _die_with_zygote(zygote_pid)
    _redirect_stdio(paths)
    _close_inherited_fds()
    _enter_job_dir(paths.root)
    _set_limits(request)
    if use_seccomp:
        seccomp_filter.install(os.getpid())


def _die_with_zygote(zygote_pid):
    """Without bwrap's PID namespace nothing else would stop a job that outlives a killed zygote."""
    if platform.system() != "Linux":
        return
    seccomp_filter.prctl(seccomp_filter.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != zygote_pid:  # the zygote died before the line above
        os._exit(1)


def _redirect_stdio(paths):
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, paths.stdout), (2, paths.stderr)):
        out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        os.dup2(out, fd)
        os.close(out)


def _close_inherited_fds():
    """Closes every inherited fd but read-only regular files.

    The protocol pipes, and anything writable, must not reach user code. The read-only files are the
    zygote's own font handles: matplotlib's font cache keeps them open and the job draws text through them.
    """
    fd_dir = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    for name in os.listdir(fd_dir):
        fd = int(name)
        if fd < 3:
            continue
        try:
            read_only_file = stat.S_ISREG(os.fstat(fd).st_mode) and (
                fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY)
            if not read_only_file:
                os.close(fd)
        except OSError:  # the listing's own fd, already gone
            pass


def _enter_job_dir(root):
    os.chdir(root)
    os.environ["HOME"] = root
    os.environ["TMPDIR"] = root
    os.environ["MPLCONFIGDIR"] = os.path.join(root, ".matplotlib")
    tempfile.tempdir = root


def _address_space():
    """Bytes of address space the process maps already (the zygote's libraries), 0 if unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set_limits(request):
    # memoryMb is what the job may allocate: on top of what the fork already maps (~200 MB of numpy and
    # matplotlib), or the smallest allowed limit would fail every job before it starts.
    _limit(resource.RLIMIT_AS, _address_space() + request["memoryMb"] * MiB)
    # Soft limit → SIGXCPU (reported as a timeout); the hard limit a second later kills code ignoring it.
    _limit(resource.RLIMIT_CPU, request["cpuSeconds"], request["cpuSeconds"] + 1)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
    _limit(resource.RLIMIT_FSIZE, capture.FILE_SIZE_LIMIT)  # no disk filled in one file
    _limit(resource.RLIMIT_NPROC, PROCESS_LIMIT)
    _limit(resource.RLIMIT_CORE, 0)


def _limit(which, soft, hard=None):
    hard = soft if hard is None else hard
    _, current_hard = resource.getrlimit(which)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    try:
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError) as error:  # e.g. RLIMIT_AS on macOS: the job runs without that limit
        print("render worker: resource limit {} not set: {}".format(which, error), file=sys.stderr)
