namespace TransformersBook.Data;

/// <summary>
/// The sizes and probabilities of <see cref="SyntheticSessions"/>: how many items and genres, how users pick genres,
/// how often an item is followed by its planted successor, and how skewed popularity is inside a genre.
/// </summary>
/// <param name="Users">How many users (one interaction sequence each).</param>
/// <param name="Items">How many items; ids run 1…Items (0 is reserved for padding).</param>
/// <param name="Genres">How many latent genres; item i belongs to genre (i − 1) mod Genres.</param>
/// <param name="TasteGenres">How many genres each user's taste holds; the user's session genre moves among them.</param>
/// <param name="SuccessorProbability">Probability that the next item is the planted successor of the previous one.</param>
/// <param name="SwitchProbability">Probability, at a step that is not a successor, of moving to another of the user's genres.</param>
/// <param name="ZipfExponent">Popularity inside a genre: the item of rank r (from 1) has weight 1 / r^s.</param>
/// <param name="MinLength">Shortest sequence.</param>
/// <param name="MaxLength">Longest sequence.</param>
public sealed record SessionGeneratorOptions(
    int Users = 2000,
    int Items = 600,
    int Genres = 30,
    int TasteGenres = 3,
    double SuccessorProbability = 0.35,
    double SwitchProbability = 0.2,
    double ZipfExponent = 1.0,
    int MinLength = 20,
    int MaxLength = 50);
