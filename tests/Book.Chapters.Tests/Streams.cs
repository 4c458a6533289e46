using Xunit;

namespace Book.Chapters.Tests;

/// <summary>The chapters in the book's own engine, then the site and the exported app that build on them (streams run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class BookEngineStream { public const string Name = "book engine"; }

/// <summary>The chapters in Microsoft's .NET Interactive engine (Polyglot Notebooks' engine).</summary>
[CollectionDefinition(Name)]
public sealed class DotNetInteractiveStream { public const string Name = ".NET Interactive"; }
