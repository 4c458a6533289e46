using System.Text.Json;
using Book.Native;

namespace TransformersBook.Checks;

/// <summary>
/// Appends each checked claim to the file <see cref="BookEnvironment.ClaimsFile"/> names, one JSON object a line, so
/// that a runner can put the claims into the executed notebook's metadata for the results ledger. Without that
/// variable (a reader's session) nothing is written.
/// </summary>
internal static class ClaimsLog
{
    public static void Append(ClaimResult result)
    {
        if (Environment.GetEnvironmentVariable(BookEnvironment.ClaimsFile) is not { Length: > 0 } path) return;
        string line = JsonSerializer.Serialize(new
        {
            name = result.Name,
            status = result.Status switch { ClaimStatus.Holds => "holds", ClaimStatus.Fails => "fails", _ => "not checked" },
            measured = result.Actual,
            expected = result.Expected,
            profile = result.Profile,
            detail = result.Detail,
        });
        File.AppendAllText(path, line + "\n");
    }
}
