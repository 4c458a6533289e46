using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Book.Engine.Tests;

/// <summary>Builds small assemblies on the fly, for tests of <c>#r "path.dll"</c>.</summary>
static class TestAssemblies
{
    public static void Compile(string path, string name, string source)
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = new[] { "System.Private.CoreLib.dll", "System.Runtime.dll" }
            .Select(f => MetadataReference.CreateFromFile(Path.Combine(runtime, f)));
        var compilation = CSharpCompilation.Create(name, new[] { CSharpSyntaxTree.ParseText(source) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = compilation.Emit(path);
        if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }
}
