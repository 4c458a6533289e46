using System.Text;

namespace Book.Site;

/// <summary>
/// TeX as a reader would say it in plain text, for search snippets and heading entries, where KaTeX does not run:
/// Greek letters and common symbols become their characters, font and text commands keep only their argument,
/// \frac{a}{b} becomes a/b, and the remaining markup (backslashes, braces, spacing commands) goes.
/// "\mathrm{softmax}(QK^\top / \sqrt{d_k})" reads "softmax(QKᵀ / √d_k)".
/// </summary>
internal static class TexPlainText
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε",
        ["zeta"] = "ζ", ["eta"] = "η", ["theta"] = "θ", ["vartheta"] = "θ", ["iota"] = "ι", ["kappa"] = "κ",
        ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π", ["rho"] = "ρ", ["sigma"] = "σ",
        ["tau"] = "τ", ["upsilon"] = "υ", ["phi"] = "φ", ["varphi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω",
        ["Gamma"] = "Γ", ["Delta"] = "Δ", ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Xi"] = "Ξ", ["Pi"] = "Π",
        ["Sigma"] = "Σ", ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["times"] = "×", ["cdot"] = "·", ["cdots"] = "⋯", ["ldots"] = "…", ["dots"] = "…", ["div"] = "÷", ["pm"] = "±",
        ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["ne"] = "≠", ["neq"] = "≠", ["approx"] = "≈",
        ["sim"] = "∼", ["propto"] = "∝", ["equiv"] = "≡", ["ll"] = "≪", ["gg"] = "≫",
        ["to"] = "→", ["rightarrow"] = "→", ["leftarrow"] = "←", ["Rightarrow"] = "⇒", ["mapsto"] = "↦",
        ["in"] = "∈", ["notin"] = "∉", ["subset"] = "⊂", ["subseteq"] = "⊆", ["cup"] = "∪", ["cap"] = "∩",
        ["infty"] = "∞", ["partial"] = "∂", ["nabla"] = "∇", ["sum"] = "Σ", ["prod"] = "Π", ["int"] = "∫",
        ["sqrt"] = "√", ["top"] = "ᵀ", ["intercal"] = "ᵀ", ["odot"] = "⊙", ["otimes"] = "⊗", ["oplus"] = "⊕",
        ["circ"] = "∘", ["star"] = "⋆", ["ast"] = "∗", ["forall"] = "∀", ["exists"] = "∃", ["emptyset"] = "∅",
        ["langle"] = "⟨", ["rangle"] = "⟩", ["lfloor"] = "⌊", ["rfloor"] = "⌋", ["lceil"] = "⌈", ["rceil"] = "⌉",
        ["mid"] = "|", ["vert"] = "|", ["lVert"] = "‖", ["rVert"] = "‖", ["Vert"] = "‖", ["|"] = "‖",
        ["log"] = "log", ["ln"] = "ln", ["exp"] = "exp", ["max"] = "max", ["min"] = "min", ["arg"] = "arg",
        ["sin"] = "sin", ["cos"] = "cos", ["tanh"] = "tanh", ["det"] = "det", ["lim"] = "lim",
        ["{"] = "{", ["}"] = "}", ["$"] = "$", ["%"] = "%", ["&"] = "&", ["_"] = "_", ["#"] = "#",
        [","] = " ", [";"] = " ", [":"] = " ", ["!"] = "", [" "] = " ", ["quad"] = " ", ["qquad"] = " ", ["\\"] = " ",
    };

    // Commands that only change how their argument looks (or are sizing and layout): dropped, argument kept.
    private static readonly HashSet<string> Transparent = new(StringComparer.Ordinal)
    {
        "text", "textrm", "textit", "textbf", "texttt", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal",
        "mathbb", "mathfrak", "boldsymbol", "bm", "operatorname", "mbox", "hat", "tilde", "bar", "vec", "overline",
        "underline", "widehat", "widetilde", "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl",
        "Bigr", "displaystyle", "textstyle", "limits", "nolimits", "underbrace", "overbrace", "begin", "end",
        "tag", "label", "nonumber", "notag", "phantom", "color",
    };

    public static string Of(string tex)
    {
        var text = new StringBuilder();
        Append(tex, 0, tex.Length, text);
        return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void Append(string tex, int start, int end, StringBuilder text)
    {
        var i = start;
        while (i < end)
        {
            var c = tex[i];
            if (c == '\\')
            {
                var (name, next) = Command(tex, i + 1, end);
                i = next;
                if (name is "frac" or "dfrac" or "tfrac" or "cfrac")
                {
                    var (numerator, afterNumerator) = Group(tex, i, end);
                    var (denominator, afterDenominator) = Group(tex, afterNumerator, end);
                    text.Append(Wrapped(numerator)).Append('/').Append(Wrapped(denominator));
                    i = afterDenominator;
                }
                else if (name is "begin" or "end" or "color" or "label" or "tag")
                {
                    // The environment's or colour's name is markup, not content.
                    (_, i) = Group(tex, i, end);
                }
                else if (Symbols.TryGetValue(name, out var symbol))
                {
                    text.Append(symbol);
                    if (symbol.Length > 0 && char.IsLetter(symbol[^1]) && i < end && char.IsLetterOrDigit(tex[i]))
                    {
                        text.Append(' ');
                    }
                }
                else if (!Transparent.Contains(name) && name.Length > 0 && char.IsLetter(name[0]))
                {
                    // An unknown command: its name reads better than nothing (\operatorname-like macros, \mathrm-free names).
                    text.Append(name);
                }
            }
            else if (c is '{' or '}')
            {
                i++;
            }
            else if (c == '^' && i + 1 < end && tex[i + 1] == '\\' && tex.AsSpan(i + 1).StartsWith("\\top", StringComparison.Ordinal))
            {
                // x^\top reads xᵀ, not x^ᵀ.
                i++;
            }
            else if (c is '^' or '_' && i + 1 < end && tex[i + 1] == '{')
            {
                // e^{x_i - m} reads e^(x_i - m): without its braces a longer exponent or index would run into the text.
                var (inside, next) = Group(tex, i + 1, end);
                var plain = Of(inside);
                text.Append(c).Append(plain.Length > 1 ? $"({plain})" : plain);
                i = next;
            }
            else if (c == '&')
            {
                text.Append(' ');
                i++;
            }
            else if (c == '~')
            {
                text.Append(' ');
                i++;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        string Wrapped(string part)
        {
            var plain = Of(part);
            return plain.Length > 1 && plain.Any(ch => ch is ' ' or '+' or '-' or '/' or '·') ? $"({plain})" : plain;
        }
    }

    /// <summary>A command's name: letters, or one non-letter character (\{, \,, \\).</summary>
    private static (string Name, int Next) Command(string tex, int at, int end)
    {
        if (at >= end)
        {
            return ("", at);
        }

        if (!char.IsAsciiLetter(tex[at]))
        {
            return (tex[at].ToString(), at + 1);
        }

        var stop = at;
        while (stop < end && char.IsAsciiLetter(tex[stop]))
        {
            stop++;
        }

        return (tex[at..stop], stop);
    }

    /// <summary>A {…} group's inside (braces balanced), or the single next token when there is no brace.</summary>
    private static (string Inside, int Next) Group(string tex, int at, int end)
    {
        while (at < end && tex[at] == ' ')
        {
            at++;
        }

        if (at >= end)
        {
            return ("", at);
        }

        if (tex[at] != '{')
        {
            if (tex[at] == '\\')
            {
                var (_, next) = Command(tex, at + 1, end);
                return (tex[at..next], next);
            }

            return (tex[at].ToString(), at + 1);
        }

        var depth = 0;
        for (var i = at; i < end; i++)
        {
            if (tex[i] == '\\')
            {
                i++;
                continue;
            }

            if (tex[i] == '{')
            {
                depth++;
            }
            else if (tex[i] == '}' && --depth == 0)
            {
                return (tex[(at + 1)..i], i + 1);
            }
        }

        return (tex[(at + 1)..end], end);
    }
}
