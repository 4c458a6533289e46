using System.Reflection;
using System.Text.Json.Nodes;
using Book.Native;

namespace Book.Kernel;

/// <summary>The content of kernel_info_reply: who this kernel is and which language it speaks.</summary>
public static class KernelInfoReply
{
    public const string Implementation = KernelNames.Book;

    public static JsonObject Content()
    {
        var version = typeof(KernelInfoReply).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = MessageFactory.ProtocolVersion,
            ["implementation"] = Implementation,
            ["implementation_version"] = version.Split('+')[0],
            ["language_info"] = new JsonObject
            {
                ["name"] = "C#",
                ["version"] = "14.0",
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"C# on .NET {Environment.Version}: the transformers book's kernel {version.Split('+')[0]} (Roslyn scripting)",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }
}
