#!/usr/bin/env python3
"""Benchmarks for release-linker, side by side with what users run today.

Every number comes from one run on this machine; the results land in Benchmarks/results/<name>.md as a
Markdown table with the machine and the date. Nothing here is a test: nothing asserts a time.

    python3 Benchmarks/bench.py publish   # N links on an empty release, then a re-run, vs curl and python-gitlab
    python3 Benchmarks/bench.py release   # a new release with its links; a 200-link publish under a rate limit
    python3 Benchmarks/bench.py scan      # archives and directories vs bsdtar -tvf / find
    python3 Benchmarks/bench.py startup   # --version and a one-file scan; binary size; linked libraries
    python3 Benchmarks/bench.py upload    # 1 GiB and 4 GiB to the generic package registry, vs curl --upload-file
    python3 Benchmarks/bench.py concurrent   # two publishes of the same job at once, N = 1,000 and 3,000
    python3 Benchmarks/bench.py scan-memory  # peak memory of scan, text against JSON, 1,000,000 entries
    python3 Benchmarks/bench.py soak      # 10,000 links and 200 uploads through random faults, re-run until done
    python3 Benchmarks/bench.py all

Build the release binaries first (`make bench` does): `swift build -c release`.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "Benchmarks", "results")
TOKEN = "bench-job-token"
PROJECT_ID = 20
PROJECT_PATH = "mynamespace/hello"
TAG = "v1.7.0"


def bin_dir():
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    # On a shared machine the load says how far the numbers can be compared with a quiet run's.
    load = os.getloadavg()[0]
    return (f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}, "
            f"load average {load:.1f} when the results were written")


def later_sections(path):
    """The `## ` sections after a results file's first table, kept when that table is rewritten."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return ""
    at = text.find("\n## ")
    return text[at:] if at >= 0 else ""


def write_section(name, heading, header, rows, notes=()):
    """Writes one `## heading` section into Benchmarks/results/<name>.md, replacing an older one."""
    path = os.path.join(RESULTS, f"{name}.md")
    with open(path) as f:
        text = f.read()
    section = f"\n## {heading}\n\n"
    section += f"Recorded {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}.\n"
    section += f"Reproduce: `python3 Benchmarks/bench.py {SECTION_COMMANDS[heading]}`.\n\n"
    section += "| " + " | ".join(header) + " |\n" + "|" + "---|" * len(header) + "\n"
    section += "".join("| " + " | ".join(str(c) for c in row) + " |\n" for row in rows)
    if notes:
        section += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    start = text.find(f"\n## {heading}\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n" + section
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {path}")
    print(section)


def write_results(name, title, header, rows, notes=()):
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"{name}.md")
    kept = later_sections(path)
    with open(path, "w") as f:
        f.write(f"# {title}\n\n")
        f.write(f"Recorded {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}.\n")
        f.write(f"Reproduce: `python3 Benchmarks/bench.py {name}`.\n\n")
        f.write("| " + " | ".join(header) + " |\n")
        f.write("|" + "---|" * len(header) + "\n")
        for row in rows:
            f.write("| " + " | ".join(str(c) for c in row) + " |\n")
        if notes:
            f.write("\n" + "\n".join(f"- {n}" for n in notes) + "\n")
        f.write(kept)
    print(f"wrote {path}")
    with open(path) as f:
        print(f.read())


# --- the emulator ------------------------------------------------------------------------------

