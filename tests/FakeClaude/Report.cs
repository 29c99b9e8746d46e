using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FakeClaude;

/// <summary><c>fake:report &lt;path&gt;</c>: what the fake was started with, as a JSON file written atomically.</summary>
internal static class Report
{
    public static void Write(string path, string[] argv, string stdin)
    {
        if (path.Length == 0) throw new ScriptException("fake:report needs a path");
        string temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        using (var w = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("argv");
            foreach (string arg in argv) w.WriteStringValue(arg);
            w.WriteEndArray();
            w.WriteStartObject("env");
            foreach (var entry in Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().OrderBy(e => (string)e.Key, StringComparer.Ordinal))
                w.WriteString((string)entry.Key, (string?)entry.Value);
            w.WriteEndObject();
            w.WriteString("cwd", Environment.CurrentDirectory);
            w.WriteString("stdin", stdin);
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteEndObject();
        }
        File.Move(temporary, path, overwrite: true);
    }
}
