using ClaudeCodeMcp.Engine.Options;
using CsCheck;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// JSON to plain values and back, as the PowerShell door reads a structured output and writes a schema: whole numbers
/// stay whole (a count is a long, never 2.0), fractions stay fractions, and the text written back is the text read.
/// </summary>
public sealed class JsonPlainTests
{
    [Fact]
    public void WholeNumbersAreLongsAndFractionsDoubles()
    {
        var members = Assert.IsType<List<KeyValuePair<string, object?>>>(JsonPlain.Parse("""{"count": 2, "share": 0.5, "big": 12345678901234}"""));

        Assert.Equal(2L, Assert.IsType<long>(members[0].Value));
        Assert.Equal(0.5, Assert.IsType<double>(members[1].Value));
        Assert.Equal(12345678901234L, Assert.IsType<long>(members[2].Value));
    }

    [Fact]
    public void CompactJsonReadsAndWritesBackTheSame()
    {
        Gen.OneOf(
                Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => "\"" + s + "\""),
                Gen.Bool.Select(b => b ? "true" : "false"),
                Gen.Const("null"))
            .Array[0, 5]
            .Select(values => "{" + string.Concat(values.Select((v, i) => $"\"m{i}\":{v},")) + "\"list\":[" + string.Join(",", values) + "]}")
            .Sample(json => Assert.Equal(json, JsonPlain.Write(JsonPlain.Parse(json))));
    }
}
