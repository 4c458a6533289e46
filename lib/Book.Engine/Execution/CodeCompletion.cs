using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Book.Engine.Execution;

/// <summary>
/// Completions from the semantic model: members of the expression before a dot, else every symbol in scope,
/// filtered by the identifier being typed.
/// </summary>
static class CodeCompletion
{
    public static CompletionList Complete(string code, int cursor, Func<string, Compilation> compile)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        string prefix = code[start..cursor];
        Compilation compilation;
        try { compilation = compile(code); }
        catch (Exception) { return new CompletionList(Array.Empty<string>(), start, cursor); }
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        int position = Math.Min(start, tree.Length);

        IEnumerable<ISymbol> symbols;
        var dot = start > 0 && code[start - 1] == '.' ? tree.GetRoot().FindToken(start - 1) : default;
        if (dot.Parent is MemberAccessExpressionSyntax access)
        {
            var target = model.GetSymbolInfo(access.Expression).Symbol;
            if (target is INamespaceOrTypeSymbol container)
                symbols = model.LookupSymbols(position, container).Where(s => s.IsStatic || s is INamespaceOrTypeSymbol);
            else if (model.GetTypeInfo(access.Expression).Type is { } type)
                symbols = model.LookupSymbols(position, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { IsExtensionMethod: true });
            else
                symbols = Array.Empty<ISymbol>();
        }
        else
        {
            symbols = model.LookupSymbols(position);
        }
        var matches = symbols
            .Where(s => s.CanBeReferencedByName && s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Name)
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        return new CompletionList(matches, start, cursor);
    }
}
