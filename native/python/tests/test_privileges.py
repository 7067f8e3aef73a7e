"""privileges.confine_zygote: never root, no capabilities, not dumpable (checked in a throwaway child)."""
import ctypes
import json
import os
import platform
import unittest

import privileges


def _in_child(drop_to):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        report = {}
        try:
            privileges.confine_zygote(drop_to)
            report = privileges.status()
            report["dumpable"] = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
        except Exception as error:
            report = {"error": "{}: {}".format(type(error).__name__, error)}
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while True:
        chunk = os.read(read, 65536)
        if not chunk:
            break
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    return json.loads(data)


@unittest.skipUnless(platform.system() == "Linux", "Linux capabilities")
class PrivilegesTest(unittest.TestCase):
    def test_ends_with_no_capabilities_and_not_dumpable(self):
        report = _in_child((65534, 65534) if os.geteuid() == 0 else None)
        self.assertNotIn("error", report)
        for name in ("CapInh", "CapPrm", "CapEff", "CapAmb"):
            self.assertEqual(int(report[name], 16), 0, name)
        self.assertEqual(report["dumpable"], 0)
        self.assertNotIn("0", report["Uid"].split())

    @unittest.skipUnless(os.geteuid() == 0, "only root can drop to another uid")
    def test_root_becomes_the_named_ids_with_an_empty_bounding_set(self):
        report = _in_child((65534, 65534))
        self.assertEqual(set(report["Uid"].split()), {"65534"})
        self.assertEqual(set(report["Gid"].split()), {"65534"})
        self.assertEqual(int(report["CapBnd"], 16), 0)

    @unittest.skipUnless(os.geteuid() == 0, "only root can be refused")
    def test_root_without_ids_to_drop_to_is_refused(self):
        report = _in_child(None)
        self.assertIn("PrivilegeError", report.get("error", ""))


if __name__ == "__main__":
    unittest.main()
