"""The failure taxonomy: statuses, user lines and frames."""
import os
import tempfile
import unittest

import classify

USER = "<user_code>"


def failure_of(source):
    """(status, failure) of running `source` compiled as the user's file."""
    try:
        exec(compile(source, USER, "exec"), {"__name__": "__main__"})
    except BaseException as exc:
        return classify.exception_failure(exc, USER, len(source.splitlines()))
    raise AssertionError("no exception")


class ExceptionFailureTest(unittest.TestCase):
    def test_runtime_error_reports_the_innermost_user_frame(self):
        status, failure = failure_of("def f(x):\n    return 1 / x\n\nf(0)\n")
        self.assertEqual(status, "runtime_error")
        self.assertEqual(failure["type"], "ZeroDivisionError")
        self.assertEqual(failure["message"], "division by zero")
        self.assertEqual(failure["line"], 2)
        self.assertEqual(failure["frame"], {"function": "f", "line": 2})

    def test_errors_inside_libraries_point_at_the_users_call(self):
        status, failure = failure_of("import json\n\njson.loads('{')\n")
        self.assertEqual((status, failure["type"], failure["line"]), ("runtime_error", "JSONDecodeError", 3))

    def test_import_error_names_the_module(self):
        status, failure = failure_of("import numpy\nimport no_such_module_here\n")
        self.assertEqual(status, "import_error")
        self.assertEqual((failure["module"], failure["line"]), ("no_such_module_here", 2))
        status, failure = failure_of("from os import no_such_name\n")
        self.assertEqual((status, failure["module"]), ("import_error", "os"))

    def test_memory_error_is_memory(self):
        status, failure = failure_of("raise MemoryError()\n")
        self.assertEqual((status, failure["type"], failure["line"]), ("memory", "MemoryError", 1))

    def test_system_exit(self):
        status, failure = failure_of("import sys\nsys.exit(3)\n")
        self.assertEqual((status, failure["type"], failure["line"]), ("runtime_error", "SystemExit", 2))
        self.assertEqual(failure["message"], "exit code 3")
        for code in (None, 0):
            self.assertTrue(classify.is_normal_exit(SystemExit(code)))
        self.assertFalse(classify.is_normal_exit(SystemExit("bye")))

    def test_lines_past_the_users_code_belong_to_nobody(self):
        source = "x = 1\n"
        try:
            exec(compile(source + "1 / 0\n", USER, "exec"), {})
        except ZeroDivisionError as exc:
            status, failure = classify.exception_failure(exc, USER, 1)
        self.assertEqual((status, failure["line"], failure["frame"]), ("runtime_error", None, None))

    def test_a_hostile_str_does_not_break_classification(self):
        source = "class E(Exception):\n    def __str__(self):\n        raise ValueError\n\nraise E()\n"
        status, failure = failure_of(source)
        self.assertEqual((status, failure["message"]), ("runtime_error", "<unprintable E>"))

    def test_huge_messages_are_cut(self):
        _, failure = failure_of("raise ValueError('x' * 100000)\n")
        self.assertLess(len(failure["message"]), 5000)


class CompileFailureTest(unittest.TestCase):
    def test_syntax_error_line(self):
        try:
            compile("x = 1\nplt.plot([1, 2]\ny = 2\n", USER, "exec")
        except SyntaxError as exc:
            status, failure = classify.compile_failure(exc)
        self.assertEqual((status, failure["type"], failure["line"]), ("syntax_error", "SyntaxError", 2))

    def test_indentation_error(self):
        try:
            compile("if True:\npass\n", USER, "exec")
        except SyntaxError as exc:
            status, failure = classify.compile_failure(exc)
        self.assertEqual((status, failure["type"], failure["line"]), ("syntax_error", "IndentationError", 2))


class ImageStatusTest(unittest.TestCase):
    def test_blank_and_drawn_images(self):
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        with tempfile.TemporaryDirectory() as folder:
            blank, drawn = os.path.join(folder, "blank.png"), os.path.join(folder, "drawn.png")
            Figure(figsize=(2, 2)).savefig(blank)
            figure = Figure(figsize=(2, 2))
            figure.add_subplot().plot([0, 1])
            figure.savefig(drawn)
            self.assertEqual(classify.image_status(blank), "blank_image")
            self.assertEqual(classify.image_status(drawn), "ok")


if __name__ == "__main__":
    unittest.main()