class Emulator:
    """gitlab-emulator in a subprocess, with the counters it serves at /-/emulator/stats."""

    def __init__(self, bins, latency_ms=0, release=True, extra=()):
        seeds = ["--release", f"{PROJECT_ID}:{TAG}"] if release else []
        self.proc = subprocess.Popen(
            [os.path.join(bins, "gitlab-emulator"), "--port", "0",
             "--project", f"{PROJECT_ID}:{PROJECT_PATH}", *seeds,
             "--job-token", f"{TOKEN}:{PROJECT_ID}", "--latency-ms", str(latency_ms), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        m = re.match(r"listening on (http://\S+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"emulator did not start: {line!r}")
        self.base = m.group(1)
        self.api = self.base + "/api/v4"

    def stats(self):
        with urllib.request.urlopen(self.base + "/-/emulator/stats") as r:
            return json.load(r)

    def reset(self):
        req = urllib.request.Request(self.base + "/-/emulator/stats", method="DELETE")
        urllib.request.urlopen(req).read()

    def links(self):
        """Every link the release holds, read through the emulator's own route (no pagination)."""
        path = urllib.parse.quote(TAG, safe="")
        with urllib.request.urlopen(f"{self.base}/-/emulator/links/{PROJECT_ID}/{path}") as r:
            return json.load(r)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def links_url(api):
    return f"{api}/projects/{PROJECT_ID}/releases/{TAG}/assets/links"


# --- publish ---------------------------------------------------------------------------------------

def make_assets(directory, n):
    os.makedirs(os.path.join(directory, "dist"), exist_ok=True)
    for i in range(n):
        with open(os.path.join(directory, "dist", f"hello-{i:05d}.bin"), "wb") as f:
            f.write(b"x" * 64)


def ci_env(api, project_dir):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(CI_API_V4_URL=api, CI_PROJECT_ID=str(PROJECT_ID), CI_PROJECT_PATH=PROJECT_PATH,
               CI_PROJECT_URL=f"https://gitlab.example.com/{PROJECT_PATH}", CI_COMMIT_TAG=TAG,
               CI_JOB_ID="688", CI_JOB_NAME="release", CI_JOB_TOKEN=TOKEN, CI_PROJECT_DIR=project_dir)
    return env


def run_release_linker(bins, api, project_dir, concurrency, extra=()):
    start = time.perf_counter()
    out = subprocess.run([os.path.join(bins, "release-linker"), "publish", "dist", "--concurrency",
                          str(concurrency), "--output", "json", *extra],
                         cwd=project_dir, env=ci_env(api, project_dir), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"release-linker failed ({out.returncode}): {out.stderr[-2000:]}")
    return elapsed


def run_curl_loop(api, project_dir, n):
    """The documented way: one curl per link, in a shell loop, as in GitLab's API docs."""
    script = (
        'for f in dist/*; do name=$(basename "$f"); '
        'curl --silent --show-error --fail --output /dev/null --request POST '
        '--header "JOB-TOKEN: $CI_JOB_TOKEN" --data name="$name" '
        '--data url="$CI_PROJECT_URL/-/jobs/$CI_JOB_ID/artifacts/raw/$f" '
        '--data direct_asset_path="/$f" --data link_type="other" '
        f'"{links_url(api)}"; done'
    )
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script], cwd=project_dir, env=ci_env(api, project_dir), check=True)
    return time.perf_counter() - start


PYTHON_GITLAB = r'''
import os, sys, gitlab
gl = gitlab.Gitlab(sys.argv[1], job_token=os.environ["CI_JOB_TOKEN"])
project = gl.projects.get(int(os.environ["CI_PROJECT_ID"]), lazy=True)
release = project.releases.get(os.environ["CI_COMMIT_TAG"], lazy=True)
base = os.environ["CI_PROJECT_URL"] + "/-/jobs/" + os.environ["CI_JOB_ID"] + "/artifacts/raw/"
for name in sorted(os.listdir("dist")):
    release.links.create({"name": name, "url": base + "dist/" + name,
                          "direct_asset_path": "/dist/" + name, "link_type": "other"})
'''


def run_python_gitlab(api, project_dir):
    base = api[: -len("/api/v4")]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", PYTHON_GITLAB, base], cwd=project_dir,
                   env=ci_env(api, project_dir), check=True)
    return time.perf_counter() - start


def bench_publish(args):
    bins = bin_dir()
    rows = []
    for latency in args.latencies:
        for n in args.counts:
            with tempfile.TemporaryDirectory() as project_dir:
                make_assets(project_dir, n)
                contenders = [(f"release-linker --concurrency {c}", c, ()) for c in (1, 4, 16)]
                # --order sends the creates one at a time: its floor is that of concurrency 1.
                contenders += [("release-linker --concurrency 16 --order name", 16, ("--order", "name"))]
                contenders += [("curl loop (API docs)", None, ()), ("python-gitlab loop", None, ())]
                for label, concurrency, extra in contenders:
                    with Emulator(bins, latency) as emulator:
                        if concurrency is not None:
                            wall = run_release_linker(bins, emulator.api, project_dir, concurrency, extra)
                        elif label.startswith("curl"):
                            wall = run_curl_loop(emulator.api, project_dir, n)
                        else:
                            wall = run_python_gitlab(emulator.api, project_dir)
                        stats = emulator.stats()
                        held = emulator.links()
                        if len(held) != n or len({l["name"] for l in held}) != n:
                            raise RuntimeError(f"{label}: the server holds {len(held)} links, expected {n}")
                        if extra and len(held) == n:
                            # The page lists newest first: it must show the names in order.
                            shown = [l["name"] for l in reversed(held)]
                            if shown != sorted(shown):
                                raise RuntimeError(f"{label}: the links are not in name order")
                        floor = n * latency / 1000 / (1 if extra else (concurrency or 1))
                        ratio = f"{wall / floor:.2f}x" if floor else "n/a"
                        row = [latency, n, label, f"{wall:.2f}", stats["requests"], stats["writes"],
                               stats["connections"], f"{floor:.2f}", ratio, "", "", ""]
                        if concurrency is not None:
                            emulator.reset()
                            rerun = run_release_linker(bins, emulator.api, project_dir, concurrency, extra)
                            again = emulator.stats()
                            row[9:12] = [f"{rerun:.2f}", again["requests"], again["writes"]]
                        rows.append(row)
                        print(row, flush=True)
    write_results(
        "publish", "Registering N links, and re-running",
        ["latency ms", "N", "tool", "wall s", "requests", "writes", "TCP connections",
         "floor s (N×latency/concurrency)", "ratio to floor", "re-run wall s", "re-run requests",
         "re-run writes"], rows,
        ["The emulator adds the latency to every response; each row starts from an empty release.",
         "The curl loop and python-gitlab send one request per link, sequentially (concurrency 1).",
         "`--order name` creates the links one at a time so the release page (newest first) lists them by name: its floor is N×latency, as for concurrency 1; every other row uses the default, `--order none`.",
         "Re-run: the same job again on the release the first run filled; the floor is ⌈N/100⌉ list calls and no write."])


# --- the release itself, and a rate limit ----------------------------------------------------------

