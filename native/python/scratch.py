"""The sandbox's only writable place, emptied after every job and checked empty.

In bubblewrap mode the worker's /tmp is a private, size-limited tmpfs, and every other mount is read-only.
A job may write outside its own job dir (anywhere in /tmp), so after each job the zygote removes everything
there, and a job only ever sees what it wrote itself. The walk uses directory fds and never follows a
symlink, so a job's symlink cannot make the zygote touch anything else; folders a job locked (mode 000) are
unlocked first. Mount points (an interpreter installed under /tmp, bound read-only) are left alone.
"""
import os
import stat

# A job that made more entries, or deeper folders, than this gets its worker retired instead: the tmpfs
# goes with the worker. (One open fd per level: the depth also keeps the walk inside the fd limit.)
MAX_ENTRIES = 200_000
MAX_DEPTH = 128


class ScratchError(RuntimeError):
    pass


def empty(root):
    """Removes everything under `root` on its own filesystem; raises ScratchError with what is left."""
    problems = []
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        device = os.fstat(root_fd).st_dev
        count = [0]
        _empty_dir(root_fd, device, root, problems, count)
    finally:
        os.close(root_fd)
    if problems:
        raise ScratchError("{} could not be emptied: {}".format(root, "; ".join(problems[:5])))


def leftovers(root):
    """Names under `root` that are on its filesystem (what `empty` should have removed)."""
    device = os.stat(root).st_dev
    return [name for name in os.listdir(root)
            if os.lstat(os.path.join(root, name)).st_dev == device and not _holds_mount(
                os.path.join(root, name), device)]


def _empty_dir(dir_fd, device, where, problems, count):
    # An explicit stack, not recursion, so the depth check above decides; the job is dead by now, so a
    # folder's listing is taken once.
    stack = [(dir_fd, where, iter(os.listdir(dir_fd)))]
    try:
        while stack:
            fd, path, names = stack[-1]
            name = next(names, None)
            if name is None:
                stack.pop()
                if stack:
                    os.close(fd)
                    _remove_dir(stack[-1][0], os.path.basename(path), device, path, problems)
                continue
            count[0] += 1
            if count[0] > MAX_ENTRIES:
                problems.append("more than {} entries".format(MAX_ENTRIES))
                return
            try:
                info = os.lstat(name, dir_fd=fd)
            except FileNotFoundError:
                continue
            if info.st_dev != device:
                continue  # a mount point: not ours to empty
            if stat.S_ISDIR(info.st_mode):
                if len(stack) > MAX_DEPTH:
                    problems.append("folders nested deeper than {}".format(MAX_DEPTH))
                    return
                child = _open_dir(fd, name, path, problems)
                if child is not None:
                    stack.append((child, os.path.join(path, name), iter(os.listdir(child))))
            else:
                try:
                    os.unlink(name, dir_fd=fd)
                except OSError as error:
                    problems.append("{}: {}".format(os.path.join(path, name), error.strerror))
    finally:
        for fd, _, _ in stack[1:]:
            os.close(fd)


def _holds_mount(path, device):
    """Whether the folder at `path` has a mount point somewhere below it (so it cannot be removed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if info.st_dev != device:
        return True
    if not stat.S_ISDIR(info.st_mode):
        return False
    try:
        names = os.listdir(path)
    except OSError:
        return False
    return any(_holds_mount(os.path.join(path, name), device) for name in names)


def _open_dir(parent_fd, name, path, problems):
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    try:
        return os.open(name, flags, dir_fd=parent_fd)
    except PermissionError:
        try:
            os.chmod(name, 0o700, dir_fd=parent_fd, follow_symlinks=False)
            return os.open(name, flags, dir_fd=parent_fd)
        except (OSError, NotImplementedError) as error:
            problems.append("{}: {}".format(os.path.join(path, name), error))
    except OSError as error:
        problems.append("{}: {}".format(os.path.join(path, name), error.strerror))
    return None


def _remove_dir(parent_fd, name, device, path, problems):
    try:
        os.rmdir(name, dir_fd=parent_fd)
    except OSError as error:
        if not _holds_mount(path, device):
            problems.append("{}: {}".format(path, error.strerror))
