namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Task ids: 8 characters of a lowercase alphabet without look-alikes (about 40 random bits). Every id that
/// comes from outside is checked against this form before it touches a path.
/// </summary>
/// <remarks>
/// The randomness is the kernel's, through <see cref="Guid.NewGuid"/> (getrandom or /dev/urandom in the runtime's own
/// native layer): RandomNumberGenerator would load OpenSSL's libcrypto into the host, 3.4 MB of its memory and a
/// library it would otherwise not need.
/// </remarks>
public static class TaskId
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    public const int Length = 8;
    private static readonly int Unbiased = 256 / Alphabet.Length * Alphabet.Length; // the largest multiple of the alphabet's length a byte holds: 248

    public static string New()
    {
        Span<char> chars = stackalloc char[Length];
        Span<byte> random = stackalloc byte[16];
        var filled = 0;
        while (filled < Length)
        {
            Guid.NewGuid().TryWriteBytes(random);
            for (var i = 0; i < random.Length && filled < Length; i++)
            {
                // Bytes 7 and 8 carry the version and variant bits; a byte of 248 or more would favour the first letters.
                if (i is 7 or 8 || random[i] >= Unbiased) continue;
                chars[filled++] = Alphabet[random[i] % Alphabet.Length];
            }
        }
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