SECTION_COMMANDS = {
    "A new release with its links": "release",
    "Under a rate limit": "release",
}

def bench_release(args):
    bins = bin_dir()
    latency = 20
    rows = []
    for n in (150, 1000, 2500):
        with tempfile.TemporaryDirectory() as project_dir:
            make_assets(project_dir, n)
            for label, release, extra in [
                ("release-linker --create-release, release missing", False, ["--create-release"]),
                ("release-linker, release exists (links API only)", True, []),
            ]:
                with Emulator(bins, latency, release=release) as emulator:
                    wall = run_release_linker(bins, emulator.api, project_dir, 4, extra)
                    stats = emulator.stats()
                    held = emulator.links()
                    if len(held) != n:
                        raise RuntimeError(f"{label}: the server holds {len(held)} links, expected {n}")
                    floor = stats["requests"] * latency / 1000
                    rows.append([latency, n, label, f"{wall:.2f}", stats["requests"], stats["writes"],
                                 f"{floor:.2f}"])
                    print(rows[-1], flush=True)
    write_section(
        "publish", "A new release with its links",
        ["latency ms", "N", "run", "wall s", "requests", "writes",
         "requests × latency s (one at a time)"], rows,
        ["--concurrency 4 in both runs. A missing release is created by one POST carrying up to 1,000 "
         "links (`assets[links]`); links past 1,000 go through the links API, 4 at a time.",
         "The other run is the same job on a release that exists without links: one POST per link."])

    rows = []
    limit, period, n = 20, 2, 200
    for latency in (0, 20):
        with tempfile.TemporaryDirectory() as project_dir:
            make_assets(project_dir, n)
            for label in ("release-linker --concurrency 4", "release-linker --concurrency 16",
                          "python-gitlab loop"):
                with Emulator(bins, latency, extra=["--rate-limit", f"{limit}/{period}"]) as emulator:
                    started = time.time()
                    if label.startswith("release-linker"):
                        concurrency = int(label.rsplit(" ", 1)[1])
                        wall = run_release_linker(bins, emulator.api, project_dir, concurrency,
                                                  ["--no-checksums"])
                    else:
                        base = emulator.api[: -len("/api/v4")]
                        start = time.perf_counter()
                        subprocess.run([sys.executable, "-c", PYTHON_GITLAB, base],
                                       cwd=project_dir, env=ci_env(emulator.api, project_dir), check=True)
                        wall = time.perf_counter() - start
                    stats = emulator.stats()
                    if len(emulator.links()) != n:
                        raise RuntimeError(f"{label}: the server does not hold {n} links")
                    answered = stats["requests"] - stats["throttled"]
                    # The windows are aligned to the clock: the last of `answered` requests cannot be
                    # sent before the window it fits in opens, counted from the one the run began in.
                    first_window = started // period * period
                    opens = first_window + (math.ceil(answered / limit) - 1) * period
                    floor = max(opens - started, 0) + latency / 1000
                    rows.append([f"{limit}/{period} s", latency, n, label, f"{wall:.2f}",
                                 stats["requests"], stats["throttled"], f"{floor:.2f}",
                                 f"{wall / floor:.2f}x"])
                    print(rows[-1], flush=True)
    write_section(
        "publish", "Under a rate limit",
        ["limit", "latency ms", "N", "tool", "wall s", "requests", "429s", "floor s", "ratio to floor"],
        rows,
        ["The emulator's `--rate-limit 20/2` counts each token's requests in 2-second windows aligned "
         "to the clock, as GitLab's Rack::Attack does, sends RateLimit headers on every answer and "
         "refuses the excess with 429 and Retry-After.",
         "Floor: when the last request could be sent at the earliest. The windows are aligned to the "
         "clock, so with R requests answered (429s left out) the last one fits the ⌈R/20⌉-th "
         "window counted from the one the run started in; the floor is from the run's start until "
         "that window opens, plus one latency.",
         "python-gitlab: one create per link in a loop, waiting out each 429 as its "
         "`obey_rate_limit` does."])


# --- scan ------------------------------------------------------------------------------------------

def timed(cmd, cwd=None, env=None, cpu=False):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS in MB[, CPU seconds user+sys])."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, cwd=cwd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - start
        text = t.read()
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    if not cpu:
        return wall, rss_kb / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    return wall, rss_kb / 1024, user + system


def make_scan_inputs(directory, gigabytes, entries):
    big_dir = os.path.join(directory, "big")
    os.makedirs(big_dir, exist_ok=True)
    # Incompressible content, so gzip does real work on both sides; 256 MiB per file.
    chunk = 256
    for i in range(int(gigabytes * 1024 / chunk)):
        subprocess.run(["head", "-c", f"{chunk}M", "/dev/urandom"],
                       stdout=open(os.path.join(big_dir, f"part-{i:03d}.bin"), "wb"), check=True)
    big = os.path.join(directory, "big.tar.gz")
    subprocess.run(["bash", "-c", f"tar -C {big_dir} -cf - . | gzip -1 > {big}"], check=True)
    shutil.rmtree(big_dir)
    many_dir = os.path.join(directory, "many")
    for i in range(entries):
        sub = os.path.join(many_dir, f"d{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i:06d}.txt"), "wb") as f:
            f.write(b"release-linker %d\n" % i)
    many_zip = os.path.join(directory, "many.zip")
    subprocess.run(["bash", "-c", f"cd {many_dir} && zip -q -r -0 {many_zip} ."], check=True)
    return big, many_zip, many_dir


