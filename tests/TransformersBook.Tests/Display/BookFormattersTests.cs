using System.Reflection;
using TransformersBook.Display;

namespace TransformersBook.Tests;

public class BookFormattersTests
{
    [Fact]
    public void LoadableTypes_returns_every_type_when_all_load()
    {
        var all = typeof(BookFormatters).Assembly.GetTypes();
        Assert.Equal(all, BookFormatters.LoadableTypes(() => all));
    }

    [Fact]
    public void LoadableTypes_keeps_the_types_that_loaded_when_a_package_is_missing()
    {
        // What GetTypes throws when a dependency such as ILGPU is not referenced: the loaded types, nulls for the rest.
        var partial = new ReflectionTypeLoadException(new[] { typeof(BookFormatters), null, typeof(Table) },
            new Exception[] { new FileNotFoundException("Could not load file or assembly 'ILGPU'") });
        var types = BookFormatters.LoadableTypes(() => throw partial).ToArray();
        Assert.Equal(new[] { typeof(BookFormatters), typeof(Table) }, types);
    }
}
