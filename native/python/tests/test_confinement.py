"""The seccomp filter and the guards, each tried in a throwaway fork (both are for good once installed)."""
import os
import pickle
import socket
import subprocess
import tempfile
import threading
import unittest

import guards
import seccomp_filter


def in_fork(function):
    """Runs function() in a forked child; returns its result, or fails with what it raised."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            try:
                payload = ("ok", function())
            except BaseException as exc:
                payload = ("error", "{}: {}".format(type(exc).__name__, exc))
            data = pickle.dumps(payload)
            while data:  # os.write, not a file object: the guards refuse to open the pipe for writing
                data = data[os.write(write_end, data):]
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "error":
        raise AssertionError(value)
    return value


def outcome(action):
    """'ok', or the name of the exception `action` raised."""
    try:
        action()
        return "ok"
    except Exception as exc:
        return type(exc).__name__


def write(path):
    with open(path, "w") as f:
        f.write("x")


def read(path):
    with open(path) as f:
        return f.read()


@unittest.skipIf(seccomp_filter.current_arch() is None, "seccomp filter is for Linux x86_64/aarch64")
class SeccompFilterTest(unittest.TestCase):
    def test_the_start_up_probe_finds_it_working(self):
        self.assertTrue(seccomp_filter.works())

    def test_no_processes_no_programs_but_threads(self):
        def confined():
            seccomp_filter.install(os.getpid())
            box = []
            thread = threading.Thread(target=lambda: box.append(1))
            thread.start()
            thread.join()
            return {
                "thread": box,
                "fork": outcome(os.fork),
                "subprocess": outcome(lambda: subprocess.run(["true"])),
                "system": os.system("true"),
                "exec": outcome(lambda: os.execv("/bin/true", ["true"])),
                "signal self": outcome(lambda: os.kill(os.getpid(), 0)),
                "signal parent": outcome(lambda: os.kill(os.getppid(), 0)),
                "signal everyone": outcome(lambda: os.kill(-1, 0)),
            }

        self.assertEqual(in_fork(confined), {
            "thread": [1],
            "fork": "PermissionError",
            "subprocess": "PermissionError",
            "system": 127 << 8,
            "exec": "PermissionError",
            "signal self": "ok",
            "signal parent": "PermissionError",
            "signal everyone": "PermissionError",
        })


class GuardsTest(unittest.TestCase):
    def test_refuses_network_processes_and_writes_outside_the_job_dir(self):
        with tempfile.TemporaryDirectory() as job_dir, tempfile.TemporaryDirectory() as outside:
            def guarded():
                os.chdir(job_dir)
                guards.install(job_dir)
                results = {
                    "write inside": outcome(lambda: write("a.txt")),
                    "mkdir inside": outcome(lambda: os.makedirs(os.path.join(job_dir, "d", "e"))),
                    "rename inside": outcome(lambda: os.rename("a.txt", "b.txt")),
                    "devnull": outcome(lambda: write(os.devnull)),
                    "read outside": outcome(lambda: read(__file__)),
                    "write outside": outcome(lambda: write(os.path.join(outside, "x"))),
                    "os.open outside": outcome(
                        lambda: os.open(os.path.join(outside, "y"), os.O_CREAT | os.O_WRONLY)),
                    "escape by ..": outcome(lambda: write("../escape.txt")),
                    "remove outside": outcome(lambda: os.remove(outside)),
                    "rename out": outcome(lambda: os.rename("b.txt", os.path.join(outside, "b.txt"))),
                    "mkdir outside": outcome(lambda: os.mkdir(os.path.join(outside, "d"))),
                    "subprocess": outcome(lambda: subprocess.run(["true"])),
                    "system": outcome(lambda: os.system("true")),
                    "fork": outcome(os.fork),
                    "kill": outcome(lambda: os.kill(os.getpid(), 0)),
                    "connect": outcome(lambda: socket.create_connection(("127.0.0.1", 9), timeout=1)),
                    "resolve": outcome(lambda: socket.getaddrinfo("localhost", 80)),
                }
                os.symlink(outside, "link")
                results["write through a symlink"] = outcome(lambda: write("link/z"))
                return results

            results = in_fork(guarded)
            self.assertEqual(os.listdir(outside), [])
        allowed = {"write inside", "mkdir inside", "rename inside", "devnull", "read outside"}
        for name, result in results.items():
            self.assertEqual(result, "ok" if name in allowed else "PermissionError", name)


if __name__ == "__main__":
    unittest.main()
