namespace TransformersBook.Data;

/// <summary>Which part of a data set: the part the model learns from, or the held-out part it is measured on.</summary>
public enum DataSplit
{
    Train,
    Validation,
}
