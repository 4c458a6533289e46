"""Measures the two kernel numbers the book publishes, through jupyter_client as a frontend sees them:

  start-up   from KernelManager.start_kernel() (process spawn) to the kernel_info_reply
  round-trip of a trivial cell ("1 + 1"): execute_request sent -> execute_reply and the idle status received

Usage: /usr/bin/python3 kernel_latency.py KERNELSPEC_DIR [--starts 5] [--cells 50]
KERNELSPEC_DIR is the folder holding kernel.json (…/kernels/csharp-book, as `book kernel install --path DIR` writes it).
"""
import argparse
import json
import os
import platform
import statistics
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager


def kernel_manager(spec_dir):
    spec_dir = os.path.abspath(spec_dir)
    if not os.path.isfile(os.path.join(spec_dir, "kernel.json")):
        raise SystemExit(f"{spec_dir} has no kernel.json")
    specs = KernelSpecManager(kernel_dirs=[os.path.dirname(spec_dir)])
    return KernelManager(kernel_name=os.path.basename(spec_dir), kernel_spec_manager=specs)


def reply_to(channel_get, msg_id, timeout=60):
    while True:
        msg = channel_get(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def idle_after(client, msg_id, timeout=60):
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def measure_start(spec_dir):
    manager = kernel_manager(spec_dir)
    started = time.perf_counter()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    msg_id = client.kernel_info()
    reply_to(client.get_shell_msg, msg_id)
    elapsed = time.perf_counter() - started
    client.stop_channels()
    manager.shutdown_kernel()
    return elapsed


def measure_cells(spec_dir, cells, warmup=5):
    manager = kernel_manager(spec_dir)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    timings = []
    try:
        for i in range(warmup + cells):
            started = time.perf_counter()
            msg_id = client.execute("1 + 1")
            reply = reply_to(client.get_shell_msg, msg_id)
            idle_after(client, msg_id)
            elapsed = time.perf_counter() - started
            assert reply["content"]["status"] == "ok", reply["content"]
            if i >= warmup:  # the first cells pay for JIT-compiling Roslyn
                timings.append(elapsed)
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
    return timings


def summary(values, unit_scale, unit):
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return (f"median {statistics.median(values) * unit_scale:.0f} {unit}, min {ordered[0] * unit_scale:.0f}, "
            f"p90 {p90 * unit_scale:.0f}, max {ordered[-1] * unit_scale:.0f} (n={len(values)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kernelspec_dir")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--cells", type=int, default=50)
    args = parser.parse_args()

    starts = [measure_start(args.kernelspec_dir) for _ in range(args.starts)]
    cells = measure_cells(args.kernelspec_dir, args.cells)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"start-up to kernel_info_reply: {summary(starts, 1000, 'ms')}")
    print(f"trivial cell round-trip:       {summary(cells, 1000, 'ms')}")
    print(json.dumps({
        "startup_ms": [round(s * 1000, 1) for s in starts],
        "startup_median_ms": round(statistics.median(starts) * 1000, 1),
        "cell_median_ms": round(statistics.median(cells) * 1000, 2),
    }))


if __name__ == "__main__":
    main()
