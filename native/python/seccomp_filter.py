"""A seccomp-BPF filter for render jobs: no new processes, no programs, no reaching into other processes.

RLIMIT_NPROC is not enforced for root, and in-process audit hooks are bypassed by ctypes, so the kernel is
the only place that reliably stops a fork bomb, os.system or subprocess. The filter makes fork, vfork,
execve, execveat and clone without CLONE_THREAD fail with EPERM, and clone3 with ENOSYS: glibc then falls
back to clone, so threads keep working while processes cannot be made. Signals may only go to the job
itself (the zygote must survive the job), and ptrace, process_vm_*, pidfd_getfd and kcmp fail with EPERM, as do
namespaces, mounts, keyrings, IPC objects and the kernel's riskiest interfaces (_DENIED_SURFACE).
"""
import ctypes
import errno
import os
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
PR_SET_PDEATHSIG = 1
SECCOMP_MODE_FILTER = 2

SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000

# BPF opcodes (linux/filter.h).
_LD_ABS_W = 0x20
_JEQ = 0x15
_JGE = 0x35
_JSET = 0x45
_RET = 0x06

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6] (little-endian).
_NR = 0
_ARCH = 4
_ARG0_LOW = 16  # low 32 bits of args[0]: pid_t and clone's flags both fit

CLONE_THREAD = 0x00010000
_X32_SYSCALL_BIT = 0x40000000


class _Arch:
    def __init__(self, audit, syscalls, x32_bit=False):
        self.audit = audit
        self.syscalls = syscalls
        self.x32_bit = x32_bit


_ARCHES = {
    "x86_64": _Arch(
        0xC000003E,
        {
            "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "ptrace": 101,
            "rt_sigqueueinfo": 129, "tkill": 200, "tgkill": 234, "rt_tgsigqueueinfo": 297,
            "process_vm_readv": 310, "process_vm_writev": 311, "execveat": 322,
            "pidfd_send_signal": 424, "clone3": 435, "pidfd_getfd": 438,
            "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
            "keyctl": 250, "add_key": 248, "request_key": 249, "perf_event_open": 298, "userfaultfd": 323,
            "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "bpf": 321,
            "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313,
            "delete_module": 176, "open_by_handle_at": 304, "name_to_handle_at": 303, "fsopen": 430,
            "fsconfig": 431, "fsmount": 432, "fspick": 433, "move_mount": 429, "open_tree": 428,
            "mount_setattr": 442, "quotactl": 179, "swapon": 167, "swapoff": 168, "reboot": 169, "acct": 163,
            "shmget": 29, "semget": 64, "msgget": 68, "mq_open": 240, "kcmp": 312, "process_madvise": 440,
            "iopl": 172, "ioperm": 173, "lookup_dcookie": 212,
        },
        x32_bit=True,
    ),
    # The generic syscall table: there is no fork or vfork syscall, glibc uses clone.
    "aarch64": _Arch(
        0xC00000B7,
        {
            "ptrace": 117, "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138,
            "clone": 220, "execve": 221, "rt_tgsigqueueinfo": 240, "process_vm_readv": 270,
            "process_vm_writev": 271, "execveat": 281, "pidfd_send_signal": 424, "clone3": 435,
            "pidfd_getfd": 438,
            "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
            "keyctl": 219, "add_key": 217, "request_key": 218, "perf_event_open": 241, "userfaultfd": 282,
            "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "bpf": 280,
            "kexec_load": 104, "kexec_file_load": 294, "init_module": 105, "finit_module": 273,
            "delete_module": 106, "open_by_handle_at": 265, "name_to_handle_at": 264, "fsopen": 430,
            "fsconfig": 431, "fsmount": 432, "fspick": 433, "move_mount": 429, "open_tree": 428,
            "mount_setattr": 442, "quotactl": 60, "swapon": 224, "swapoff": 225, "reboot": 142, "acct": 89,
            "shmget": 194, "semget": 190, "msgget": 186, "mq_open": 180, "kcmp": 272, "process_madvise": 440,
            "lookup_dcookie": 18,
        },
    ),
}

_DENIED = ("fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
           "tkill", "pidfd_send_signal", "pidfd_getfd", "kcmp", "process_madvise")
