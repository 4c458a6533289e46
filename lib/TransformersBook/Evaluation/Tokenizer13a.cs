using System.Text.RegularExpressions;

namespace TransformersBook.Evaluation;

/// <summary>
/// The "13a" tokenizer of the WMT evaluation script mteval-v13a, the default of sacreBLEU: it splits punctuation and
/// symbols from words, splits periods and commas except inside numbers, splits a dash after a digit, and collapses
/// whitespace. BLEU scores are only comparable when computed with the same tokenizer on detokenized text.
/// </summary>
public static partial class Tokenizer13a
{
    /// <summary>The tokenized line: tokens joined by single spaces.</summary>
    public static string Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "").Replace("-\n", "").Replace("\n", " ");
        if (line.Contains('&'))
            line = line.Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        line = " " + line + " ";
        line = Symbols().Replace(line, " $1 ");          // { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The tokens of <paramref name="line"/>.</summary>
    public static string[] Tokens(string line) => Tokenize(line).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"([\u007B-\u007E\u005B-\u0060\u0020-\u0026\u0028-\u002B\u003A-\u0040/])")]
    private static partial Regex Symbols();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();
}
