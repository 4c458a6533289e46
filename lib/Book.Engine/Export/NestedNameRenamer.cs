using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Book.Engine.Export;

/// <summary>
/// In a notebook a cell's variables are fields of the script, so a loop in a later cell may declare its own <c>a</c>
/// beside a cell-level <c>a</c>. In a program's top-level statements both are locals of one scope, and C# refuses the
/// inner one (CS0136). This renames such an inner declaration and its uses within its own scope; lambdas and local
/// functions may shadow (C# 8), so their parameters and bodies keep their names.
/// </summary>
internal static class NestedNameRenamer
{
    /// <summary>The names a top-level statement puts in the program's top-level scope (deconstructions, patterns).</summary>
    public static IEnumerable<string> TopLevelNames(StatementSyntax statement) =>
        Declarations(statement).Where(d => d.Scope is null).Select(d => d.Identifier.Text);

    /// <summary>The statement with its nested declarations of <paramref name="topLevel"/> names renamed.</summary>
    public static StatementSyntax Rename(StatementSyntax statement, ISet<string> topLevel, ISet<string> taken)
    {
        var replacements = new Dictionary<SyntaxToken, string>();
        foreach (var (identifier, scope) in Declarations(statement))
        {
            if (scope is null || !topLevel.Contains(identifier.Text)) continue;
            string name = identifier.Text;
            string renamed = Enumerable.Range(1, int.MaxValue).Select(i => name + i).First(n => !taken.Contains(n));
            replacements[identifier] = renamed;
            foreach (var use in Uses(scope, name)) replacements[use] = renamed;
        }
        if (replacements.Count == 0) return statement;
        return statement.ReplaceTokens(replacements.Keys,
            (original, _) => SyntaxFactory.Identifier(original.LeadingTrivia, replacements[original], original.TrailingTrivia));
    }

    /// <summary>Each variable the statement declares outside lambdas and local functions, with its scope (null: top level).</summary>
    static IEnumerable<(SyntaxToken Identifier, SyntaxNode? Scope)> Declarations(StatementSyntax statement)
    {
        foreach (var node in statement.DescendantNodesAndSelf(n => n == statement || !IsFunction(n)))
        {
            switch (node)
            {
                case VariableDeclaratorSyntax { Parent.Parent: LocalDeclarationStatementSyntax local } v:
                    yield return (v.Identifier, local.Parent);
                    break;
                case VariableDeclaratorSyntax { Parent.Parent: { } owner } v when owner is ForStatementSyntax or UsingStatementSyntax or FixedStatementSyntax:
                    yield return (v.Identifier, owner);
                    break;
                case ForEachStatementSyntax each:
                    yield return (each.Identifier, each);
                    break;
                case CatchDeclarationSyntax { Identifier.Text.Length: > 0 } caught:
                    yield return (caught.Identifier, caught.Parent);
                    break;
                case SingleVariableDesignationSyntax designation:
                    yield return (designation.Identifier, ScopeOf(designation, statement));
                    break;
            }
        }
    }

    /// <summary>Where a pattern, out or deconstruction variable lives: C#'s rules, with `if` leaking to its parent.</summary>
    static SyntaxNode? ScopeOf(SyntaxNode designation, StatementSyntax statement)
    {
        for (var node = designation.Parent; node is not null && node != statement; node = node.Parent)
        {
            if (node is BlockSyntax or SwitchSectionSyntax or ForStatementSyntax or ForEachVariableStatementSyntax or ForEachStatementSyntax
                or WhileStatementSyntax or DoStatementSyntax or UsingStatementSyntax or CatchClauseSyntax or LockStatementSyntax)
                return node;
        }
        // The top-level statement itself: a loop still scopes its own variables; anything else is top level.
        return statement is ForStatementSyntax or ForEachVariableStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax
            or DoStatementSyntax or UsingStatementSyntax or LockStatementSyntax ? statement : null;
    }

    /// <summary>The identifiers in <paramref name="scope"/> that name the variable (not members, argument names or shadowing lambdas).</summary>
    static IEnumerable<SyntaxToken> Uses(SyntaxNode scope, string name) =>
        scope.DescendantNodes(n => !(IsFunction(n) && DeclaresParameter(n, name)))
            .OfType<IdentifierNameSyntax>()
            .Where(id => id.Identifier.Text == name && !IsMemberName(id))
            .Select(id => id.Identifier);

    static bool IsFunction(SyntaxNode node) => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;

    static bool DeclaresParameter(SyntaxNode function, string name) => function switch
    {
        SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.Text == name,
        ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters.Any(p => p.Identifier.Text == name),
        AnonymousMethodExpressionSyntax method => method.ParameterList?.Parameters.Any(p => p.Identifier.Text == name) == true,
        LocalFunctionStatementSyntax local => local.ParameterList.Parameters.Any(p => p.Identifier.Text == name),
        _ => false,
    };

    static bool IsMemberName(IdentifierNameSyntax id) => id.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Name == id,
        MemberBindingExpressionSyntax => true,
        QualifiedNameSyntax qualified => qualified.Right == id,
        NameColonSyntax or NameEqualsSyntax => true,
        AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assignment => assignment.Left == id,
        _ => false,
    };
}
