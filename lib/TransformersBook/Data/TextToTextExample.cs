namespace TransformersBook.Data;

/// <summary>One task as text in, text out (Raffel et al., 2020): the input begins with the task's prefix.</summary>
/// <param name="Task">The task's name, which is also its prefix without the colon.</param>
/// <param name="Input">"task: …", what the encoder reads.</param>
/// <param name="Target">The text the decoder must write.</param>
public sealed record TextToTextExample(string Task, string Input, string Target);
