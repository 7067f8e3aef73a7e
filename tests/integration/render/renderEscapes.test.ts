import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderOptionsInput } from '../../../main/api/render';
import { openRenderHarness, SIMPLE_PLOT } from './renderHarness';
import type { RenderHarness } from './renderHarness';

/**
 * The escapes a pentester found (issue 12), each as a job that tries it and prints what happened. Run in
 * bwrap mode as root (CI) and as an unprivileged user (.ci/run runs this file again as one): the job must
 * never be root, hold a capability, reach the zygote's memory, or leave anything for the next job.
 */
const PROBE_PRELUDE = String.raw`
import ctypes, errno, json, os, platform
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
out = {}
def attempt(name, fn):
    try:
        value = fn()
        out[name] = "allowed" if value is None or value >= 0 else "denied:" + errno.errorcode.get(ctypes.get_errno(), "?")
    except OSError as e:
        out[name] = "denied:" + errno.errorcode.get(e.errno, str(e.errno))
def opener(path, mode):
    def go():
        open(path, mode).close()
    return go
def call(*args):
    return lambda: libc.syscall(*[ctypes.c_long(a) for a in args])
`;

const NR: Record<string, Record<string, number>> = {
  x86_64: {
    ptrace: 101,
    unshare: 272,
    mount: 165,
    keyctl: 250,
    add_key: 248,
    perf_event_open: 298,
    userfaultfd: 323,
    io_uring_setup: 425,
    bpf: 321,
    shmget: 29,
    setns: 308,
    process_vm_readv: 310,
  },
  aarch64: {
    ptrace: 117,
    unshare: 97,
    mount: 40,
    keyctl: 219,
    add_key: 217,
    perf_event_open: 241,
    userfaultfd: 282,
    io_uring_setup: 425,
    bpf: 280,
    shmget: 194,
    setns: 268,
    process_vm_readv: 270,
  },
};