def bench_scan(args):
    bins = bin_dir()
    rl = os.path.join(bins, "release-linker")
    env = {"PATH": os.environ["PATH"], "CI_PROJECT_URL": "https://gitlab.example.com/g/p",
           "CI_JOB_ID": "1"}
    rows = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as d:
        big, many_zip, many_dir = make_scan_inputs(d, args.gigabytes, args.entries)
        size = os.path.getsize(big) / 2**30
        cases = [
            (f"tar.gz, {size:.1f} GiB", ["--archive", big], ["bsdtar", "-tvf", big],
             f"bsdtar -xOf {big} | sha256sum"),
            (f"zip, {args.entries} entries", ["--archive", many_zip], ["bsdtar", "-tvf", many_zip],
             f"bsdtar -xOf {many_zip} | sha256sum"),
            (f"directory, {args.entries} files", [many_dir, "--root", d], ["find", many_dir, "-type", "f", "-ls"],
             f"find {many_dir} -type f -print0 | xargs -0 sha256sum"),
        ]
        for label, scan_args, baseline, hashing in cases:
            base_wall, base_rss = timed(baseline)
            rows.append([label, " ".join(os.path.basename(a) if "/" in a else a for a in baseline[:2]), "", f"{base_wall:.2f}", f"{base_rss:.1f}", "1.00x"])
            hash_wall, hash_rss = timed(["bash", "-c", hashing])
            # A pipe inside a Markdown table cell must be escaped, even in code.
            shown = re.sub(r"/\S+/", "", hashing).replace("|", "\\|")
            rows.append([label, f"`{shown}`", "sha256", f"{hash_wall:.2f}", f"{hash_rss:.1f}", "1.00x"])
            for checksums in (False, True):
                # Entries of a local archive are linked only where --url-template says they live.
                served = ["--url-template", "https://downloads.example.com/{path}"] if "--archive" in scan_args else []
                cmd = [rl, "scan", "--output", "json"] + scan_args + served + ([] if checksums else ["--no-checksums"])
                wall, rss = timed(cmd, env=env)
                reference = hash_wall if checksums else base_wall
                rows.append([label, "release-linker scan", "sha256" if checksums else "no checksums",
                             f"{wall:.2f}", f"{rss:.1f}", f"{wall / reference:.2f}x"])
                print(rows[-1], flush=True)
    write_results("scan", "Scanning artifacts", ["input", "tool", "checksums", "wall s", "peak RSS MB", "vs baseline"], rows,
                  ["Baselines: `bsdtar -tvf` lists an archive (reads it whole, as a scan must); `find -ls` lists a directory;",
                   "with checksums the baseline is the same work done by standard tools: every byte decompressed and hashed by sha256sum.",
                   "'vs baseline' compares `scan --no-checksums` with the listing and `scan` (SHA-256) with the hashing pipeline.",
                   "Peak RSS of a pipeline is its largest process's.",
                   "release-linker's JSON goes to /dev/null, as bsdtar's listing does."])


# --- two runs at once ----------------------------------------------------------------------------

TRACE_REQUEST = re.compile(r"^> (GET|POST|PUT|DELETE) ", re.M)


def bench_concurrent(args):
    """Two `publish` runs of the same job started together on an empty release: what each sends,
    how long each takes, and what each reports (a link the other run made first is `unchanged`)."""
    bins = bin_dir() if args.bins is None else args.bins
    rl = os.path.join(bins, "release-linker")
    rows = []
    for n in args.concurrent_counts:
        with tempfile.TemporaryDirectory() as project_dir:
            make_assets(project_dir, n)
            with Emulator(bins, args.concurrent_latency) as emulator:
                env = ci_env(emulator.api, project_dir)
                procs = []
                for name in ("a", "b"):
                    trace = open(os.path.join(project_dir, f"{name}.trace"), "w")
                    cmd = [rl, "publish", "dist", "--concurrency", str(args.concurrent_concurrency),
                           "--verbose", "--output", "json", "--report", f"{name}.json"]
                    procs.append((name, time.perf_counter(), trace,
                                  subprocess.Popen(cmd, cwd=project_dir, env=env, stdout=subprocess.DEVNULL,
                                                   stderr=trace)))
                results = []
                for name, start, trace, proc in procs:
                    code = proc.wait()
                    wall = time.perf_counter() - start
                    trace.close()
                    with open(os.path.join(project_dir, f"{name}.trace")) as f:
                        sent = len(TRACE_REQUEST.findall(f.read()))
                    with open(os.path.join(project_dir, f"{name}.json")) as f:
                        summary = json.load(f)["summary"]
                    results.append((name, code, wall, sent, summary))
                stats = emulator.stats()
                held = emulator.links()
                if len(held) != n or len({l["name"] for l in held}) != n:
                    raise RuntimeError(f"the server holds {len(held)} links, expected {n}")
                for name, code, wall, sent, summary in results:
                    rows.append([n, args.concurrent_latency, f"run {name}", code, f"{wall:.2f}", sent,
                                 summary["create"], summary["unchanged"], summary["failed"],
                                 stats["requests"], len(held)])
                    print(rows[-1], flush=True)
    write_results(
        "concurrent" + (f"-{args.tag}" if args.tag else ""),
        "Two publishes of the same job at once" + (f" ({args.tag})" if args.tag else ""),
        ["N", "latency ms", "run", "exit", "wall s", "requests sent", "created", "unchanged", "failed",
         "server requests (both)", "links held"], rows,
        [f"Both runs start together on an empty release, `--concurrency {args.concurrent_concurrency}` each; "
         "the emulator adds the latency to every answer.",
         "'requests sent' counts the `> METHOD` lines of the run's `--verbose` trace; the server's count "
         "covers both runs.",
         "Before the per-wave settling (issue 13) each `has already been taken` re-read every page: "
         "3,000 links took 91,834 requests, the slower run 249 s, and both runs reported every link as created."])


