using System.Security.Cryptography;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Task ids: 8 characters of a lowercase alphabet without look-alikes (40 random bits). Every id that
/// comes from outside is checked against this form before it touches a path.
/// </summary>
public static class TaskId
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    public const int Length = 8;

    public static string New()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars);
    }

    public static bool IsValid(string? id) => id is { Length: Length } && id.All(c => Alphabet.Contains(c));

    /// <summary>Returns the id trimmed, or throws a clear error for anything that is not a task id.</summary>
    public static string Validate(string? id)
    {
        var trimmed = id?.Trim();
        if (IsValid(trimmed)) return trimmed!;
        var shown = id is null ? "(none)" : id.Length > 40 ? $"'{id[..40]}…'" : $"'{id}'";
        throw new ClaudeTaskException(ClaudeErrorCode.InvalidTaskId,
            $"{shown} is not a task id. Task ids are {Length} characters, lowercase letters and digits, as returned when a task starts.")
        { Hint = ClaudeHint.ListTasks };
    }
}