# What a pentester tries next, none of which a plot needs: new namespaces (a user namespace brings back every
# capability inside it), mounts, kernel keyrings (per user: they would outlive the job and reach the next),
# SysV and POSIX IPC objects (they outlive the job in the worker's IPC namespace), and the kernel interfaces
# with a long record of privilege escalations (perf, userfaultfd, io_uring, bpf, modules, kexec, handles).
_DENIED_SURFACE = ("unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig",
                   "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr", "keyctl", "add_key",
                   "request_key", "shmget", "semget", "msgget", "mq_open", "perf_event_open", "userfaultfd",
                   "io_uring_setup", "io_uring_enter", "io_uring_register", "bpf", "kexec_load",
                   "kexec_file_load", "init_module", "finit_module", "delete_module", "open_by_handle_at",
                   "name_to_handle_at", "quotactl", "swapon", "swapoff", "reboot", "acct", "iopl", "ioperm",
                   "lookup_dcookie")
# Signal syscalls whose first argument is the target process.
_SIGNALS = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")


def current_arch():
    """The filter's description of this process's syscall ABI, or None where the filter does not apply."""
    if platform.system() != "Linux" or struct.calcsize("P") != 8:
        return None
    machine = platform.machine().lower()
    return _ARCHES.get({"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine))


def _stmt(code, k):
    return (code, 0, 0, k)


def _jump(code, k, jt, jf):
    return (code, jt, jf, k)


def program(arch, pid):
    """The filter as (code, jt, jf, k) instructions, for the job process `pid`."""
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    nr = arch.syscalls
    prog = [
        _stmt(_LD_ABS_W, _ARCH),
        # A foreign ABI (int 0x80 from x86_64) would bypass every rule below.
        _jump(_JEQ, arch.audit, 1, 0),
        _stmt(_RET, eperm),
        _stmt(_LD_ABS_W, _NR),
    ]
    if arch.x32_bit:
        prog += [_jump(_JGE, _X32_SYSCALL_BIT, 0, 1), _stmt(_RET, eperm)]
    for name in _DENIED + _DENIED_SURFACE:
        if name in nr:
            prog += [_jump(_JEQ, nr[name], 0, 1), _stmt(_RET, eperm)]
    prog += [_jump(_JEQ, nr["clone3"], 0, 1), _stmt(_RET, SECCOMP_RET_ERRNO | errno.ENOSYS)]
    prog += [
        _jump(_JEQ, nr["clone"], 0, 4),
        _stmt(_LD_ABS_W, _ARG0_LOW),
        _jump(_JSET, CLONE_THREAD, 0, 1),
        _stmt(_RET, SECCOMP_RET_ALLOW),
        _stmt(_RET, eperm),
    ]
    # kill(0) is the job's own process group (it is a session leader); -pid the same group by number.
    targets = (pid, 0, -pid & 0xFFFFFFFF)
    for name in _SIGNALS:
        prog.append(_jump(_JEQ, nr[name], 0, len(targets) + 3))
        prog.append(_stmt(_LD_ABS_W, _ARG0_LOW))
        for i, target in enumerate(targets):
            prog.append(_jump(_JEQ, target, len(targets) - i, 0))
        prog += [_stmt(_RET, eperm), _stmt(_RET, SECCOMP_RET_ALLOW)]
    prog.append(_stmt(_RET, SECCOMP_RET_ALLOW))
    return prog


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


_libc = None


def prctl(option, arg2, arg3=0):
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    if _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(arg2), ctypes.c_ulong(arg3),
                   ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, "prctl({}): {}".format(option, os.strerror(code)))


def install(pid):
    """Installs the filter in the calling (single-threaded) process; raises OSError if the kernel refuses."""
    arch = current_arch()
    if arch is None:
        raise OSError(errno.ENOSYS, "seccomp filter: unsupported architecture")
    instructions = program(arch, pid)
    filters = (_SockFilter * len(instructions))(*[_SockFilter(*i) for i in instructions])
    fprog = _SockFprog(len(instructions), filters)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


def works():
    """Whether the filter installs here and stops a fork: tried once in a throwaway child at start-up."""
    if current_arch() is None:
        return False
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            install(os.getpid())
            try:
                if os.fork() == 0:
                    os._exit(1)
            except PermissionError:
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
