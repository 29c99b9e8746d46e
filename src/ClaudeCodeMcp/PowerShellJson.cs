using System.Collections;
using System.Management.Automation;
using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp;

/// <summary>
/// PowerShell objects to JSON text and back, as ConvertTo-Json and ConvertFrom-Json would: a hashtable or a
/// [pscustomobject] given for -JsonSchema becomes a JSON object, and a structured output comes back as objects whose
/// properties are the JSON's members (<c>$r.StructuredOutput.files</c>). The JSON itself is the engine's
/// (<see cref="JsonPlain"/>): this assembly must not bind System.Text.Json, whose version in pwsh is not the engine's.
/// </summary>
internal static class PowerShellJson
{
    /// <summary>Text as it is (the engine checks that it is a JSON object); anything else as its JSON.</summary>
    public static string? ToJsonText(object? value)
    {
        var plain = ToPlain(value, depth: 0);
        return plain is null or string ? (string?)plain : JsonPlain.Write(plain);
    }

    /// <summary>JSON text as PowerShell values: objects as PSObjects with a note property per member, arrays as object[].</summary>
    public static object? FromJsonText(string json) => FromPlain(JsonPlain.Parse(json));

    /// <summary>
    /// An object read from JSON shows as its compact JSON wherever PowerShell makes it text (Export-Csv, "$x", -f), not
    /// as <c>@{files=System.Object[]}</c>; its properties are untouched.
    /// </summary>
    private static readonly PSCodeMethod AsJsonText = new("ToString", typeof(PowerShellJson).GetMethod(nameof(JsonText))!);

    /// <summary>The code of <see cref="AsJsonText"/>: the object's JSON.</summary>
    public static string JsonText(PSObject instance) => ToJsonText(instance) ?? "null";

    private static object? ToPlain(object? value, int depth)
    {
        if (depth > 64) throw new ArgumentException("The value nests more than 64 levels deep, too deep to pass as JSON.");
        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is not PSCustomObject) return ToPlain(wrapped.BaseObject, depth);
            return wrapped.Properties.Select(p => new KeyValuePair<string, object?>(p.Name, ToPlain(p.Value, depth + 1))).ToList();
        }
        return value switch
        {
            null or string or bool or char => value is char c ? c.ToString() : value,
            IDictionary dictionary => dictionary.Cast<DictionaryEntry>()
                .Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", ToPlain(e.Value, depth + 1)))
                .ToList(),
            IEnumerable items => items.Cast<object?>().Select(item => ToPlain(item, depth + 1)).ToArray(),
            _ => value,
        };
    }

    private static object? FromPlain(object? value)
    {
        switch (value)
        {
            case List<KeyValuePair<string, object?>> members:
                var result = new PSObject();
                foreach (var (name, member) in members) result.Properties.Add(new PSNoteProperty(name, FromPlain(member)));
                result.Members.Add(AsJsonText);
                return result;
            case object?[] items:
                return items.Select(FromPlain).ToArray();
            default:
                return value;
        }
    }
}
