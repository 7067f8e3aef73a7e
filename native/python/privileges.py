"""Who the zygote is once it serves jobs: never root, with no capabilities, and not dumpable.

As root (CI, containers, many lab servers) bubblewrap cannot map the sandbox to another host uid, and a uid 0
in a user namespace is still host root to the kernel's sysctl and core_pattern checks. So the engine starts
the worker as root with only CAP_SETUID/SETGID/SETPCAP, the zygote imports and warms up, and then, before the
first job, becomes an unprivileged uid here. Not dumpable: a job of the same uid can then neither read nor
write the zygote's memory through /proc/<pid>/mem (that needs CAP_SYS_PTRACE, which no job has).
"""
import ctypes
import errno
import os
import platform

from seccomp_filter import prctl

PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_CAP_LAST_CAP_FILE = "/proc/sys/kernel/cap_last_cap"


class PrivilegeError(RuntimeError):
    pass


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def confine_zygote(drop_to):
    """Drops root (when `drop_to` is a (uid, gid)), clears every capability, makes the process undumpable,
    and checks the result; raises (PrivilegeError, OSError) rather than serve jobs with privileges left."""
    if platform.system() != "Linux":
        if drop_to is not None and os.geteuid() == 0:
            _switch_ids(*drop_to)
        return
    if drop_to is not None and os.geteuid() == 0:
        _drop_bounding_set()
        _switch_ids(*drop_to)
    _clear_capabilities()
    prctl(PR_SET_DUMPABLE, 0)
    _check(drop_to)


def _drop_bounding_set():
    """Empties the bounding set while CAP_SETPCAP is still held, so nothing can ever be regained."""
    try:
        with open(_CAP_LAST_CAP_FILE) as f:
            last = int(f.read())
    except (OSError, ValueError):
        last = 63
    for cap in range(last + 1):
        try:
            prctl(PR_CAPBSET_DROP, cap)
        except OSError as error:
            if error.errno != errno.EINVAL:  # EINVAL: no such capability on this kernel
                raise PrivilegeError("could not drop capability {} from the bounding set: {}".format(
                    cap, error.strerror)) from error


def _switch_ids(uid, gid):
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)


def _clear_capabilities():
    """Permitted, effective and inheritable all empty (a non-root uid already loses the first two)."""
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise PrivilegeError("capset: {}".format(os.strerror(ctypes.get_errno())))


def status():
    """The capability and uid lines of /proc/self/status, as {name: value}."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name.startswith("Cap") or name in ("Uid", "Gid", "NoNewPrivs"):
                fields[name] = value.strip()
    return fields


def _check(drop_to):
    fields = status()
    held = {name: fields.get(name) for name in ("CapInh", "CapPrm", "CapEff", "CapAmb")
            if int(fields.get(name, "0"), 16) != 0}
    if held:
        raise PrivilegeError("capabilities remain after dropping them: {}".format(held))
    uids = set(fields.get("Uid", "").split())
    if drop_to is not None and uids != {str(drop_to[0])}:
        raise PrivilegeError("uids are {} after switching to {}".format(sorted(uids), drop_to[0]))
    if "0" in uids:
        raise PrivilegeError("the render worker still runs as root")
