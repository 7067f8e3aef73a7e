"""The line protocol with the engine (main/render/workerProtocol.ts): JSON requests in, JSON replies out.

Requests are read from fd 0 with os.read (no Python buffering), so select() on the fd tells the truth while
a job runs and a `cancel` is seen at once. Replies go to a private duplicate of fd 1; fd 1 itself then
points at stderr, so a stray print from a library can never corrupt the protocol.
"""
import json
import os

PROTOCOL_VERSION = 1

_POSITIVE_INTS = ("width", "height", "dpi", "timeoutMs", "memoryMb", "cpuSeconds", "maxOutputBytes")


class RequestError(Exception):
    def __init__(self, message, request_id=None):
        super().__init__(message)
        self.request_id = request_id


class LineChannel:
    def __init__(self, in_fd=0, out_fd=1):
        self.in_fd = in_fd
        self.out_fd = os.dup(out_fd)
        os.dup2(2, out_fd)
        self.closed = False
        self._lines = []
        self._partial = b""

    def fileno(self):
        return self.in_fd

    def poll(self):
        """Reads what is there (blocks if nothing is); complete lines queue up; sets `closed` at EOF."""
        data = os.read(self.in_fd, 1 << 16)
        if not data:
            self.closed = True
            return
        *lines, self._partial = (self._partial + data).split(b"\n")
        self._lines.extend(line for line in lines if line.strip())

    def take_lines(self):
        """The queued lines (a read can bring several, e.g. a render and its cancel)."""
        lines, self._lines = self._lines, []
        return lines

    def next_line(self):
        """The next request line (blocking), or None once the engine has closed stdin."""
        while not self._lines and not self.closed:
            self.poll()
        return self._lines.pop(0) if self._lines else None

    def send(self, message):
        data = (json.dumps(message, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
        view = memoryview(data)
        while view:
            view = view[os.write(self.out_fd, view):]


def parse(line):
    """The request in a line, checked like workerProtocol.ts's schemas; raises RequestError."""
    try:
        request = json.loads(line)
    except ValueError as error:
        raise RequestError("not a JSON line: {}".format(error))
    if not isinstance(request, dict):
        raise RequestError("a request must be a JSON object")
    request_id = request.get("id") if isinstance(request.get("id"), str) else None
    kind = request.get("type")
    if kind in ("ping", "shutdown"):
        return request
    if kind == "cancel":
        if request_id is None:
            raise RequestError("cancel needs a string id")
        return request
    if kind != "render":
        raise RequestError("unknown request type {!r}".format(kind), request_id)
    problems = [name for name in _POSITIVE_INTS if not _positive_int(request.get(name))]
    if request_id is None:
        problems.append("id")
    if not isinstance(request.get("code"), str):
        problems.append("code")
    if request.get("mode") not in ("official", "canonical"):
        problems.append("mode")
    if not isinstance(request.get("trace"), bool):
        problems.append("trace")
    if problems:
        raise RequestError("invalid render request: bad {}".format(", ".join(problems)), request_id)
    return request


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
