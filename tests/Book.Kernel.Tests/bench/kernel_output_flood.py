"""Measures how long a cell that floods its output takes, as a frontend sees it through jupyter_client:
from sending the execute_request of `for (int i = 0; i < LINES; i++) Console.WriteLine(i);` until both the
execute_reply and the idle status have arrived, with every line checked to be there, in order.

Usage: /usr/bin/python3 kernel_output_flood.py KERNELSPEC_DIR [--lines 100000] [--runs 5]
KERNELSPEC_DIR is the folder holding kernel.json (…/kernels/csharp-book, as `book kernel install --path DIR` writes it).
"""
import argparse
import os
import platform
import statistics
import time

from kernel_latency import kernel_manager, reply_to


def run_flood(client, lines, timeout=300):
    """One flooding cell; returns (seconds until reply and idle, stream messages). Fails if a line is missing."""
    started = time.perf_counter()
    msg_id = client.execute(f"for (int i = 0; i < {lines}; i++) Console.WriteLine(i);")
    chunks = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            chunks.append(msg["content"]["text"])
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    # The reply came on its own socket meanwhile; the client has queued it.
    reply = reply_to(client.get_shell_msg, msg_id, timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    elapsed = time.perf_counter() - started
    expected = "".join(f"{i}\n" for i in range(lines))
    assert "".join(chunks) == expected, f"{len(''.join(chunks).splitlines())} of {lines} lines arrived"
    return elapsed, len(chunks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kernelspec_dir")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    manager = kernel_manager(args.kernelspec_dir)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    try:
        run_flood(client, 1000)  # warm-up: loading Roslyn and its first compilation are not the flood's cost
        results = [run_flood(client, args.lines) for _ in range(args.runs)]
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
    times = [t for t, _ in results]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"{args.lines} lines, all delivered in order, in {results[0][1]} stream messages")
    print(f"execute_request to reply and idle: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s (n={len(times)})")


if __name__ == "__main__":
    main()
