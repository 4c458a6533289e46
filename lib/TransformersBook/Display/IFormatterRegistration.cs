namespace TransformersBook.Display;

/// <summary>
/// How one namespace's values look in a notebook. <see cref="BookFormatters.Register"/> finds every implementation in
/// the library, so the display layer needs no reference to the types it formats (claims, training, runtime), and
/// those namespaces depend on it, never the other way round.
/// </summary>
public interface IFormatterRegistration
{
    /// <summary>Registers the namespace's formatters with Microsoft.DotNet.Interactive.Formatting.</summary>
    void Register();
}
