namespace Book.Kernel;

/// <summary>The kernel's ZeroMQ sockets that carry Jupyter messages (the heartbeat carries raw echoes only).</summary>
public enum KernelChannel { Shell, Control, Stdin, Iopub }
