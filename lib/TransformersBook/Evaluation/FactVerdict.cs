namespace TransformersBook.Evaluation;

/// <summary>What a fact base says about a claimed (subject, relation, object) triple.</summary>
public enum FactVerdict
{
    /// <summary>The base holds the subject and relation, and its object is the claimed one.</summary>
    Supported,

    /// <summary>The base holds the subject and relation with a different object: the claim is false.</summary>
    Contradicted,

    /// <summary>The base holds nothing about this subject and relation: the claim cannot be checked.</summary>
    NotInBase,
}
