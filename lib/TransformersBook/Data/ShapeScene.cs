namespace TransformersBook.Data;

/// <summary>
/// What one synthetic picture shows: a shape of one colour and size at one position, each an index into the word lists
/// of <see cref="ShapeImages"/>.
/// </summary>
/// <param name="Shape">Index into <see cref="ShapeImages.Shapes"/>.</param>
/// <param name="Colour">Index into <see cref="ShapeImages.Colours"/>.</param>
/// <param name="Size">Index into <see cref="ShapeImages.Sizes"/>.</param>
/// <param name="Position">Index into <see cref="ShapeImages.Positions"/>.</param>
public sealed record ShapeScene(int Shape, int Colour, int Size, int Position)
{
    /// <summary>The full caption, e.g. "a photo of a small red circle on the left".</summary>
    public string Caption => ShapeImages.Caption(this);

    /// <summary>The shape's name, e.g. "circle".</summary>
    public string ShapeName => ShapeImages.Shapes[Shape];

    /// <summary>The colour's name, e.g. "red".</summary>
    public string ColourName => ShapeImages.Colours[Colour];

    /// <summary>A number from 0 to <see cref="ShapeImages.SceneCount"/> − 1 that identifies the scene.</summary>
    public int Index => ((Shape * ShapeImages.Colours.Count + Colour) * ShapeImages.Sizes.Count + Size) * ShapeImages.Positions.Count + Position;
}
