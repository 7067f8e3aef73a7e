"""One render job, in the freshly forked child: confine it, run the user's code, save, trace, classify.

The child reports through files in the job's harness dir (result.json, image.png, stdout, stderr) and ends
with os._exit; the zygote builds the protocol's `result` line from them.
"""
import ast
import builtins
import gc
import json
import linecache
import os
import random
import sys
import traceback

import matplotlib
import matplotlib.pyplot as plt
import numpy

import capture
import classify
import confinement
import fonts
import guards
import save_rules

USER_FILENAME = "<user_code>"
# Freed when the user's code fails, so a MemoryError leaves room to classify it and save what was drawn.
_RESERVE_BYTES = 16 << 20
HARNESS_FAILED = 70


def run(request, paths, setup):
    """Runs the job and exits the process; never returns."""
    status = HARNESS_FAILED
    try:
        confinement.enter(paths, request, setup.zygote_pid, setup.seccomp)
        result = _render(request, paths, setup)
        _write_result(paths.result, result)
        status = 0
    except BaseException:
        try:
            os.write(2, "render harness error:\n{}".format(traceback.format_exc()).encode("utf-8", "replace"))
        except BaseException:
            pass
    finally:
        os._exit(status)


def _render(request, paths, setup):
    limit = request["maxOutputBytes"]
    stdout = capture.BoundedTextStream(capture.OutputBudget(1, limit), "<stdout>")
    stderr = capture.BoundedTextStream(capture.OutputBudget(2, limit), "<stderr>")
    sys.stdout, sys.stderr = stdout, stderr
    sys.stdin = open(os.devnull)
    reset_matplotlib(setup.font_families)

    notes = []
    result = _execute(request, paths, setup, notes)
    result.update(notes=notes, stdoutDropped=stdout.budget.dropped > 0,
                  stderrDropped=stderr.budget.dropped > 0)
    return result


def reset_matplotlib(font_families):
    """Every job starts from matplotlib's defaults and the bundled fonts, whatever /etc/matplotlibrc set."""
    matplotlib.rcdefaults()
    matplotlib.use("Agg")
    matplotlib.rcParams.update(fonts.rc_settings(font_families))
    matplotlib.rcParams["svg.hashsalt"] = "codepercept"
    random.seed(0)
    numpy.random.seed(0)
    plt.close("all")
    plt.show = lambda *args, **kwargs: None


def _execute(request, paths, setup, notes):
    code = request["code"]
    if not code.strip():
        return _outcome("no_code", classify.failure("The code is empty."))
    official = request["mode"] == "official"
    try:
        tree = (save_rules.official_tree(code, USER_FILENAME, paths.image) if official
                else ast.parse(code, USER_FILENAME))
        program = compile(tree, USER_FILENAME, "exec", dont_inherit=True)
    except Exception as exc:  # SyntaxError, or ValueError for NUL bytes, RecursionError for absurd nesting
        return _outcome(*classify.compile_failure(exc))
    lines = code.splitlines(True)
    linecache.cache[USER_FILENAME] = (len(code), None, lines, USER_FILENAME)

    recorder = save_rules.SaveRecorder(redirect=not official, output_path=paths.image)
    recorder.install()
    tracing = setup.tracer is not None and request["trace"] and _guarded(
        notes, "tracer hook", setup.tracer.install_creation_hook, USER_FILENAME)[0]
    namespace = _script_namespace(paths.root, code)
    if setup.sandbox == "guards":
        guards.install(paths.root)

    status, failure = _run_user_code(program, namespace, len(lines))
    figure = recorder.figure
    if not official:
        figure, status, failure = _save_canonical(
            recorder, request, paths, status, failure, len(lines), notes)
    has_image = os.path.exists(paths.image)

    trace = _trace(setup.tracer, figure, notes) if tracing and has_image and figure is not None else None
    if failure is not None:
        return _outcome(status, failure, partial=has_image, trace=trace)
    if not has_image:
        what = "saved no figure" if official else "drew no figure"
        return _outcome("no_image", classify.failure("The code ran but {}.".format(what)))
    checked, image_status = _guarded(notes, "blank check", classify.image_status, paths.image)
    if checked and image_status == "blank_image":
        blank = classify.failure("Every pixel of the image is the same colour.")
        return _outcome("blank_image", blank, trace=trace)
    return _outcome("ok", None, trace=trace)


