using System.Runtime.InteropServices;

namespace TransformersBook.Distributed;

/// <summary>
/// The world communicator of an MPI job, through direct bindings to Open MPI's <c>libmpi.so.40</c> (Debian's
/// <c>libopenmpi3</c>): initialise, rank and size, a summing all-reduce of float buffers, a barrier, finalise. Open MPI's
/// handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>) are the addresses of exported globals, read with
/// <see cref="NativeLibrary.GetExport"/>; other MPI implementations (MPICH's integer handles) are not supported.
/// One process initialises MPI once: dispose the communicator at the end of the program (it calls <c>MPI_Finalize</c>).
/// </summary>
public sealed class MpiCommunicator : IDisposable
{
    /// <summary>The shared library loaded: Open MPI 4's C interface.</summary>
    public const string LibraryName = "libmpi.so.40";

    const int Success = 0;
    readonly IntPtr world;
    readonly IntPtr floatType;
    readonly IntPtr sumOperation;
    bool finalized;

    MpiCommunicator(IntPtr library)
    {
        world = NativeLibrary.GetExport(library, "ompi_mpi_comm_world");
        floatType = NativeLibrary.GetExport(library, "ompi_mpi_float");
        sumOperation = NativeLibrary.GetExport(library, "ompi_mpi_op_sum");
        Check(Native.MPI_Comm_rank(world, out int rank), "MPI_Comm_rank");
        Check(Native.MPI_Comm_size(world, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        var name = new byte[256];
        Check(Native.MPI_Get_processor_name(name, out int length), "MPI_Get_processor_name");
        ProcessorName = System.Text.Encoding.ASCII.GetString(name, 0, length);
    }

    /// <summary>This process's rank in the world communicator, 0 … <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>The host this process runs on, as MPI names it.</summary>
    public string ProcessorName { get; }

    /// <summary>Whether Open MPI's library can be loaded on this machine.</summary>
    public static bool IsLibraryAvailable()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var handle)) return false;
        return NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _);
    }

    /// <summary>Initialises MPI (<c>MPI_Init</c>) and returns the world communicator.</summary>
    /// <exception cref="DllNotFoundException">Open MPI's library is not installed.</exception>
    /// <exception cref="InvalidOperationException">An MPI call failed.</exception>
    public static MpiCommunicator Initialize()
    {
        var library = NativeLibrary.Load(LibraryName);
        Check(Native.MPI_Init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
        return new MpiCommunicator(library);
    }

    /// <summary>Replaces <paramref name="buffer"/>, on every process, by the element-wise sum of all processes' buffers.</summary>
    public void AllReduceSum(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var result = new float[buffer.Length];
        Check(Native.MPI_Allreduce(buffer, result, buffer.Length, floatType, sumOperation, world), "MPI_Allreduce");
        Array.Copy(result, buffer, buffer.Length);
    }

    /// <summary>Waits until every process of the job has reached the barrier.</summary>
    public void Barrier() => Check(Native.MPI_Barrier(world), "MPI_Barrier");

    /// <summary>Finalises MPI (<c>MPI_Finalize</c>); no MPI call may follow.</summary>
    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        Check(Native.MPI_Finalize(), "MPI_Finalize");
    }

    static void Check(int code, string call)
    {
        if (code != Success) throw new InvalidOperationException($"{call} returned MPI error {code}.");
    }

    static class Native
    {
        [DllImport(LibraryName)] internal static extern int MPI_Init(IntPtr argc, IntPtr argv);
        [DllImport(LibraryName)] internal static extern int MPI_Comm_rank(IntPtr communicator, out int rank);
        [DllImport(LibraryName)] internal static extern int MPI_Comm_size(IntPtr communicator, out int size);
        [DllImport(LibraryName)] internal static extern int MPI_Get_processor_name(byte[] name, out int length);
        [DllImport(LibraryName)]
        internal static extern int MPI_Allreduce(float[] send, float[] receive, int count, IntPtr dataType, IntPtr operation, IntPtr communicator);
        [DllImport(LibraryName)] internal static extern int MPI_Barrier(IntPtr communicator);
        [DllImport(LibraryName)] internal static extern int MPI_Finalize();
    }
}