# --- scan memory: text against JSON ------------------------------------------------------------------

def make_many_entries_zip(path, entries):
    """A stored zip of `entries` one-byte files, in folders of 1,000, written straight by zipfile."""
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for i in range(entries):
            z.writestr(f"d{i // 1000:04d}/file-{i:07d}.bin", b"x")


def bench_scan_memory(args):
    bins = bin_dir() if args.bins is None else args.bins
    rl = os.path.join(bins, "release-linker")
    env = {"PATH": os.environ["PATH"], "CI_PROJECT_URL": "https://gitlab.example.com/g/p",
           "CI_JOB_ID": "1", "COLUMNS": "160"}
    rows = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as d:
        archive = args.memory_input or os.path.join(d, "many.zip")
        if not args.memory_input:
            make_many_entries_zip(archive, args.memory_entries)
        size = os.path.getsize(archive) / 2**20
        for label, output in [("text (the table)", []), ("JSON", ["--output", "json"])]:
            wall, rss = timed([rl, "scan", "--archive", archive, "--no-checksums"] + output, env=env)
            rows.append([f"zip, {args.memory_entries:,} entries ({size:.0f} MiB)", label,
                         f"{wall:.2f}", f"{rss:.0f}"])
            print(rows[-1], flush=True)
    write_results("scan-memory" + (f"-{args.tag}" if args.tag else ""),
                  "Peak memory of scan: text against JSON" + (f" ({args.tag})" if args.tag else ""),
                  ["input", "output", "wall s", "peak RSS MB"], rows,
                  ["Both write to /dev/null; `--no-checksums`, so the time is the scan and the output.",
                   "Before the table was written row by row (issue 13), the text output held every row "
                   "as strings and the whole table as one more: about 1 GB against JSON's 517 MB at 1M entries."])


# --- start-up --------------------------------------------------------------------------------------

def static_binary():
    """The binary the container image ships: Swift's standard library linked in, stripped."""
    scratch = os.path.join(ROOT, ".build-static")
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product",
                    "release-linker", "--scratch-path", scratch], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path",
                          scratch, "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True)
    stripped = os.path.join(scratch, "release-linker-stripped")
    shutil.copy(os.path.join(out.stdout.strip(), "release-linker"), stripped)
    subprocess.run(["strip", stripped], check=True)
    return stripped


def bench_startup(args):
    binaries = [("static, stripped (the image's)", static_binary()),
                ("dynamic Swift runtime (swift build -c release)", os.path.join(bin_dir(), "release-linker"))]
    rows = []
    notes = []
    with tempfile.TemporaryDirectory() as d:
        one = os.path.join(d, "hello.bin")
        with open(one, "wb") as f:
            f.write(b"hello\n")
        env = {"PATH": os.environ["PATH"], "CI_PROJECT_URL": "https://gitlab.example.com/g/p", "CI_JOB_ID": "1"}
        for kind, rl in binaries:
            for label, cmd in [("--version", [rl, "--version"]),
                               ("scan of one file", [rl, "scan", one, "--root", d])]:
                samples = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
                    samples.append(time.perf_counter() - start)
                samples.sort()
                rows.append([kind, label, f"{samples[len(samples) // 2] * 1000:.1f}",
                             f"{samples[0] * 1000:.1f}", args.repeat])
            size = os.path.getsize(rl) / 2**20
            libs = subprocess.run(["ldd", rl], capture_output=True, text=True).stdout
            names = sorted({line.split()[0] for line in libs.splitlines() if line.strip()})
            direct = subprocess.run(["bash", "-c", f"objdump -p {rl} | awk '/NEEDED/ {{print $2}}'"],
                                    capture_output=True, text=True).stdout.split()
            notes.append(f"{kind}: {size:.1f} MiB; names {len(direct)} libraries itself ("
                         + ", ".join(f"`{n}`" for n in direct) + f"), {len(names)} loaded in all.")
    write_results("startup", "Start-up", ["binary", "command", "median ms", "min ms", "runs"], rows,
                  notes + ["Each run is a new process, timed from Python's `subprocess.run` (fork, exec, exit)."])


# --- upload ---------------------------------------------------------------------------------------

