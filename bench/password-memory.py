#!/usr/bin/env python3
"""Resident memory of `clerk serve` before, during and after bursts of password checks.

Starts `clerk serve` on a fresh SQLite file, creates one user with a password (argon2id,
19 MiB per check), then fires BURST concurrent `POST /v1/users/{id}/verify_password`
requests, three times, sampling the server's VmRSS every 20 ms. Prints one JSON line.

    cargo build --release -p clerk-cli
    bench/password-memory.py target/release/clerk 64

What to expect (BENCHMARKS.md): the peak stays near baseline + workers x 19 MiB however
large the burst (excess requests get 429), and the resident size returns to within a few
MiB of the baseline once the burst is over.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

KEY = "sk_test_password_memory"


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/clerk"
    burst = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 18700
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{port}",
             "--database-url", f"sqlite://{folder}/bench.db", "--secret-key", KEY],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            print(json.dumps(measure(server.pid, f"http://127.0.0.1:{port}/v1", burst)))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


def call(base, method, path, body=None):
    request = urllib.request.Request(
        base + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def status_line(pid, name):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name):
                return int(line.split()[1])
    return 0


def measure(pid, base, burst):
    for _ in range(200):
        try:
            call(base, "GET", "/users/count")
            break
        except OSError:
            time.sleep(0.05)
    _, user = call(base, "POST", "/users",
                   {"email_address": ["bench@example.com"], "password": "correct horse battery"})
    time.sleep(0.5)
    rss = lambda: status_line(pid, "VmRSS") // 1024
    before = rss()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.02)

    statuses = {}
    lock = threading.Lock()

    def check():
        status, _ = call(base, "POST", f"/users/{user['id']}/verify_password",
                         {"password": "wrong guess"})
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for _ in range(3):
        checks = [threading.Thread(target=check) for _ in range(burst)]
        for thread in checks:
            thread.start()
        for thread in checks:
            thread.join()
    done.set()
    time.sleep(2)
    return {"burst": burst, "rounds": 3, "rss_before_mib": before, "rss_peak_mib": peak[0],
            "rss_after_mib": rss(), "statuses": statuses}


if __name__ == "__main__":
    main()
