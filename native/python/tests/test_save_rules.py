"""The official STEM2Code save rule and the canonical save, run on real matplotlib."""
import ast
import os
import tempfile
import textwrap
import traceback
import unittest

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import save_rules  # noqa: E402

USER = "<user_code>"
OUT = "/job/output.png"


def transformed(source):
    return save_rules.official_tree(textwrap.dedent(source), USER, OUT)


def saves(tree):
    """(line, column, enclosing function or None) of every save to OUT."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef) else function
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
                    and child.func.attr == "savefig" and child.args
                    and isinstance(child.args[0], ast.Constant) and child.args[0].value == OUT):
                found.append((child.lineno, child.col_offset, function))
            visit(child, inner)

    visit(tree, None)
    return found


def line_of_error(source):
    """The line a ZeroDivisionError in the transformed code is reported at (its save really runs)."""
    with tempfile.TemporaryDirectory() as folder:
        tree = save_rules.official_tree(textwrap.dedent(source), USER, os.path.join(folder, "out.png"))
        try:
            exec(compile(tree, USER, "exec"), {"__name__": "__main__"})
        except ZeroDivisionError as error:
            return traceback.extract_tb(error.__traceback__)[-1].lineno
        finally:
            plt.close("all")
    raise AssertionError("no error raised")


class OfficialRuleTest(unittest.TestCase):
    def test_replaces_the_first_savefig_and_keeps_dpi_300(self):
        tree = transformed("""\
            import matplotlib.pyplot as plt
            plt.plot([1, 2])
            plt.savefig('first.png', dpi=72)
            plt.savefig('second.png')
        """)
        self.assertEqual(saves(tree), [(3, 0, None)])
        code = ast.unparse(tree)
        self.assertIn("plt.savefig({!r}, dpi=300)".format(OUT), code)
        self.assertNotIn("first.png", code)
        self.assertIn("second.png", code)

    def test_replaces_a_multi_line_savefig_whole_and_keeps_later_line_numbers(self):
        source = """\
            import matplotlib.pyplot as plt
            fig = plt.figure()
            fig.savefig(
                'out.png',
                bbox_inches='tight',
            )
            x = 1 / 0
        """
        tree = transformed(source)
        self.assertEqual(saves(tree), [(3, 0, None)])
        self.assertNotIn("bbox_inches", ast.unparse(tree))
        self.assertEqual(line_of_error(source), 7)

    def test_replaces_a_savefig_indented_inside_a_function(self):
        tree = transformed("""\
            import matplotlib.pyplot as plt

            def draw():
                fig, ax = plt.subplots()
                ax.plot([1, 2])
                fig.savefig('inside.png')
                return fig

            draw()
        """)
        self.assertEqual(saves(tree), [(6, 4, "draw")])

    def test_inserts_the_save_before_the_first_show_at_its_indentation(self):
        source = """\
            import matplotlib.pyplot as plt
            for i in range(1):
                plt.plot([1, 2])
                plt.show()
            plt.show()
            1 / 0
        """
        tree = transformed(source)
        self.assertEqual(saves(tree), [(4, 4, None)])
        loop = tree.body[1]
        self.assertEqual([type(s).__name__ for s in loop.body], ["Expr", "Expr", "Expr"])
        self.assertEqual(line_of_error(source), 6)

    def test_a_show_after_a_colon_gets_the_save_before_the_whole_line(self):
        tree = transformed("""\
            import matplotlib.pyplot as plt
            plt.plot([1])
            if False: plt.show()
        """)
        self.assertEqual(saves(tree), [(3, 0, None)])
        self.assertIsInstance(tree.body[2], ast.Expr)
        self.assertIsInstance(tree.body[3], ast.If)

    def test_only_the_savefig_statement_is_replaced_on_a_shared_line(self):
        code = ast.unparse(transformed("import matplotlib.pyplot as plt\nx = 1; plt.savefig('a.png')\n"))
        self.assertIn("x = 1", code)
        self.assertNotIn("a.png", code)

    def test_appends_the_save_after_the_last_line_otherwise(self):
        source = "import matplotlib.pyplot as plt\nplt.plot([1])\n"
        tree = transformed(source)
        self.assertEqual(saves(tree), [(3, 0, None)])
        self.assertEqual(tree.body[-1].value.func.attr, "savefig")

    def test_uses_plt_only_when_the_code_imported_pyplot_as_plt(self):
        self.assertIn("plt.savefig(", ast.unparse(transformed("import matplotlib.pyplot as plt\n")))
        for source in ("import matplotlib.pyplot as pp\npp.plot([1])\n", "x = 1\n"):
            code = ast.unparse(transformed(source))
            self.assertIn("__import__('matplotlib.pyplot').pyplot.savefig(", code)

    def test_the_save_really_writes_the_image(self):
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, "out.png")
            tree = save_rules.official_tree(
                "import matplotlib.pyplot as plt\nplt.figure(figsize=(2, 1))\nplt.savefig('x.png')\n",
                USER, out)
            exec(compile(tree, USER, "exec"), {"__name__": "__main__"})
            plt.close("all")
            with open(out, "rb") as f:
                header = f.read(24)
        self.assertEqual(int.from_bytes(header[16:20], "big"), 600)
        self.assertEqual(int.from_bytes(header[20:24], "big"), 300)

    def test_syntax_errors_surface_like_compile(self):
        with self.assertRaises(SyntaxError) as caught:
            transformed("plt.plot([1, 2]\nx = 1\n")
        self.assertEqual(caught.exception.lineno, 1)


class CanonicalSaveTest(unittest.TestCase):
    def setUp(self):
        self.recorder = save_rules.SaveRecorder(redirect=True)
        self.recorder.install()

    def tearDown(self):
        Figure.savefig = self.recorder.original
        plt.close("all")

    def test_savefig_to_a_path_is_recorded_not_written(self):
        with tempfile.TemporaryDirectory() as folder:
            first, second = plt.figure(), plt.figure()
            first.savefig(os.path.join(folder, "a.png"))
            plt.figure(second.number)
            plt.savefig(os.path.join(folder, "b.png"))
            self.assertEqual(os.listdir(folder), [])
        self.assertIs(self.recorder.figure, second)

    def test_saves_exactly_the_requested_pixels(self):
        figure = plt.figure(figsize=(3, 2))
        plt.plot([1, 2, 3])
        with tempfile.TemporaryDirectory() as folder:
            for width, height, dpi in ((333, 217, 100), (29, 57, 100), (1001, 55, 300), (16, 16, 10)):
                path = os.path.join(folder, "x.png")
                self.recorder.save_canonical(figure, path, width, height, dpi)
                with open(path, "rb") as f:
                    header = f.read(24)
                size = (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big"))
                self.assertEqual(size, (width, height))

    def test_inches_are_exact_for_every_size(self):
        for dpi in (72, 100, 150, 300):
            for pixels in range(16, 4097):
                self.assertEqual(int(save_rules._inches(pixels, dpi) * dpi), pixels, (pixels, dpi))


if __name__ == "__main__":
    unittest.main()
