// EngineHost: a second process that owns tasks, for tests of what one process sees and does to another's.
// Usage: EngineHost <state-dir> <claude-path> <working-dir> [throttle-limit]
// Commands on stdin, one a line; answers on stdout, one a line:
//   start <prompt file>  ->  started <id> <child pid or 0>
//   wait <id>            ->  finished <id> <state>
//   stop <id>            ->  stopped <id> <state>
//   exit (or EOF)        ->  the manager is disposed (its children stopped), then "bye"
//   SIGTERM              ->  exits 143 through Environment.Exit, so the engine's process-exit hook runs
using System.Runtime.InteropServices;
using ClaudeCodeMcp.Engine;

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    Environment.Exit(143);
});

var options = new ClaudeEngineOptions
{
    StateDirectory = args[0],
    ClaudePath = args[1],
    StopGracePeriod = TimeSpan.FromMilliseconds(500),
    ThrottleLimit = args.Length > 3 ? int.Parse(args[3]) : 4,
};
var workingDirectory = args[2];
await using (var manager = new ClaudeTaskManager(options))
{
    Console.WriteLine("ready");
    string? line;
    while ((line = Console.ReadLine()) is not null && line != "exit")
    {
        var (verb, argument) = line.IndexOf(' ') is var space and > 0 ? (line[..space], line[(space + 1)..]) : (line, "");
        switch (verb)
        {
            case "start":
                var record = manager.Start(new ClaudeTaskSpec { Prompt = File.ReadAllText(argument), WorkingDirectory = workingDirectory });
                Console.WriteLine($"started {record.Id} {record.Child?.Pid ?? 0}");
                break;
            case "wait":
                var finished = (await manager.WaitAsync([argument]))[0];
                Console.WriteLine($"finished {finished.Id} {finished.State.ToWireName()}");
                break;
            case "stop":
                var stopped = await manager.StopAsync(argument);
                Console.WriteLine($"stopped {stopped.Id} {stopped.State.ToWireName()}");
                break;
        }
    }
}
Console.WriteLine("bye");
