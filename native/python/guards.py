"""In-process guards for a job when there is no bubblewrap (`--sandbox guards`).

Audit hooks (PEP 578) refuse, with PermissionError: network use, new processes and programs, signals to
other processes, and writing, creating, renaming or deleting files outside the job directory. Reading stays
allowed. They see only what goes through Python: ctypes calls libc directly and native code can do anything,
which is why bwrap (namespaces, read-only system, no network) is the default on Linux and seccomp backs both.
"""
import os
import sys

_ALWAYS_DENIED = frozenset({
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.sethostname",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.forkpty",
    "os.kill", "os.killpg",
})

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

# Events that change the file system: event -> ((index of a path argument, index of its dir_fd or None), ...).
_PATH_EVENTS = {
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 3),),
    "os.truncate": ((0, None),),
    "os.setxattr": ((0, None),),
    "os.removexattr": ((0, None),),
    "os.rename": ((0, 2), (1, 3)),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "shutil.rmtree": ((0, 1),),
    "sqlite3.connect": ((0, None),),
}


def install(job_dir):
    """Adds the audit hook for this process (for good: audit hooks cannot be removed)."""
    root = os.path.realpath(job_dir)
    # Bound now: user code that replaces os.path.realpath must not move the fence.
    realpath, fsdecode, readlink, join, isabs = (
        os.path.realpath, os.fsdecode, os.readlink, os.path.join, os.path.isabs)
    allowed_devices = (os.devnull,)

    def resolve(path, dir_fd):
        if isinstance(path, int):
            return readlink("/proc/self/fd/{}".format(path))
        path = fsdecode(path)
        if dir_fd is not None and dir_fd >= 0 and not isabs(path):
            path = join(readlink("/proc/self/fd/{}".format(dir_fd)), path)
        return realpath(path)

    def check_write(event, path, dir_fd=None):
        if path is None or path in (":memory:", ""):
            return
        try:
            target = resolve(path, dir_fd)
        except (OSError, TypeError, ValueError):
            target = None
        inside = target is not None and (
            target == root or target.startswith(root + os.sep) or target in allowed_devices)
        if not inside:
            raise PermissionError(
                "{}: writing outside the job directory is not allowed ({!r})".format(event, path))

    def hook(event, args):
        if event in _ALWAYS_DENIED:
            raise PermissionError("{} is not allowed in the render sandbox".format(event))
        if event == "open":
            path, mode, flags = args
            by_mode = isinstance(mode, str) and any(c in mode for c in "wax+")
            if by_mode or (flags or 0) & _WRITE_FLAGS:
                check_write(event, path)
            return
        for path_index, dir_fd_index in _PATH_EVENTS.get(event, ()):
            check_write(event, args[path_index], None if dir_fd_index is None else args[dir_fd_index])

    sys.addaudithook(hook)