def _script_namespace(job_dir, code):
    """The globals, argv and sys.path[0] the code would see if it were run as `python3 user_code.py`."""
    script = os.path.join(job_dir, "user_code.py")
    with open(script, "w", encoding="utf-8", errors="replace") as f:
        f.write(code)
    sys.argv = [script]  # not the worker's own arguments: argparse in user code must see none
    sys.path[0] = job_dir
    return {"__name__": "__main__", "__file__": script, "__builtins__": builtins}


def _run_user_code(program, namespace, line_count):
    """(status, failure) of running the code; (None, None) for a normal end."""
    reserve = bytearray(_RESERVE_BYTES)
    try:
        exec(program, namespace)
        return None, None
    except BaseException as exc:
        del reserve
        if classify.is_normal_exit(exc):
            return None, None
        status, failure = classify.exception_failure(exc, USER_FILENAME, line_count)
    if status == "memory":
        # The traceback (and the frames it held) went with `exc`; the globals go now, so that what was drawn
        # can still be saved.
        namespace.clear()
        gc.collect()
    return status, failure


def _save_canonical(recorder, request, paths, status, failure, line_count, notes):
    """Saves the figure last passed to savefig, else the current one; returns (figure, status, failure)."""
    figure = recorder.figure
    if figure is None and plt.get_fignums():
        figure = plt.gcf()
    # After a failure, only a figure that shows something is worth keeping as a partial render.
    if figure is None or (failure is not None and not _has_content(figure)):
        return figure, status, failure
    try:
        recorder.save_canonical(figure, paths.image, request["width"], request["height"], request["dpi"])
    except BaseException as exc:
        # Drawing is where bad data in a figure surfaces (the official rule meets it in its save line).
        if failure is None:
            status, failure = classify.exception_failure(exc, USER_FILENAME, line_count)
        else:
            notes.append("saving the partial figure failed: {}: {}".format(type(exc).__name__, exc))
    return figure, status, failure


def _has_content(figure):
    return any(artist is not figure.patch for artist in figure.get_children())


def _trace(tracer, figure, notes):
    traced, trace = _guarded(notes, "trace", tracer.trace_figure, figure, USER_FILENAME)
    if not traced:
        return None
    try:
        json.dumps(trace, allow_nan=False)
    except (TypeError, ValueError) as exc:
        notes.append("trace is not valid JSON, dropped: {}".format(exc))
        return None
    return trace


def _guarded(notes, what, function, *args):
    """(True, function(*args)), or (False, None) and a note for stderr: the render never fails for these."""
    try:
        return True, function(*args)
    except Exception as exc:
        notes.append("{} failed: {}: {}".format(what, type(exc).__name__, exc))
        return False, None


def _outcome(status, failure, partial=False, trace=None):
    return {"status": status, "failure": failure, "partial": partial, "trace": trace}


def _write_result(path, result):
    """Writes result.json atomically; a trace too big to write (or for the zygote to read) is dropped."""
    try:
        text = json.dumps(result)
        if len(text) > capture.MAX_RESULT_BYTES:
            raise ValueError("{} bytes".format(len(text)))
        _write_atomic(path, text)
    except (OSError, MemoryError, ValueError) as exc:
        result.update(trace=None)
        result["notes"].append("the trace was dropped, the result was too large: {}".format(exc))
        _write_atomic(path, json.dumps(result))


def _write_atomic(path, text):
    temporary = path + ".part"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)
