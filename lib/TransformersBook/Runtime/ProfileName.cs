namespace TransformersBook.Runtime;

/// <summary>The book's run profiles, chosen with the environment variable BOOK_PROFILE.</summary>
public enum ProfileName
{
    /// <summary>The full chapter: sizes that give meaningful results in minutes on a laptop CPU (faster on a GPU).</summary>
    Default,

    /// <summary>A quick run, used by CI: every chapter finishes in under 60 s on 2 CPU cores.</summary>
    Smoke,
}
