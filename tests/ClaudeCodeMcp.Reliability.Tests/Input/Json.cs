using System.Globalization;
using System.Text;

namespace ClaudeCodeMcp.Reliability.Tests.Input;

/// <summary>
/// A JSON value written by hand, so a test can send what no serializer would write: numbers such as
/// <c>1e400</c> or <c>-0</c>, lone surrogates, any nesting. <see cref="JRaw"/> is written as it is.
/// </summary>
public abstract record J
{
    public abstract void Write(StringBuilder text);

    public sealed override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    public static J Str(string value) => new JStr(value);
    public static J Num(string raw) => new JRaw(raw);
    public static J Num(long value) => new JRaw(value.ToString(CultureInfo.InvariantCulture));
    public static J Obj(params (string, J)[] members) => new JObj(members);
    public static readonly J Null = new JRaw("null");
    public static readonly J True = new JRaw("true");
    public static readonly J False = new JRaw("false");

    /// <summary>Writes a JSON string: quotes, backslashes and controls escaped, a lone surrogate as <c>\uD800</c>, the rest as is.</summary>
    internal static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"') text.Append("\\\"");
            else if (c == '\\') text.Append("\\\\");
            else if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) text.Append(c).Append(value[++i]);
            else if (char.IsSurrogate(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        text.Append('"');
    }
}

public sealed record JRaw(string Raw) : J
{
    public override void Write(StringBuilder text) => text.Append(Raw);
}

public sealed record JStr(string Value) : J
{
    public override void Write(StringBuilder text) => WriteString(text, Value);
}

public sealed record JArr(J[] Items) : J
{
    public override void Write(StringBuilder text)
    {
        text.Append('[');
        for (var i = 0; i < Items.Length; i++)
        {
            if (i > 0) text.Append(',');
            Items[i].Write(text);
        }
        text.Append(']');
    }
}

public sealed record JObj((string Name, J Value)[] Members) : J
{
    public J? this[string name] => Members.LastOrDefault(m => m.Name == name).Value;

    public bool Has(string name) => Members.Any(m => m.Name == name);

    public override void Write(StringBuilder text)
    {
        text.Append('{');
        for (var i = 0; i < Members.Length; i++)
        {
            if (i > 0) text.Append(',');
            WriteString(text, Members[i].Name);
            text.Append(':');
            Members[i].Value.Write(text);
        }
        text.Append('}');
    }
}