describe('sandbox escapes (bwrap mode)', () => {
  let harness: RenderHarness;
  beforeAll(async () => {
    harness = openRenderHarness('bwrap');
    await harness.service.start();
  }, 60_000);
  afterAll(async () => harness.close());

  const render = (code: string, options: RenderOptionsInput = {}) =>
    harness.service.render(code, { timeoutMs: 15_000, ...options }, { useCache: false });
  async function probe(body: string): Promise<Record<string, string>> {
    const outcome = await render(`${PROBE_PRELUDE}${body}\nprint("PROBE" + json.dumps(out))\n`);
    const line = outcome.stdout.split('\n').find((l) => l.startsWith('PROBE'));
    expect(
      line,
      `${outcome.status} ${JSON.stringify(outcome.failure)} ${outcome.stderr.slice(-600)}`,
    ).toBeTruthy();
    return JSON.parse(line!.slice(5)) as Record<string, string>;
  }
  const restarts = () => harness.service.health().workers[0]?.restarts ?? 0;

  it('runs the job as a non-root uid with no capability at all', async () => {
    const seen = await probe(String.raw`
status = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "Uid", "NoNewPrivs"):
    out[k] = status[k].strip()
`);
    expect(harness.service.health().sandbox).toBe('bwrap');
    for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapAmb'])
      expect(BigInt(`0x${seen[cap]}`), cap).toBe(0n);
    if (process.getuid?.() === 0) expect(BigInt(`0x${seen.CapBnd}`)).toBe(0n);
    expect(seen.Uid!.split(/\s+/)).not.toContain('0');
    expect(seen.NoNewPrivs).toBe('1');
  });

  it('cannot write core_pattern or anything else under /proc/sys, /proc, /dev or /', async () => {
    const seen = await probe(String.raw`
for path in ("/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe", "/proc/sys/vm/drop_caches",
             "/proc/self/oom_score_adj", "/proc/sysrq-trigger"):
    attempt("write " + path, opener(path, "w"))
for folder in ("/", "/dev", "/dev/shm", "/run/codepercept/python", "/usr"):
    attempt("create in " + folder, opener(os.path.join(folder, "x"), "w"))
`);
    for (const [what, verdict] of Object.entries(seen)) expect(verdict, what).toMatch(/^denied:/);
  });

  it('cannot open the zygote (its parent) or PID 1, by /proc or by ptrace', async () => {
    const arch = NR[process.arch === 'arm64' ? 'aarch64' : 'x86_64']!;
    const seen = await probe(String.raw`
parent = os.getppid()
out["parent"] = str(parent)
for pid in sorted({parent, 1}):
    for leaf in ("mem", "environ", "maps", "fd/0", "root/etc/hostname", "cwd/x"):
        for mode in ("rb", "r+b"):
            attempt("open /proc/{}/{} {}".format(pid, leaf, mode), opener("/proc/{}/{}".format(pid, leaf), mode))
    attempt("ptrace attach {}".format(pid), call(${arch.ptrace}, 16, pid, 0, 0))
    buf = ctypes.create_string_buffer(64)
    attempt("process_vm_readv {}".format(pid), call(${arch.process_vm_readv}, pid, 0, 0, 0, 0, 0))
attempt("open /proc/self/mem r+b", opener("/proc/self/mem", "r+b"))
`);
    expect(seen.parent).toBe('1'); // the zygote is the namespace's PID 1: no other process to reach
    delete seen.parent;
    for (const [what, verdict] of Object.entries(seen)) expect(verdict, what).toMatch(/^denied:/);
  });

  it('cannot make namespaces, mounts, keys, IPC objects, perf events, userfaultfd, io_uring or bpf', async () => {
    const n = NR[process.arch === 'arm64' ? 'aarch64' : 'x86_64']!;
    const seen = await probe(String.raw`
attempt("unshare user", call(${n.unshare}, 0x10000000))
attempt("unshare mount", call(${n.unshare}, 0x00020000))
attempt("setns", call(${n.setns}, 0, 0))
attempt("mount tmpfs", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))
attempt("keyctl join session", call(${n.keyctl}, 1, 0))
attempt("add_key", lambda: libc.syscall(ctypes.c_long(${n.add_key}), b"user", b"k", b"v", ctypes.c_long(1), ctypes.c_long(-3)))
attempt("perf_event_open", call(${n.perf_event_open}, 0, 0, -1, -1, 0))
attempt("userfaultfd", call(${n.userfaultfd}, 0))
attempt("io_uring_setup", call(${n.io_uring_setup}, 8, 0))
attempt("bpf", call(${n.bpf}, 0, 0, 0))
attempt("shmget", call(${n.shmget}, 0, 1 << 20, 0o1666))
attempt("os.fork", lambda: os.fork())
`);
    for (const [what, verdict] of Object.entries(seen)) expect(verdict, what).toMatch(/^denied:/);
  });

  it('leaves nothing in /tmp for the next job, and frees what it wrote there', async () => {
    const before = restarts();
    const first = await probe(String.raw`
open("/tmp/marker-from-an-earlier-job", "w").write("secret")
os.makedirs("/tmp/locked/inner"); open("/tmp/locked/inner/x", "w").write("secret")
os.chmod("/tmp/locked/inner", 0); os.chmod("/tmp/locked", 0)
os.symlink("/run/codepercept/python", "/tmp/link-out")
written = 0
try:
    for i in range(1000):
        with open("/tmp/fill-{}".format(i), "wb") as f:
            f.write(b"x" * (8 << 20))
        written += 8
except OSError as e:
    out["fill stopped"] = errno.errorcode.get(e.errno, "?")
out["written MB"] = str(written)
for i in range(3):  # room for the harness's own files; the rest stays for the zygote to clear
    os.remove("/tmp/fill-{}".format(i))
`);
    expect(first['fill stopped']).toMatch(/ENOSPC|EFBIG/); // a bounded tmpfs, not the host's RAM
    expect(Number(first['written MB'])).toBeLessThanOrEqual(520);
    const next = await probe(String.raw`
import glob
out["seen"] = json.dumps(sorted(p for p in glob.glob("/tmp/*") + glob.glob("/tmp/.*") if "codepercept-job-" not in p))
st = os.statvfs("/tmp")
out["free MB"] = str(st.f_bavail * st.f_frsize >> 20)
`);
    expect(JSON.parse(next.seen!)).toEqual([]);
    expect(Number(next['free MB'])).toBeGreaterThan(400);
    expect(restarts()).toBe(before);
    const ok = await render(SIMPLE_PLOT);
    expect(ok.status).toBe('ok');
  });

  it('a job whose leftovers cannot be removed retires its worker; the next job gets a fresh one', async () => {
    const before = restarts();
    await probe(String.raw`
os.chdir("/tmp")
for i in range(300):
    os.mkdir("d"); os.chdir("d")
open("marker", "w").write("secret")
`);
    const next = await probe(String.raw`
import glob
out["seen"] = json.dumps(sorted(p for p in glob.glob("/tmp/*") if "codepercept-job-" not in p))
`);
    expect(JSON.parse(next.seen!)).toEqual([]);
    expect(restarts()).toBe(before + 1);
  });
});
