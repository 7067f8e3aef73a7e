"""End to end: render_worker.py as the engine runs it (guards mode here), over the line protocol."""
import base64
import io
import json
import os
import subprocess
import sys
import time
import unittest

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "..", "render_worker.py")
FONTS = os.path.join(HERE, "..", "..", "..", "resources", "fonts")
SIMPLE_PLOT = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\n"


class RenderWorkerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.worker = subprocess.Popen(
            # As root the engine always names the ids to drop to; the worker refuses to serve jobs as root.
            [sys.executable, WORKER, "--sandbox", "guards", "--fonts-dir", FONTS]
            + (["--drop-to", "65534:65534"] if os.geteuid() == 0 else []),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"},
        )
        cls.ready = cls.read()
        cls.jobs = 0

    @classmethod
    def tearDownClass(cls):
        cls.send({"type": "shutdown"})
        cls.worker.wait(10)
        cls.worker.stdin.close()
        cls.worker.stdout.close()

    @classmethod
    def send(cls, message):
        line = message if isinstance(message, bytes) else json.dumps(message).encode()
        cls.worker.stdin.write(line + b"\n")
        cls.worker.stdin.flush()

    @classmethod
    def read(cls):
        line = cls.worker.stdout.readline()
        if not line:
            raise AssertionError("the worker closed stdout (exit code {})".format(cls.worker.poll()))
        return json.loads(line)

    def start(self, code, **options):
        RenderWorkerTest.jobs += 1
        request = {
            "type": "render", "id": "job-{}".format(self.jobs), "code": code, "mode": "canonical",
            "width": 400, "height": 300, "dpi": 100, "timeoutMs": 10000, "memoryMb": 1024, "cpuSeconds": 15,
            "maxOutputBytes": 4096, "trace": True,
        }
        request.update(options)
        self.send(request)
        return request["id"]

    def result(self, job_id):
        message = self.read()
        self.assertEqual((message["type"], message.get("id")), ("result", job_id), message)
        return message

    def render(self, code, **options):
        return self.result(self.start(code, **options))

    def assertStatus(self, result, status):
        self.assertEqual(result["status"], status, json.dumps({k: result[k] for k in ("failure", "stderr")}))

    def image(self, result):
        return Image.open(io.BytesIO(base64.b64decode(result["png"])))

    def test_ready_line(self):
        self.assertEqual(self.ready["type"], "ready")
        self.assertEqual(self.ready["protocol"], 1)
        self.assertEqual(self.ready["sandbox"], "guards")
        self.assertIsInstance(self.ready["seccomp"], bool)
        self.assertIn("DejaVu Sans", self.ready["fonts"])
        for key in ("rendererVersion", "python", "executable", "matplotlib", "numpy"):
            self.assertIsInstance(self.ready[key], str)

    def test_ok_canonical_render_has_exactly_the_requested_size(self):
        result = self.render(SIMPLE_PLOT + "print('hi')\n", width=333, height=217)
        self.assertStatus(result, "ok")
        self.assertEqual((result["width"], result["height"]), (333, 217))
        self.assertEqual(self.image(result).size, (333, 217))
        self.assertEqual((result["stdout"], result["partial"], result["exitCode"]), ("hi\n", False, 0))
        self.assertTrue(result["trace"] is None or isinstance(result["trace"], dict))
        self.assertGreater(result["durationMs"], 0)

    def test_canonical_renders_are_byte_identical(self):
        code = ("import numpy as np\nimport random\nimport matplotlib.pyplot as plt\n"
                "x = np.random.rand(50)\nplt.scatter(x, x ** 2, s=random.random() * 50)\n"
                "plt.title(r'seeded: $\\alpha^2$')\nplt.savefig('ignored.png', dpi=30)\n")
        first, second = self.render(code), self.render(code)
        self.assertStatus(first, "ok")
        self.assertEqual(first["png"], second["png"])
        self.assertEqual(first["trace"], second["trace"])

    def test_official_rule_saves_at_300_dpi(self):
        code = ("import matplotlib.pyplot as plt\nplt.figure(figsize=(2, 1))\nplt.plot([0, 1])\n"
                "plt.savefig('a.png')\n")
        result = self.render(code, mode="official")
        self.assertStatus(result, "ok")
        self.assertEqual((result["width"], result["height"]), (600, 300))

    def test_syntax_error_line(self):
        result = self.render("import matplotlib.pyplot as plt\nplt.plot([1, 2]\nx = 1\n")
        self.assertStatus(result, "syntax_error")
        self.assertEqual(result["failure"]["line"], 2)

    def test_import_error_module(self):
        result = self.render("import numpy\nimport no_such_module_xyz as m\n")
        self.assertStatus(result, "import_error")
        self.assertEqual((result["failure"]["module"], result["failure"]["line"]), ("no_such_module_xyz", 2))

    def test_runtime_error_type_line_and_partial_image(self):
        result = self.render(SIMPLE_PLOT + "def f():\n    return {}['k']\n\nf()\n")
        self.assertStatus(result, "runtime_error")
        failure = result["failure"]
        self.assertEqual((failure["type"], failure["line"]), ("KeyError", 4))
        self.assertEqual(failure["frame"], {"function": "f", "line": 4})
        self.assertTrue(result["partial"])
        self.assertEqual(self.image(result).size, (400, 300))

    def test_official_line_numbers_after_an_inserted_save(self):
        result = self.render(SIMPLE_PLOT + "plt.show()\nundefined_name\n", mode="official")
        self.assertStatus(result, "runtime_error")
        self.assertEqual((result["failure"]["type"], result["failure"]["line"]), ("NameError", 4))
        self.assertTrue(result["partial"])

    def test_timeout_then_the_worker_goes_on(self):
        started = time.monotonic()
        result = self.render("while True:\n    pass\n", timeoutMs=1000)
        self.assertStatus(result, "timeout")
        self.assertGreaterEqual(result["durationMs"], 1000)
        self.assertLess(time.monotonic() - started, 5)
        self.assertStatus(self.render(SIMPLE_PLOT), "ok")

    def test_cancel_while_a_job_runs(self):
        job_id = self.start("import time\ntime.sleep(30)\n", timeoutMs=60000)
        time.sleep(0.3)
        self.send({"type": "ping"})
        self.assertEqual(self.read(), {"type": "pong"})
        cancelled = time.monotonic()
        self.send({"type": "cancel", "id": job_id})
        result = self.result(job_id)
        self.assertLess(time.monotonic() - cancelled, 2)
        self.assertStatus(result, "killed")
        self.assertEqual(result["failure"]["message"], "cancelled")
        self.assertStatus(self.render(SIMPLE_PLOT), "ok")

    def test_blank_and_no_image(self):
        self.assertStatus(self.render("import matplotlib.pyplot as plt\nplt.figure()\n"), "blank_image")
        self.assertStatus(self.render("x = sum(range(10))\n"), "no_image")
        self.assertStatus(self.render("x = sum(range(10))\n", mode="official"), "blank_image")
        self.assertStatus(self.render(" \n\t\n"), "no_code")

    def test_output_is_bounded(self):
        result = self.render("for _ in range(1000):\n    print('x' * 1000)\n" + SIMPLE_PLOT)
        self.assertStatus(result, "ok")
        self.assertTrue(result["stdoutTruncated"])
        self.assertEqual(len(result["stdout"]), 4096)

    def test_process_and_file_guards(self):
        result = self.render("import subprocess\nsubprocess.run(['true'])\n")
        self.assertStatus(result, "runtime_error")
        self.assertEqual((result["failure"]["type"], result["failure"]["line"]), ("PermissionError", 2))
        result = self.render("open('/tmp/codepercept-worker-test-escape', 'w')\n")
        self.assertStatus(result, "runtime_error")
        self.assertFalse(os.path.exists("/tmp/codepercept-worker-test-escape"))

    def test_malformed_lines_get_an_error_and_the_worker_goes_on(self):
        self.send(b"{not json")
        self.assertEqual(self.read()["type"], "error")
        self.send({"type": "render", "id": "bad"})
        error = self.read()
        self.assertEqual((error["type"], error["id"]), ("error", "bad"))
        self.assertIn("invalid render request", error["message"])
        self.assertStatus(self.render(SIMPLE_PLOT), "ok")


if __name__ == "__main__":
    unittest.main()
