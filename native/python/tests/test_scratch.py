"""scratch.empty: whatever a job leaves in the sandbox's /tmp is gone before the next job, and nothing else."""
import os
import subprocess
import tempfile
import unittest

import scratch


class ScratchTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="scratch-test-")
        self.outside = tempfile.mkdtemp(prefix="scratch-outside-")
        self.kept = os.path.join(self.outside, "kept.txt")
        with open(self.kept, "w") as f:
            f.write("not the job's")

    def tearDown(self):
        for path in (self.root, self.outside):
            subprocess.run(["chmod", "-R", "u+rwx", path], check=False)
            subprocess.run(["rm", "-rf", path], check=False)

    def test_removes_files_folders_and_locked_folders(self):
        os.makedirs(os.path.join(self.root, "a", "b"))
        with open(os.path.join(self.root, "a", "b", "marker"), "w") as f:
            f.write("secret")
        locked = os.path.join(self.root, "locked", "inner")
        os.makedirs(locked)
        open(os.path.join(locked, "x"), "w").close()
        os.chmod(locked, 0)
        os.chmod(os.path.dirname(locked), 0)
        os.mkfifo(os.path.join(self.root, "fifo"))
        scratch.empty(self.root)
        self.assertEqual(os.listdir(self.root), [])
        self.assertEqual(scratch.leftovers(self.root), [])

    def test_never_follows_a_symlink_out(self):
        os.symlink(self.outside, os.path.join(self.root, "to-dir"))
        os.symlink(self.kept, os.path.join(self.root, "to-file"))
        os.makedirs(os.path.join(self.root, "d"))
        os.symlink(self.outside, os.path.join(self.root, "d", "nested"))
        scratch.empty(self.root)
        self.assertEqual(os.listdir(self.root), [])
        with open(self.kept) as f:
            self.assertEqual(f.read(), "not the job's")

    def _nest(self, depth):
        fd = os.open(self.root, os.O_RDONLY)
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        os.close(fd)

    def test_nested_folders_are_removed(self):
        self._nest(scratch.MAX_DEPTH - 1)
        scratch.empty(self.root)
        self.assertEqual(os.listdir(self.root), [])

    def test_absurd_nesting_is_an_error_not_a_crash(self):
        self._nest(3000)  # deeper than Python's recursion limit and the fd limit
        with self.assertRaises(scratch.ScratchError):
            scratch.empty(self.root)

    def test_too_many_entries_is_an_error_not_a_hang(self):
        old = scratch.MAX_ENTRIES
        scratch.MAX_ENTRIES = 10
        try:
            for i in range(20):
                open(os.path.join(self.root, str(i)), "w").close()
            with self.assertRaises(scratch.ScratchError):
                scratch.empty(self.root)
        finally:
            scratch.MAX_ENTRIES = old


if __name__ == "__main__":
    unittest.main()