def make_upload_inputs(directory, sizes_gib):
    """Incompressible files of each size, and a tar.gz holding each one."""
    inputs = []
    for gib in sizes_gib:
        name = f"big-{gib}g.bin"
        path = os.path.join(directory, "files", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run(["head", "-c", f"{gib}G", "/dev/urandom"], stdout=open(path, "wb"), check=True)
        archive = os.path.join(directory, f"one-{gib}g.tar.gz")
        subprocess.run(["bash", "-c", f"tar -C {directory}/files -cf - {name} | gzip -1 > {archive}"],
                       check=True)
        inputs.append((gib, name, path, archive))
    return inputs


def bench_upload(args):
    bins = bin_dir()
    rl = os.path.join(bins, "release-linker")
    rows = []
    notes = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as d:
        inputs = make_upload_inputs(d, args.upload_gib)
        for gib, name, path, archive in inputs:
            size = os.path.getsize(path)
            for source in ("file on disk", "tar.gz entry"):
                measured = {}
                for tool in ("curl --upload-file", "release-linker publish --upload generic"):
                    storage = os.path.join(d, "storage")
                    os.makedirs(storage, exist_ok=True)
                    with Emulator(bins, extra=["--storage-dir", storage]) as emulator:
                        env = ci_env(emulator.api, os.path.dirname(path))
                        env["CI_PROJECT_URL"] = f"{emulator.base}/{PROJECT_PATH}"
                        url = (f"{emulator.api}/projects/{PROJECT_ID}/packages/generic/bench/1.0/{name}"
                               "?select=package_file")
                        curl = ["curl", "--silent", "--show-error", "--fail", "--output", "/dev/null",
                                "--header", f"JOB-TOKEN: {TOKEN}"]
                        if tool.startswith("curl"):
                            if source == "file on disk":
                                cmd = curl + ["--upload-file", path, url]
                            else:
                                piped = " ".join(shlex.quote(a) for a in curl + ["--upload-file", "-", url])
                                cmd = ["bash", "-c", f"bsdtar -xOf {shlex.quote(archive)} {name} | {piped}"]
                        else:
                            cmd = [rl, "publish", "--upload", "generic", "--package-name", "bench",
                                   "--package-version", "1.0", "--output", "json"]
                            cmd += [name] if source == "file on disk" else ["--archive", archive]
                        wall, rss, cpu = timed(cmd, cwd=os.path.dirname(path), env=env, cpu=True)
                        stats = emulator.stats()
                        if stats.get("uploaded_bytes") != size:
                            raise RuntimeError(f"{tool}: the emulator stored {stats.get('uploaded_bytes')} bytes, not {size}")
                    shutil.rmtree(storage)
                    measured[tool] = wall
                    ratio = f"{wall / measured['curl --upload-file']:.2f}x"
                    rows.append([f"{gib} GiB", source, tool, f"{wall:.2f}", f"{size / wall / 2**20:.0f}",
                                 f"{cpu:.2f}", f"{rss:.1f}", ratio])
                    print(rows[-1], flush=True)
    write_results(
        "upload", "Uploading to the generic package registry",
        ["size", "source", "tool", "wall s", "MiB/s", "CPU s (user+sys)", "peak RSS MB", "vs curl"], rows,
        ["Each row uploads one incompressible file into an empty package of a fresh emulator, which writes "
         "it to disk as it arrives and hashes it (SHA-256) for its listings.",
         "curl: `curl --upload-file FILE URL`; for the archive entry, `bsdtar -xOf ARCHIVE ENTRY | curl --upload-file - URL` "
         "(chunked: the size is not known to curl). Peak RSS of a pipeline is its largest process's.",
         "release-linker: `publish FILE --upload generic` or `publish --archive ARCHIVE --upload generic`: it also reads "
         "the release and the package (five small requests) and creates the link; the entry is decompressed by "
         "libarchive straight into libcurl's upload buffer. Its CPU includes the scan, which finds the archive's "
         "end only by decompressing through the entry once before the upload does it again.",
         "The emulator (a release build too) is the slowest part, at about 100 MiB/s for both clients; the "
         "machine's two cores are shared by the client, the emulator, the decompressor and other work."])


# --- soak ------------------------------------------------------------------------------------------

SOAK_FAULTS = "reset=0.05,unavailable=0.05,commit-reset=0.01,rate-limit=0.01,slow=0.02"
SOAK_UPLOAD_FAULTS = SOAK_FAULTS + ",body-reset=0.05"


def run_measured(cmd, cwd, env):
    """Runs cmd under GNU time: (exit status, wall seconds, peak RSS in MB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, cwd=cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        text = t.read()
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return out.returncode, wall, rss_kb / 1024, out.stdout, out.stderr


def soak_stop_faults(emulator):
    req = urllib.request.Request(emulator.base + "/-/emulator/random-faults", method="DELETE")
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def soak_package_files(emulator):
    with urllib.request.urlopen(f"{emulator.base}/-/emulator/packages/{PROJECT_ID}") as r:
        return json.load(r)


def soak_phase(bins, args, project_dir, emulator, arguments, check):
    """Runs `release-linker publish ARGUMENTS` while it exits non-zero (at most --soak-max-runs), then
    stops the faults, checks the end state with check(), and re-runs once clean: that run must write
    nothing. Returns the measured row's values."""
    rl = os.path.join(bins, "release-linker")
    env = ci_env(emulator.api, project_dir)
    env["CI_PROJECT_URL"] = f"{emulator.base}/{PROJECT_PATH}"
    runs = []
    for _ in range(args.soak_max_runs):
        before = emulator.stats()["requests"]
        status, wall, rss, stdout, stderr = run_measured([rl, "publish", *arguments], project_dir, env)
        if status not in (0, 1, 69):
            raise RuntimeError(f"release-linker exited {status}: {stderr[-3000:]}")
        try:
            summary = json.loads(stdout).get("summary", {})
        except ValueError:
            summary = {}
        runs.append(dict(status=status, wall=wall, rss=rss, requests=emulator.stats()["requests"] - before,
                         failed=summary.get("failed")))
        print(f"  run {len(runs)}: exit {status}, {wall:.1f} s, {rss:.1f} MB, "
              f"{runs[-1]['requests']} requests, {summary}", flush=True)
        if status == 0:
            break
    else:
        raise RuntimeError(f"no run of {args.soak_max_runs} exited 0: a re-run did not repair")
    stats = soak_stop_faults(emulator)
    check()
    before = emulator.stats()
    status, clean_wall, _, _, stderr = run_measured([rl, "publish", *arguments], project_dir, env)
    after = emulator.stats()
    if status != 0 or after["writes"] != before["writes"] or after["uploads"] != before["uploads"]:
        raise RuntimeError(f"the clean re-run exited {status} and wrote "
                           f"{after['writes'] - before['writes']} times: {stderr[-2000:]}")
    check()
    return runs, stats, after["requests"] - before["requests"], clean_wall


def soak_expect(held, expected, what):
    keys = [(link["name"], link["url"], link.get("direct_asset_path")) for link in held]
    duplicates = len(keys) - len(set(keys))
    missing = set(expected) - set(keys)
    extra = set(keys) - set(expected)
    if duplicates or missing or extra:
        raise RuntimeError(f"{what}: {duplicates} duplicate, {len(missing)} missing (e.g. "
                           f"{sorted(missing)[:3]}), {len(extra)} extra (e.g. {sorted(extra)[:3]})")


def bench_soak(args):
    bins = os.path.abspath(args.bins) if args.bins else bin_dir()
    rows = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as d:
        for retries in args.soak_retries:
            rows.append(soak_links(bins, args, d, retries))
            rows.append(soak_uploads(bins, args, d, retries))
    write_results(
        "soak", "Fault soak: publish through random faults until it converges",
        ["job", "--retries", "runs (exit codes)", "requests sent (server)", "faults injected",
         "wall s (all runs)", "wall s per run", "client peak RSS MB", "clean re-run"], rows,
        [f"The emulator (`--random-faults`, `--fault-seed {args.soak_seed}`) draws at most one fault per API "
         f"request: links `{SOAK_FAULTS}`, uploads `{SOAK_UPLOAD_FAULTS}`. reset: the connection is reset on "
         "arrival; unavailable: 503; commit-reset: carried out, then the connection reset (the answer is lost); "
         "rate-limit: 429 with `Retry-After: 1`; slow: answered 200–500 ms late; body-reset: an upload's "
         "connection reset part-way through its body.",
         f"`release-linker publish dist --retries R --concurrency {args.soak_concurrency}` with the job token, "
         "on a release without links (uploads: `--upload generic`, into an empty package), run again while it "
         f"exits non-zero (at most {args.soak_max_runs} runs).",
         "With `--retries 0` 10,000 links never converge, and cannot: each run must read the release's "
         "100 pages of links before it plans, and with 12 % of requests failing the chance that all 100 "
         "pages get through unretried is 0.88^100, about 3 in a million (measured: 10 runs, the first "
         "created 9,275 links, none of the next nine got past the listing). With `--retries 2` a page fails "
         "only when it fails three times in a row.",
         "After the last run the faults are stopped (`DELETE /-/emulator/random-faults`) and the end state is "
         "checked exactly: every asset's link once (name, url, direct_asset_path), no duplicate, none missing, "
         "nothing extra; for uploads also every file in the package once, of its size, and each link pointing "
         "at its package file. Then a clean re-run must write nothing ('clean re-run': its requests, no write).",
         "Requests are the emulator's count (faulted ones included) over all runs; peak RSS is the largest "
         "of the runs' (GNU time). Nothing here asserts a time."])


def soak_links(bins, args, d, retries):
    """(a) links to job artifacts: --soak-links small files."""
    n = args.soak_links
    links_dir = os.path.join(d, f"links-{retries}")
    names = [f"soak-{i:05d}.bin" for i in range(n)]
    os.makedirs(os.path.join(links_dir, "dist"))
    for name in names:
        with open(os.path.join(links_dir, "dist", name), "wb") as f:
            f.write(name.encode())
    with Emulator(bins, extra=["--random-faults", SOAK_FAULTS, "--fault-seed", str(args.soak_seed)]) as emulator:
        web = f"{emulator.base}/{PROJECT_PATH}"
        expected = [(name, f"{web}/-/jobs/688/artifacts/raw/dist/{name}", f"/dist/{name}") for name in names]
        print(f"soak: {n} links, --retries {retries}, faults {SOAK_FAULTS}", flush=True)
        runs, stats, clean_requests, clean_wall = soak_phase(
            bins, args, links_dir, emulator,
            ["dist", "--retries", str(retries), "--concurrency", str(args.soak_concurrency), "--output", "json"],
            lambda: soak_expect(emulator.links(), expected, f"{n} links"))
    return soak_row(f"{n:,} links", retries, runs, stats, clean_requests, clean_wall)


def soak_uploads(bins, args, d, retries):
    """(b) uploads to the generic package registry, linked there."""
    n = args.soak_uploads
    upload_dir = os.path.join(d, f"uploads-{retries}")
    names = [f"upload-{i:03d}.bin" for i in range(n)]
    os.makedirs(os.path.join(upload_dir, "dist"))
    for name in names:
        with open(os.path.join(upload_dir, "dist", name), "wb") as f:
            f.write(os.urandom(args.soak_upload_bytes))
    storage = os.path.join(d, f"storage-{retries}")
    os.makedirs(storage)
    extra = ["--random-faults", SOAK_UPLOAD_FAULTS, "--fault-seed", str(args.soak_seed), "--storage-dir", storage]
    with Emulator(bins, extra=extra) as emulator:
        print(f"soak: {n} uploads, --retries {retries}, faults {SOAK_UPLOAD_FAULTS}", flush=True)

        def check_uploads():
            files = soak_package_files(emulator)
            stored = sorted(f["file_name"] for f in files)
            if stored != sorted(names):
                dup = len(stored) - len(set(stored))
                raise RuntimeError(f"the package holds {len(stored)} files ({dup} duplicate) for {n}: "
                                   f"missing {sorted(set(names) - set(stored))[:3]}")
            by_name = {f["file_name"]: f for f in files}
            for name in names:
                if by_name[name]["size"] != args.soak_upload_bytes:
                    raise RuntimeError(f"{name}: stored {by_name[name]['size']} bytes")
            web = f"{emulator.base}/{PROJECT_PATH}"
            expected = [(name, f"{web}/-/package_files/{by_name[name]['id']}/download", f"/dist/{name}")
                        for name in names]
            soak_expect(emulator.links(), expected, f"{n} uploads' links")

        runs, stats, clean_requests, clean_wall = soak_phase(
            bins, args, upload_dir, emulator,
            ["dist", "--upload", "generic", "--package-name", "soak", "--package-version", "1.0",
             "--retries", str(retries), "--concurrency", str(args.soak_concurrency), "--output", "json"],
            check_uploads)
    return soak_row(f"{n} uploads of {args.soak_upload_bytes // 1024} KiB", retries, runs, stats,
                    clean_requests, clean_wall)


def soak_row(job, retries, runs, stats, clean_requests, clean_wall):
    faults = ", ".join(f"{k} {v}" for k, v in stats.get("faults", {}).items())
    codes = " ".join(str(r["status"]) for r in runs)
    total_wall = sum(r["wall"] for r in runs)
    per_run = " / ".join(f"{r['wall']:.1f}" for r in runs)
    return [job, retries, f"{len(runs)} ({codes})", f"{sum(r['requests'] for r in runs):,}", faults,
            f"{total_wall:.1f}", per_run, f"{max(r['rss'] for r in runs):.1f}",
            f"{clean_requests} requests, 0 writes, {clean_wall:.2f} s"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["publish", "release", "scan", "startup", "upload", "concurrent",
                                         "scan-memory", "soak", "all"])
    parser.add_argument("--latencies", type=int, nargs="+", default=[0, 20, 50])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workdir", default=None, help="where the scan inputs are made (needs ~2x --gigabytes free)")
    parser.add_argument("--concurrent-counts", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--concurrent-latency", type=int, default=20)
    parser.add_argument("--concurrent-concurrency", type=int, default=4)
    parser.add_argument("--memory-entries", type=int, default=1_000_000)
    parser.add_argument("--memory-input", default=None,
                        help="scan-memory: a zip of --memory-entries entries made earlier, instead of a new one")
    parser.add_argument("--bins", default=None, help="the folder of the binaries to measure (default: the release build)")
    parser.add_argument("--tag", default=None, help="concurrent, scan-memory: a name for this set of results (results/<what>-<tag>.md)")
    parser.add_argument("--upload-gib", type=int, nargs="+", default=[1, 4],
                        help="sizes of the upload benchmark's files (needs ~3x their sum free)")
    parser.add_argument("--soak-links", type=int, default=10_000)
    parser.add_argument("--soak-uploads", type=int, default=200)
    parser.add_argument("--soak-upload-bytes", type=int, default=64 * 1024)
    parser.add_argument("--soak-retries", type=int, nargs="+", default=[2],
                        help="soak: each value is a soak of its own (10,000 links, 200 uploads)")
    parser.add_argument("--soak-concurrency", type=int, default=8)
    parser.add_argument("--soak-max-runs", type=int, default=10)
    parser.add_argument("--soak-seed", type=int, default=42)
    args = parser.parse_args()
    everything = ["startup", "scan", "scan-memory", "publish", "release", "upload", "concurrent", "soak"]
    for what in (everything if args.what == "all" else [args.what]):
        {"publish": bench_publish, "release": bench_release, "scan": bench_scan,
         "startup": bench_startup, "upload": bench_upload, "concurrent": bench_concurrent,
         "scan-memory": bench_scan_memory, "soak": bench_soak}[what](args)


if __name__ == "__main__":
    main()
