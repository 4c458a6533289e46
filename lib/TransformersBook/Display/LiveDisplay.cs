using System.Reflection;

namespace TransformersBook.Display;

/// <summary>
/// An output that updates in place: wraps the handle a notebook cell gets from <c>display(...)</c>. Library code cannot
/// call <c>display</c> (it is a global of the notebook engine or of Polyglot, and their types differ), so the chapter
/// passes the handle and this calls its public <c>Update(object)</c> by reflection, which both engines' handles have.
/// In the .NET Interactive engine the update goes to the value that engine announced (<see cref="ProducedDisplays"/>).
/// </summary>
public sealed class LiveDisplay
{
    readonly object? handle;
    readonly MethodInfo? update;

    /// <summary>Wraps a display handle; null gives a display that is not live (<see cref="IsLive"/> is false).</summary>
    /// <exception cref="ArgumentException">The object has no public Update(object) method.</exception>
    public LiveDisplay(object? handle)
    {
        if (handle is Microsoft.DotNet.Interactive.Formatting.DisplayedValue displayed)
            handle = ProducedDisplays.AnnouncedFor(displayed) ?? displayed;
        this.handle = handle;
        if (handle is null) return;
        update = handle.GetType().GetMethod("Update", BindingFlags.Public | BindingFlags.Instance, new[] { typeof(object) })
            ?? throw new ArgumentException(
                $"{handle.GetType().FullName} has no public Update(object) method; pass the value returned by display(...) in a notebook cell.",
                nameof(handle));
    }

    /// <summary>True when updates reach a notebook output.</summary>
    public bool IsLive => update is not null;

    /// <summary>Replaces the displayed output with <paramref name="value"/>, formatted by the book's formatters.</summary>
    public void Update(object value)
    {
        if (update is null) return;
        try
        {
            update.Invoke(handle, new[] { value });
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
