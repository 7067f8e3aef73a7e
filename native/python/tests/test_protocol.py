"""The request side of the line protocol."""
import json
import os
import unittest

import protocol

RENDER = {
    "type": "render", "id": "r1", "code": "x = 1", "mode": "canonical", "width": 800, "height": 600,
    "dpi": 100, "timeoutMs": 1000, "memoryMb": 512, "cpuSeconds": 5, "maxOutputBytes": 1024, "trace": False,
}


class ParseTest(unittest.TestCase):
    def test_accepts_the_engine_requests(self):
        self.assertEqual(protocol.parse(json.dumps(RENDER)), RENDER)
        for request in ({"type": "ping"}, {"type": "shutdown"}, {"type": "cancel", "id": "r1"}):
            self.assertEqual(protocol.parse(json.dumps(request)), request)

    def test_rejects_malformed_lines_with_the_id_when_known(self):
        for line, request_id in (
            (b"not json", None),
            (b"[1]", None),
            (json.dumps({"type": "bogus", "id": "x"}), "x"),
            (json.dumps({"type": "cancel"}), None),
            (json.dumps(dict(RENDER, width=0)), "r1"),
            (json.dumps(dict(RENDER, dpi=True)), "r1"),
            (json.dumps(dict(RENDER, mode="fast")), "r1"),
            (json.dumps(dict(RENDER, trace=1)), "r1"),
            (json.dumps({k: v for k, v in RENDER.items() if k != "code"}), "r1"),
        ):
            with self.assertRaises(protocol.RequestError) as caught:
                protocol.parse(line)
            self.assertEqual(caught.exception.request_id, request_id, line)


class LineChannelTest(unittest.TestCase):
    def setUp(self):
        self.requests_r, self.requests_w = os.pipe()
        self.replies_r, self.replies_w = os.pipe()
        self.channel = protocol.LineChannel(self.requests_r, self.replies_w)

    def tearDown(self):
        for fd in (self.requests_r, self.requests_w, self.replies_r, self.replies_w, self.channel.out_fd):
            try:
                os.close(fd)
            except OSError:
                pass

    def test_lines_split_across_reads_and_several_per_read(self):
        os.write(self.requests_w, b'{"type":"pi')
        self.channel.poll()
        self.assertEqual(self.channel.take_lines(), [])
        os.write(self.requests_w, b'ng"}\n\n{"type":"cancel","id":"a"}\n{"ty')
        self.assertEqual(self.channel.next_line(), b'{"type":"ping"}')
        self.assertEqual(self.channel.take_lines(), [b'{"type":"cancel","id":"a"}'])
        os.close(self.requests_w)
        self.assertIsNone(self.channel.next_line())
        self.assertTrue(self.channel.closed)

    def test_send_writes_one_ascii_json_line_to_the_private_fd(self):
        self.channel.send({"type": "error", "id": None, "message": "naïve ✓"})
        data = os.read(self.replies_r, 1000)
        self.assertTrue(data.endswith(b"\n"))
        self.assertEqual(data.count(b"\n"), 1)
        self.assertEqual(json.loads(data)["message"], "naïve ✓")
        data.decode("ascii")


if __name__ == "__main__":
    unittest.main()
