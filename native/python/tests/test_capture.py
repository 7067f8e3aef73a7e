"""Bounded job output and reading back what a job left."""
import os
import tempfile
import time
import unittest

import capture


class BoundedStreamTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.folder.name, "out")
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    def tearDown(self):
        os.close(self.fd)
        self.folder.cleanup()

    def stream(self, limit):
        return capture.BoundedTextStream(capture.OutputBudget(self.fd, limit), "<stdout>")

    def written(self):
        with open(self.path, "rb") as f:
            return f.read()

    def test_keeps_everything_under_the_limit(self):
        stream = self.stream(100)
        print("hello", "world", file=stream)
        stream.buffer.write(b"bytes\n")
        self.assertEqual(self.written(), b"hello world\nbytes\n")
        self.assertEqual(stream.budget.dropped, 0)

    def test_keeps_the_first_bytes_and_counts_the_rest(self):
        stream = self.stream(10)
        self.assertEqual(stream.write("0123456"), 7)
        stream.write("789abcdef")
        stream.buffer.write(b"more")
        self.assertEqual(self.written(), b"0123456789")
        self.assertGreater(stream.budget.dropped, 0)

    def test_cuts_utf8_at_the_byte_limit(self):
        stream = self.stream(5)
        stream.write("ééé")  # 6 bytes
        self.assertEqual(self.written(), "éé".encode() + b"\xc3")
        self.assertEqual(capture.read_prefix(self.path, 5), ("éé\ufffd", False))

    def test_a_hundred_megabytes_of_prints_is_fast_and_cheap(self):
        stream = self.stream(64 * 1024)
        chunk = "x" * 10**6
        started = time.monotonic()
        for _ in range(100):
            stream.write(chunk)
        for _ in range(10**5):
            print("line", file=stream)
        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual(os.path.getsize(self.path), 64 * 1024)

    def test_behaves_like_a_text_stream(self):
        stream = self.stream(10)
        self.assertTrue(stream.writable())
        self.assertFalse(stream.isatty())
        self.assertEqual(stream.fileno(), self.fd)
        self.assertEqual(stream.encoding, "utf-8")
        with self.assertRaises(TypeError):
            stream.write(b"bytes")


class ReadBackTest(unittest.TestCase):
    def test_read_prefix_reports_more(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"abcdef")
            f.flush()
            self.assertEqual(capture.read_prefix(f.name, 4), ("abcd", True))
            self.assertEqual(capture.read_prefix(f.name, 6), ("abcdef", False))
        self.assertEqual(capture.read_prefix("/nonexistent/x", 4), ("", False))

    def test_read_png_needs_a_complete_file(self):
        import io

        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        buffer = io.BytesIO()
        Figure(figsize=(1.5, 0.5)).savefig(buffer, format="png", dpi=100)
        data = buffer.getvalue()
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "x.png")
            with open(path, "wb") as f:
                f.write(data)
            self.assertEqual(capture.read_png(path), (data, 150, 50))
            with open(path, "wb") as f:
                f.write(data[:-20])  # torn: the job died while writing
            self.assertIsNone(capture.read_png(path))
            self.assertIsNone(capture.read_png(os.path.join(folder, "missing.png")))


if __name__ == "__main__":
    unittest.main()
