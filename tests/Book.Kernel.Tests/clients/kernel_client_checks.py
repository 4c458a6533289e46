"""Drives the csharp-book kernel through jupyter_client, the client library Jupyter itself uses.

Usage: /usr/bin/python3 kernel_client_checks.py CHECK
JUPYTER_PATH must name a directory holding kernels/csharp-book (see `book kernel install --path`).
Each check starts its own kernel, asserts, shuts it down and prints "ok CHECK"; a failed assert exits non-zero.
"""
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

KERNEL = "csharp-book"
TIMEOUT = 90  # seconds; the first cell pays for loading Roslyn on a 2-core machine


class Kernel:
    """A started kernel with a ready client; collects the iopub messages of each request."""

    def __init__(self, **start_options):
        self.manager = KernelManager(kernel_name=KERNEL)
        if "session_key" in start_options:
            self.manager.session.key = start_options.pop("session_key")
        self.manager.start_kernel(**start_options)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=TIMEOUT)

    def request(self, send, timeout=TIMEOUT):
        """Sends a shell request; returns (reply, iopub messages up to its idle status)."""
        msg_id = send()
        reply = self.shell_reply(msg_id, timeout)
        return reply, self.iopub_until_idle(msg_id, timeout)

    def execute(self, code, timeout=TIMEOUT, **options):
        reply, outputs = self.request(lambda: self.client.execute(code, **options), timeout)
        return reply["content"], outputs

    def shell_reply(self, msg_id, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def iopub_until_idle(self, msg_id, timeout=TIMEOUT):
        messages = []
        deadline = time.monotonic() + timeout
        while True:
            msg = self.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return messages

    def shutdown(self):
        self.client.stop_channels()
        if self.manager.is_alive():
            self.manager.shutdown_kernel()


def types(messages):
    return [m["msg_type"] for m in messages]


def outputs_of(messages, msg_type):
    return [m["content"] for m in messages if m["msg_type"] == msg_type]


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def wait_for_exit(is_alive, seconds):
    return wait_for(lambda: not is_alive(), seconds)


def check_kernel_info(kernel):
    reply, messages = kernel.request(kernel.client.kernel_info)
    content = reply["content"]
    assert content["status"] == "ok", content
    assert content["protocol_version"] == "5.3", content
    assert content["implementation"] == "csharp-book", content
    assert content["banner"], content
    info = content["language_info"]
    assert info == {
        "name": "C#", "version": info["version"], "mimetype": "text/x-csharp", "file_extension": ".cs",
        "pygments_lexer": "csharp", "codemirror_mode": "text/x-csharp",
    }, info
    # busy/idle around kernel_info too: clients wait for iopub traffic after kernel_info_reply.
    assert types(messages) == ["status", "status"], types(messages)
    assert [m["content"]["execution_state"] for m in messages] == ["busy", "idle"]
    # jupyter_client parses header dates; a malformed one would stay a string.
    assert not isinstance(reply["header"]["date"], str), reply["header"]["date"]
    assert reply["header"]["version"] == "5.3"
    comm, _ = kernel.request(kernel.client.comm_info)
    assert comm["content"] == {"status": "ok", "comms": {}}, comm["content"]
    history, _ = kernel.request(kernel.client.history)
    assert history["content"] == {"status": "ok", "history": []}, history["content"]
    # The heartbeat socket echoes: the client's heartbeat channel reports a beating kernel.
    assert wait_for(kernel.client.hb_channel.is_beating, 5), "no heartbeat"


def check_execute(kernel):
    reply, messages = kernel.execute('Console.WriteLine("hello"); Console.Error.WriteLine("oops");')
    assert reply["status"] == "ok" and reply["execution_count"] == 1, reply
    assert types(messages)[:2] == ["status", "execute_input"], types(messages)
    assert outputs_of(messages, "execute_input")[0] == {
        "code": 'Console.WriteLine("hello"); Console.Error.WriteLine("oops");', "execution_count": 1}
    streams = outputs_of(messages, "stream")
    assert "".join(s["text"] for s in streams if s["name"] == "stdout") == "hello\n", streams
    assert "".join(s["text"] for s in streams if s["name"] == "stderr") == "oops\n", streams

    reply, _ = kernel.execute("var x = 40;")
    assert reply["status"] == "ok" and reply["execution_count"] == 2, reply
    reply, messages = kernel.execute("x + 2")
    assert reply["execution_count"] == 3, reply
    results = outputs_of(messages, "execute_result")
    assert len(results) == 1 and results[0]["data"]["text/plain"] == "42", results
    assert results[0]["execution_count"] == 3, results

    reply, messages = kernel.execute('var handle = display("first");\nhandle.Update("second");')
    assert reply["status"] == "ok", reply
    shown = outputs_of(messages, "display_data")
    updated = outputs_of(messages, "update_display_data")
    assert len(shown) == 1 and len(updated) == 1, types(messages)
    display_id = shown[0]["transient"]["display_id"]
    assert display_id and updated[0]["transient"]["display_id"] == display_id, (shown, updated)
    assert "first" in shown[0]["data"]["text/plain"] and "second" in updated[0]["data"]["text/plain"], (shown, updated)

    # silent: nothing but status on iopub, and the counter does not move.
    reply, messages = kernel.execute('Console.WriteLine("quiet"); 7', silent=True)
    assert reply["status"] == "ok" and reply["execution_count"] == 4, reply
    assert types(messages) == ["status", "status"], types(messages)
    # store_history=False: outputs appear, the counter does not move.
    reply, messages = kernel.execute("x", store_history=False)
    assert reply["execution_count"] == 4, reply
    assert outputs_of(messages, "execute_result")[0]["data"]["text/plain"] == "40"
    reply, _ = kernel.execute("x")
    assert reply["execution_count"] == 5, reply


def check_errors(kernel):
    reply, messages = kernel.execute('throw new InvalidOperationException("boom");')
    assert reply["status"] == "error" and reply["ename"] == "RuntimeError", reply
    assert "boom" in reply["evalue"], reply
    errors = outputs_of(messages, "error")
    assert len(errors) == 1 and any("boom" in line for line in errors[0]["traceback"]), errors

    reply, messages = kernel.execute('int broken = "text";')
    assert reply["status"] == "error" and reply["ename"] == "CompilationError", reply
    assert "CS0029" in reply["evalue"], reply
    assert outputs_of(messages, "error"), types(messages)

    # stop_on_error: a request queued behind a failing cell is aborted, not run.
    failing = kernel.client.execute('System.Threading.Thread.Sleep(500); throw new Exception("first");')
    queued = kernel.client.execute('Console.WriteLine("must not run");')
    assert kernel.shell_reply(failing)["content"]["status"] == "error"
    assert kernel.shell_reply(queued)["content"]["status"] == "aborted"
    kernel.iopub_until_idle(queued)

    reply, messages = kernel.execute('"still alive"')
    assert reply["status"] == "ok", reply
    assert "still alive" in outputs_of(messages, "execute_result")[0]["data"]["text/plain"]


def flood(kernel, lines):
    """A cell printing LINES numbered lines: every line arrives, in order, and so do the reply and the idle."""
    kernel.execute("1")  # Roslyn's first compilation is not part of the flood
    started = time.monotonic()
    reply, messages = kernel.execute(f"for (int i = 0; i < {lines}; i++) Console.WriteLine(i);", timeout=TIMEOUT)
    took = time.monotonic() - started
    assert reply["status"] == "ok", reply
    streams = outputs_of(messages, "stream")
    text = "".join(s["text"] for s in streams if s["name"] == "stdout")
    received = text.split("\n")
    assert received[-1] == "", repr(text[-80:])
    missing = lines - (len(received) - 1)
    assert received[:-1] == [str(i) for i in range(lines)], (
        f"{len(received) - 1} of {lines} lines in {len(streams)} stream messages; first difference at line "
        f"{next((i for i, line in enumerate(received[:-1]) if line != str(i)), lines)}; {missing} missing")
    # Batched: far fewer messages than lines (one per line is what overflowed the socket).
    assert len(streams) < lines / 100, f"{len(streams)} stream messages for {lines} lines"
    print(f"{lines} lines: {len(streams)} stream messages, reply and idle after {took:.2f} s")


def check_flood(kernel):
    flood(kernel, 20_000)
    flood(kernel, 100_000)
    # Displays are not batched: 20,000 of them outrun the client's reading, and still none may be dropped, nor the
    # idle (with the socket's default high-water mark the idle never came).
    reply, messages = kernel.execute("for (int i = 0; i < 20_000; i++) display(i);", timeout=TIMEOUT)
    assert reply["status"] == "ok", reply
    shown = [d["data"]["text/plain"] for d in outputs_of(messages, "display_data")]
    assert shown == [str(i) for i in range(20_000)], f"{len(shown)} of 20000 displays; first: {shown[:3]}"
    # Outputs keep their order across stdout, stderr and displays, though streams are batched.
    reply, messages = kernel.execute('Console.WriteLine("a"); Console.Error.WriteLine("b"); display("c"); '
                                     'Console.WriteLine("d"); Console.WriteLine("e");')
    assert reply["status"] == "ok", reply
    shown = [(m["content"]["name"], m["content"]["text"]) if m["msg_type"] == "stream" else (m["msg_type"], None)
             for m in messages if m["msg_type"] in ("stream", "display_data")]
    assert shown == [("stdout", "a\n"), ("stderr", "b\n"), ("display_data", None), ("stdout", "d\ne\n")], shown


def check_replay(_):
    """A validly signed message sent twice is served once, as jupyter_client's Session refuses duplicate signatures."""
    kernel = Kernel(stderr=subprocess.PIPE)
    log = []
    reader = threading.Thread(target=lambda: log.extend(kernel.manager.provisioner.process.stderr), daemon=True)
    reader.start()
    try:
        reply, _ = kernel.execute("var runs = 0;")
        assert reply["status"] == "ok", reply
        session = kernel.client.session
        socket = kernel.client.shell_channel.socket
        msg = session.msg("execute_request", {"code": "runs++;", "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = session.serialize(msg)
        socket.send_multipart(frames)
        assert kernel.shell_reply(msg["header"]["msg_id"])["content"]["status"] == "ok"
        kernel.iopub_until_idle(msg["header"]["msg_id"])
        socket.send_multipart(frames)  # the same bytes again: a replay
        # The signature's hex digits in upper case verify too; still the same message.
        shouted = list(frames)
        shouted[1] = shouted[1].upper()
        socket.send_multipart(shouted)
        try:
            extra = kernel.client.get_shell_msg(timeout=2)
            raise AssertionError(f"a replayed message was answered: {extra['msg_type']} {extra['content']}")
        except queue.Empty:
            pass
        reply, messages = kernel.execute("runs")
        assert outputs_of(messages, "execute_result")[0]["data"]["text/plain"] == "1", messages
    finally:
        kernel.shutdown()
    reader.join(timeout=5)
    text = b"".join(log).decode()
    assert text.count("replayed") == 2, text


def check_is_complete(kernel):
    def status(code):
        reply, _ = kernel.request(lambda: kernel.client.is_complete(code))
        return reply["content"]["status"]

    assert status("var x = 1;") == "complete"
    assert status("if (true) {") == "incomplete"
    assert status("var items = new[] {\n  1,") == "incomplete"


def check_complete(kernel):
    def complete(code, cursor=None):
        reply, _ = kernel.request(lambda: kernel.client.complete(code, len(code) if cursor is None else cursor))
        return reply["content"]

    content = complete("Console.Wri")
    assert content["status"] == "ok", content
    assert "WriteLine" in content["matches"], content
    assert (content["cursor_start"], content["cursor_end"]) == (8, 11), content

    kernel.execute("var myVariable = 1;")
    assert "myVariable" in complete("myVa")["matches"]

    # Cursor positions count code points: the emoji is one, though C# sees two UTF-16 units.
    code = 'var s = "\U0001F600"; Console.Wri'
    content = complete(code)
    assert "WriteLine" in content["matches"], content
    assert (content["cursor_start"], content["cursor_end"]) == (len(code) - 3, len(code)), (content, len(code))


def interrupt_after(kernel, seconds, code, interrupt):
    msg_id = kernel.client.execute(code)
    time.sleep(seconds)
    started = time.monotonic()
    interrupt()
    reply = kernel.shell_reply(msg_id)["content"]
    messages = kernel.iopub_until_idle(msg_id)
    return reply, messages, time.monotonic() - started


def check_interrupt(kernel):
    # A cell that watches the book's cancellation token stops.
    cooperative = ('var token = (System.Threading.CancellationToken)AppContext.GetData("Book.CellCancellation")!;\n'
                   "await Task.Delay(60_000, token);")
    kernel.execute("1")  # warm up Roslyn first, so the interrupt meets a running cell
    reply, messages, took = interrupt_after(kernel, 1.0, cooperative, kernel.manager.interrupt_kernel)
    assert reply["status"] == "error" and "interrupted" in reply["evalue"], reply
    assert took < 10, took
    assert outputs_of(messages, "error"), types(messages)
    reply, _ = kernel.execute("1 + 1")
    assert reply["status"] == "ok", reply

    # SIGINT (what jupyter_client sends with interrupt_mode "signal", and before every shutdown) interrupts
    # the same way and never kills the kernel.
    reply, _, _ = interrupt_after(kernel, 1.0, cooperative, lambda: kernel.manager.signal_kernel(signal.SIGINT))
    assert reply["status"] == "error" and "interrupted" in reply["evalue"], reply
    kernel.manager.signal_kernel(signal.SIGINT)  # while idle
    time.sleep(0.5)
    assert kernel.manager.is_alive()
    reply, _ = kernel.execute("2 + 2")
    assert reply["status"] == "ok", reply

    # A tight loop cannot be aborted in .NET: the kernel says so instead of pretending.
    reply, messages, took = interrupt_after(kernel, 1.0, "while (true) { }", kernel.manager.interrupt_kernel)
    assert reply["status"] == "error" and "still running" in reply["evalue"], reply
    assert took < 15, took
    reply, _ = kernel.execute("3")
    assert reply["status"] == "error" and "still running" in reply["evalue"], reply

    # ... and a shutdown still ends the process by itself, busy thread or not.
    kernel.client.shutdown()
    assert wait_for_exit(kernel.manager.is_alive, 5), "kernel did not exit after shutdown_request"


def check_shutdown(kernel):
    reply = kernel.client.shutdown(restart=True, reply=True, timeout=TIMEOUT)
    assert reply["content"] == {"status": "ok", "restart": True}, reply["content"]
    assert wait_for_exit(kernel.manager.is_alive, 5), "kernel did not exit after shutdown_request"
    exit_code = kernel.manager.provisioner.process.poll()
    assert exit_code == 0, exit_code


def check_bad_signature(_):
    kernel = Kernel(stderr=subprocess.PIPE)
    log = []
    # Read while it runs: shutting down closes the kernel manager's end of the pipe.
    reader = threading.Thread(target=lambda: log.extend(kernel.manager.provisioner.process.stderr), daemon=True)
    reader.start()
    try:
        forged = Session(key=b"not-the-key", session=kernel.client.session.session)
        msg = forged.msg("kernel_info_request", {})
        forged.send(kernel.client.shell_channel.socket, msg)
        try:
            reply = kernel.client.get_shell_msg(timeout=2)
            raise AssertionError(f"a forged message was answered: {reply['msg_type']}")
        except queue.Empty:
            pass
        reply, _ = kernel.request(kernel.client.kernel_info)
        assert reply["content"]["status"] == "ok"
    finally:
        kernel.shutdown()
    reader.join(timeout=5)
    text = b"".join(log).decode()
    assert "bad signature" in text, text


def check_unsigned(_):
    kernel = Kernel(session_key=b"")
    try:
        reply, _ = kernel.execute("6 * 7")
        assert reply["status"] == "ok", reply
    finally:
        kernel.shutdown()


def check_parent_death(_):
    """JPY_PARENT_PID names the process that started the kernel; when it dies, so must the kernel."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    with tempfile.TemporaryDirectory() as directory:
        connection_file, info = write_connection_file(os.path.join(directory, "kernel.json"), key=b"secret")
        parent = subprocess.Popen(["sleep", "600"])
        argv = [part.replace("{connection_file}", connection_file) for part in spec.argv]
        kernel = subprocess.Popen(argv, env={**os.environ, "JPY_PARENT_PID": str(parent.pid)})
        try:
            client = BlockingKernelClient(connection_file=connection_file)
            client.load_connection_file()
            client.start_channels()
            client.wait_for_ready(timeout=TIMEOUT)
            client.stop_channels()
            parent.kill()
            parent.wait()
            assert wait_for_exit(lambda: kernel.poll() is None, 5), "kernel outlived its parent"
        finally:
            parent.kill()
            kernel.kill()
            kernel.wait()


CHECKS = {name[len("check_"):]: f for name, f in globals().items() if name.startswith("check_")}
MANAGES_ITS_OWN_KERNEL = {"bad_signature", "replay", "unsigned", "parent_death"}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CHECKS:
        sys.exit(f"usage: kernel_client_checks.py {{{'|'.join(CHECKS)}}}")
    name = sys.argv[1]
    if name in MANAGES_ITS_OWN_KERNEL:
        CHECKS[name](None)
    else:
        kernel = Kernel()
        try:
            CHECKS[name](kernel)
        finally:
            kernel.shutdown()
    print(f"ok {name}")


if __name__ == "__main__":
    main()
