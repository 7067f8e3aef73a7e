"""What a job leaves behind, bounded: its stdout and stderr, and the PNG it rendered."""
import io
import os
import stat
import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"
# The zygote reads these whole and has no memory limit of its own. A job cannot write a file bigger than
# FILE_SIZE_LIMIT (its RLIMIT_FSIZE), which fits the largest canonical PNG (8192×8192 RGBA).
FILE_SIZE_LIMIT = 256 << 20
MAX_RESULT_BYTES = 32 << 20


class OutputBudget:
    """Passes the first `limit` bytes to a file descriptor and only counts the rest.

    Writing straight to the job's output file (not to memory) keeps Python prints in order with what C code
    writes to the same fd, and keeps them when the job later dies of a signal.
    """

    def __init__(self, fd, limit):
        self.fd = fd
        self.room = limit
        self.dropped = 0

    def take(self, data):
        """Writes what fits of `data` (bytes)."""
        if self.room <= 0:
            self.dropped += len(data)
            return
        kept = data[: self.room]
        self.room -= len(kept)
        self.dropped += len(data) - len(kept)
        view = memoryview(kept)
        try:
            while view:
                view = view[os.write(self.fd, view):]
        except OSError:  # EFBIG (file size limit) or a full disk: the rest is lost, not the job
            self.dropped += len(view)
            self.room = 0

    def count(self, size):
        """Counts output dropped unseen (in characters: only "was anything dropped" matters)."""
        self.dropped += size


class BoundedTextStream(io.TextIOBase):
    """sys.stdout / sys.stderr for a job: 100 MB of prints cost a counter, not memory or disk."""

    encoding = "utf-8"
    errors = "backslashreplace"

    def __init__(self, budget, name):
        super().__init__()
        self.budget = budget
        self.name = name
        self.buffer = BoundedBinaryStream(budget)

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self.budget.fd

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not {}".format(type(s).__name__))
        # Encode at most what can still be kept: a 100 MB string must not be copied to be dropped.
        room = max(self.budget.room, 0)
        if room:
            self.budget.take(s[:room].encode("utf-8", self.errors))
        if len(s) > room:
            self.budget.count(len(s) - room)
        return len(s)


class BoundedBinaryStream(io.RawIOBase):
    """sys.stdout.buffer for code that writes bytes."""

    def __init__(self, budget):
        super().__init__()
        self.budget = budget

    def writable(self):
        return True

    def fileno(self):
        return self.budget.fd

    def write(self, b):
        data = bytes(b)
        self.budget.take(data)
        return len(data)


def _open_plain_file(path):
    """The job's file opened for reading, or None if it is missing or not a plain file.

    The job could have swapped its files: a FIFO must not hang the zygote, nor a symlink make it read
    something else.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        return None
    return f


def read_prefix(path, limit):
    """(first `limit` bytes of a job output file decoded as UTF-8, whether there was more)."""
    f = _open_plain_file(path)
    if f is None:
        return "", False
    with f:
        data = f.read(limit)
        size = os.fstat(f.fileno()).st_size
    return data.decode("utf-8", "replace"), size > len(data)


def read_whole(path, limit):
    """A job file's bytes, or None if it is missing, not a plain file, or over `limit` bytes."""
    f = _open_plain_file(path)
    if f is None:
        return None
    with f:
        data = f.read(limit + 1)
    return data if len(data) <= limit else None


def read_png(path):
    """(bytes, width, height) of a complete PNG file, or None when there is none (or only a torn one)."""
    data = read_whole(path, FILE_SIZE_LIMIT)
    if data is None or len(data) < 33 or not data.startswith(PNG_SIGNATURE) or not data.endswith(_PNG_END):
        return None
    width, height = struct.unpack(">II", data[16:24])
    return data, width, height
