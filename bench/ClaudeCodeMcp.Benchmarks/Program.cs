// Benchmarks of ClaudeCodeMcp, each figure beside its floor measured in the same run.
//   dotnet run -c Release --project bench/ClaudeCodeMcp.Benchmarks -- scenarios          the full run (docs/benchmarks.md)
//   dotnet run -c Release --project bench/ClaudeCodeMcp.Benchmarks -- scenarios --smoke  tiny N, to prove they still run
//   ... scenarios --only 3,5                                                               only the scenarios with these numbers
//   ... scenarios --only 8 --load 0                                                        shutdown on the machine as it is (no added load)
//   ... scenarios --only 4 --vs-host PATH                                                  startup: another build of the host in the same loop
//   dotnet run -c Release --project bench/ClaudeCodeMcp.Benchmarks -- micro [BenchmarkDotNet args]
using BenchmarkDotNet.Running;
using ClaudeCodeMcp.Benchmarks.Scenarios;
using ClaudeCodeMcp.Benchmarks.Support;

if (args.FirstOrDefault() == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(Report).Assembly).Run(args[1..]);
    return 0;
}
if (args is ["list-store", var listed, var count]) return StoreListing.ListOnce(listed, int.Parse(count)); // scenario 7's fresh process
if (args.FirstOrDefault() != "scenarios")
{
    Console.Error.WriteLine("usage: scenarios [--smoke] [--only 1,2,...] [--load N] [--vs-host PATH] | micro [BenchmarkDotNet arguments]");
    return 2;
}
var smoke = args.Contains("--smoke");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',').Select(int.Parse).ToHashSet();
bool Runs(int scenario) => only is null || only.Contains(scenario);
var load = args.SkipWhile(a => a != "--load").Skip(1).FirstOrDefault() is { } n ? int.Parse(n) : 8;
using var env = new BenchEnvironment();
if (!File.Exists(env.Host)) throw new FileNotFoundException("Build the host first: dotnet build -c Release", env.Host);
var report = new Report { Smoke = smoke };
if (Runs(1)) await SpawnOverhead.RunAsync(env, report, smoke ? [1, 3] : [1, 10, 100]);
if (Runs(2)) await ParallelScaling.RunAsync(env, report, smoke ? 4 : 50, smoke ? 0.2 : 2, smoke ? 2 : 5);
if (Runs(3)) await McpLatency.RunAsync(env, report, smoke ? 20 : 1000, smoke ? 10 : 1000, smoke ? 5 : 500);
if (Runs(4)) await Startup.RunAsync(env, report, smoke ? 2 : 10, args.SkipWhile(a => a != "--vs-host").Skip(1).FirstOrDefault());
if (Runs(5)) await OutputThroughput.RunAsync(env, report, smoke ? 2 : 200);
if (Runs(6)) await IdleCost.RunAsync(env, report, smoke ? 3 : 50, smoke ? 1 : 30);
if (Runs(6)) await IdleCost.RunFinishedAsync(env, report, smoke ? 3 : 20);
if (Runs(7)) await StoreListing.RunAsync(env, report, smoke ? 50 : 10_000);
if (Runs(8)) await ShutdownDeadline.RunAsync(env, report, smoke ? 2 : 50, smoke ? 0 : load);
Console.WriteLine(report.ToMarkdown());
return 0;
