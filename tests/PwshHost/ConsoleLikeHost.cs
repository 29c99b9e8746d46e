using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace PwshHost;

/// <summary>
/// Writes as pwsh's console host does: output, verbose, warning, debug, information, Write-Host and progress
/// to stdout; only errors to stderr. A cmdlet that writes to any stream while serving MCP corrupts stdout here,
/// exactly as it would under real pwsh.
/// </summary>
internal sealed class ConsoleLikeHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();
    private readonly UserInterface _ui = new();

    public override string Name => "ConsoleHost";
    public override Version Version => new(7, 6, 9);
    public override Guid InstanceId => _id;
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public int ExitCode { get; private set; }
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class UserInterface : PSHostUserInterface
    {
        private static readonly Stream Stdout = Console.OpenStandardOutput();
        private readonly RawUserInterface _raw = new();

        public override PSHostRawUserInterface RawUI => _raw;

        private static void Out(string text)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            lock (Stdout)
            {
                Stdout.Write(bytes);
                Stdout.Flush();
            }
        }

        public override void Write(string value) => Out(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value);
        public override void WriteLine(string value) => Out(value + "\n");
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
        public override void WriteDebugLine(string message) => Out($"DEBUG: {message}\n");
        public override void WriteVerboseLine(string message) => Out($"VERBOSE: {message}\n");
        public override void WriteWarningLine(string message) => Out($"WARNING: {message}\n");
        public override void WriteInformation(InformationRecord record) => Out(record.MessageData + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) => Out($"{record.Activity} {record.StatusDescription} {record.PercentComplete}%\n");
        public override string ReadLine() => throw new NotSupportedException("non-interactive");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("non-interactive");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw new NotSupportedException("non-interactive");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException("non-interactive");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("non-interactive");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException("non-interactive");
    }

    private sealed class RawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; }
        public override Size BufferSize { get; set; } = new(120, 9999);
        public override Size WindowSize { get; set; } = new(120, 50);
        public override Size MaxWindowSize => new(120, 50);
        public override Size MaxPhysicalWindowSize => new(120, 50);
        public override bool KeyAvailable => false;
        public override string WindowTitle { get; set; } = "";
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void FlushInputBuffer() { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
