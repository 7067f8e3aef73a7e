#!/usr/bin/env python3
"""The render worker: a warm Python "zygote" that runs every render job in a fresh, confined fork.

    python3 -s render_worker.py --sandbox bwrap|guards --fonts-dir DIR [--no-seccomp] [--drop-to UID:GID]
                                [--scratch DIR]

With `--sandbox bwrap` the engine has already started this process inside bubblewrap; with `guards` each
job installs in-process audit guards instead. This file prepares the process (environment, a private
matplotlib config folder) before numpy and matplotlib load; zygote.py does the rest.
"""
import argparse
import os
import shutil
import sys
import tempfile

# What must hold before numpy and its BLAS load: one thread (determinism, and nothing to break a fork).
_ENVIRONMENT = {
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}


def main():
    options = _parse_args()
    _pin_environment()
    sys.dont_write_bytecode = True
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path[0] != here:
        sys.path.insert(0, here)
    import protocol

    # Taken before anything else loads: from here on a stray print goes to stderr, not into the protocol.
    channel = protocol.LineChannel()
    # matplotlib's font list cache goes to a private folder, not a predictable one in a shared /tmp.
    config_dir = tempfile.mkdtemp(prefix="codepercept-zygote-")
    os.environ["MPLCONFIGDIR"] = config_dir
    try:
        import zygote  # numpy and matplotlib load here, in the environment set above

        options.config_dir = config_dir
        zygote.run(options, channel)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


def _parse_args():
    parser = argparse.ArgumentParser(description="CodePercept render worker (JSON lines on stdin/stdout)")
    parser.add_argument("--sandbox", choices=("bwrap", "guards"), required=True)
    parser.add_argument("--fonts-dir", required=True)
    parser.add_argument("--no-seccomp", action="store_true", help="jobs without seccomp (diagnosis only)")
    parser.add_argument("--drop-to", type=_ids, default=None, metavar="UID:GID",
                        help="when started as root: the unprivileged ids to serve jobs as")
    parser.add_argument("--scratch", default=None, metavar="DIR",
                        help="the sandbox's private tmpfs, emptied after every job (bwrap mode)")
    return parser.parse_args()


def _ids(text):
    uid, _, gid = text.partition(":")
    if not (uid.isdigit() and gid.isdigit()) or int(uid) == 0:
        raise argparse.ArgumentTypeError("expected UID:GID with a non-zero uid, got {!r}".format(text))
    return int(uid), int(gid)


def _pin_environment():
    """Sets the environment jobs rely on; re-executes once if the hash seed was not fixed at start-up."""
    hash_seed_fixed = os.environ.get("PYTHONHASHSEED") == "0"
    os.environ.update(_ENVIRONMENT)
    if not hash_seed_fixed:
        # The interpreter reads the hash seed only when it starts; set and dict-of-set orders depend on it.
        os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]])


if __name__ == "__main__":
    main()
